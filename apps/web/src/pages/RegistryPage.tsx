import { useState } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tabs } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client.ts';
import { exportHref, registryQueries, type RegistryFilter, type RegistryRecord } from '../api/registry.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { RegistryFilters } from '../components/registry/RegistryFilters.tsx';
import { RecordDetailDrawer } from '../components/registry/RecordDetailDrawer.tsx';
import { RecordFormDrawer, type RecordFormTarget } from '../components/registry/RecordFormDrawer.tsx';
import { useRecordColumns } from '../components/registry/useRecordColumns.tsx';
import { isLedger, LEDGER_SPECS, LEDGERS, useRegistryLabels, type LedgerKey, type RegistryLabels } from '../components/registry/registrySpec.ts';
import ErrorPage from './ErrorPage.tsx';
import '../components/registry/registry.css';

interface Opened {
  ledger: LedgerKey;
  id: string;
}

/**
 * /registry/:ledger?open=<id> — the registry's ledgers (人地事物组织台账) in tabs: area, words and the
 * ledger's own filters, the list with its default columns, export of what is listed, add; a row
 * opens the record. Everything per ledger comes from the ledger table in @wangge/contracts.
 * Test ids ledger-tab-<ledger>, registry-area, registry-search, registry-table, registry-export, registry-create.
 */
export default function RegistryPage() {
  const { t } = useTranslation();
  const params = useParams();
  const navigate = useNavigate();
  const can = useCan();
  const labels = useRegistryLabels();
  const ledger = params.ledger;
  usePageTitle(isLedger(ledger) ? labels.ledger(ledger) : t('registry.nav.ledgers'));

  if (!can('registry.read')) return <ErrorPage status="403" />;
  if (!isLedger(ledger)) return <Navigate to="/registry/persons" replace />;

  return (
    <Card title={t('registry.nav.ledgers')} className="registry-page">
      <Tabs
        activeKey={ledger}
        onChange={(key) => void navigate(`/registry/${key}`)}
        items={LEDGERS.map((key) => ({ key, label: <span data-testid={`ledger-tab-${key}`}>{labels.ledger(key)}</span> }))}
      />
      {labels.error && <Alert type="error" showIcon title={errorMessage(labels.error)} className="page-alert" />}
      <LedgerView key={ledger} ledger={ledger} labels={labels} />
    </Card>
  );
}

function LedgerView({ ledger, labels }: { ledger: LedgerKey; labels: RegistryLabels }) {
  const { t } = useTranslation();
  const can = useCan();
  const spec = LEDGER_SPECS[ledger];
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState<RegistryFilter>({ fields: {}, page: 1, pageSize: 20 });
  const list = useQuery(registryQueries.list(ledger, filter));
  const { columns, width } = useRecordColumns(spec, labels);
  const [form, setForm] = useState<{ ledger: LedgerKey; target: RecordFormTarget }>({ ledger, target: null });
  const openId = params.get('open');
  const [other, setOther] = useState<Opened | null>(null);
  const opened: Opened | null = other ?? (openId ? { ledger, id: openId } : null);

  const refine = (patch: Partial<RegistryFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));
  const open = (target: Opened | null) => {
    if (target && target.ledger === ledger) {
      setOther(null);
      setParams({ open: target.id });
    } else {
      setOther(target);
      if (!target && openId) setParams({}, { replace: true });
    }
  };
  const close = () => {
    setOther(null);
    if (openId) setParams({}, { replace: true });
  };
  const titleField = spec.fields.find((f) => f.key === spec.title);

  return (
    <>
      <div className="registry-toolbar">
        <Space wrap size={8} className="registry-filters">
          <AreaTreeSelect
            allowClear
            value={filter.areaId}
            onChange={(areaId) => refine({ areaId })}
            placeholder={t('registry.common.allAreas')}
            style={{ width: 200 }}
            data-testid="registry-area"
          />
          <Input.Search
            id="registry-search"
            data-testid="registry-search"
            allowClear
            placeholder={
              ledger === 'persons'
                ? t('registry.list.personSearchPlaceholder')
                : t('registry.list.searchPlaceholder', { title: titleField ? labels.field(titleField) : '' })
            }
            onSearch={(q) => refine({ q: q.trim() || undefined })}
            className="registry-search"
          />
          <RegistryFilters spec={spec} labels={labels} value={filter.fields} onChange={(fields) => refine({ fields })} />
        </Space>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={exportHref(ledger, filter)} download data-testid="registry-export">
            {t('registry.list.export')}
          </Button>
          {can('registry.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ ledger, target: { kind: 'new' } })} data-testid="registry-create">
              {t('registry.list.create')}
            </Button>
          )}
        </Space>
      </div>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} className="page-alert" />}
      <div data-testid="registry-table">
        <Table<RegistryRecord>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: width }}
          onRow={(r) => ({ onClick: () => open({ ledger, id: r.id }), className: 'clickable-row', 'data-testid': `record-row-${r.id}` }) as object}
          locale={{ emptyText: t('registry.list.empty') }}
          pagination={{
            current: filter.page,
            pageSize: filter.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
          }}
        />
      </div>
      <RecordDetailDrawer
        open={opened}
        labels={labels}
        onClose={close}
        onOpen={(l, id) => open({ ledger: l, id })}
        onEdit={(record) => setForm({ ledger: record.ledger, target: { kind: 'edit', record } })}
        onAdd={(l, preset, refs) => setForm({ ledger: l, target: { kind: 'new', preset, refs } })}
      />
      <RecordFormDrawer
        spec={LEDGER_SPECS[form.ledger]}
        labels={labels}
        target={form.target}
        onClose={() => setForm((f) => ({ ...f, target: null }))}
        onSaved={(record) => {
          if (form.target?.kind === 'new') open({ ledger: record.ledger, id: record.id });
        }}
      />
    </>
  );
}
