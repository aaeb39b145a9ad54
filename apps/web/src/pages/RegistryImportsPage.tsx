import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Select, Space, Table, Tag, Typography, Upload, type TableColumnsType } from 'antd';
import { DownloadOutlined, RollbackOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client.ts';
import { useFormatTime } from '../api/hooks.ts';
import { registryQueries, templateHref, useImportMutations, type ImportView } from '../api/registry.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { ImportReport, STATUS_COLORS } from '../components/registry/ImportReport.tsx';
import { isLedger, LEDGERS, useRegistryLabels, type LedgerKey } from '../components/registry/registrySpec.ts';
import ErrorPage from './ErrorPage.tsx';
import '../components/registry/registry.css';

/**
 * /registry/imports?ledger=&import= — batch import: choose the ledger and where rows without a
 * parent go, download the template, upload (.xlsx or .csv); the import runs on the server and its
 * progress, per-row errors and updates show as it goes; past imports can be rolled back.
 * Test ids import-ledger, import-area, import-template, import-upload, import-report, import-list, import-rollback-<id>.
 */
export default function RegistryImportsPage() {
  const { t } = useTranslation();
  usePageTitle(t('registry.imports.title'));
  const { message, modal } = App.useApp();
  const can = useCan();
  const labels = useRegistryLabels();
  const formatTime = useFormatTime();
  const [params, setParams] = useSearchParams();
  const asked = params.get('ledger');
  const ledger: LedgerKey = isLedger(asked) ? asked : 'persons';
  const current = params.get('import');
  const [areaId, setAreaId] = useState<string | undefined>();
  const imports = useQuery(registryQueries.imports(ledger));
  const { start, rollback } = useImportMutations();

  if (!can('registry.import')) return <ErrorPage status="403" />;

  const show = (importId: string | null) => setParams({ ledger, ...(importId ? { import: importId } : {}) }, { replace: true });

  const upload = (file: File) => {
    if (!areaId) {
      void message.warning(t('registry.imports.areaRequired'));
      return;
    }
    start.mutate(
      { ledger, areaId, file },
      {
        onSuccess: (view) => {
          void message.info(t('registry.imports.started', { file: view.fileName }));
          show(view.id);
        },
      },
    );
  };

  const confirmRollback = (view: ImportView) =>
    void modal.confirm({
      title: t('registry.imports.rollbackConfirm', { file: view.fileName }),
      okButtonProps: { danger: true, 'data-testid': 'import-rollback-confirm' },
      onOk: () =>
        rollback
          .mutateAsync(view.id)
          .then(() => void message.success(t('registry.imports.rolledBack')))
          .catch((error: unknown) => void message.error(errorMessage(error))),
    });

  const columns: TableColumnsType<ImportView> = [
    { key: 'file', title: t('registry.imports.file'), ellipsis: true, render: (_v, v) => v.fileName },
    {
      key: 'status',
      title: t('registry.imports.status'),
      width: 100,
      render: (_v, v) => <Tag color={STATUS_COLORS[v.status]}>{t(`registry.imports.statuses.${v.status}`)}</Tag>,
    },
    { key: 'created', title: t('registry.imports.counts.created'), width: 70, align: 'right', dataIndex: 'created' },
    { key: 'updated', title: t('registry.imports.counts.updated'), width: 70, align: 'right', dataIndex: 'updated' },
    { key: 'unchanged', title: t('registry.imports.counts.unchanged'), width: 80, align: 'right', dataIndex: 'unchanged' },
    { key: 'failed', title: t('registry.imports.counts.failed'), width: 70, align: 'right', dataIndex: 'failed' },
    { key: 'actor', title: t('registry.imports.actor'), width: 110, render: (_v, v) => v.actorName ?? '—' },
    { key: 'at', title: t('registry.imports.startedAt'), width: 150, render: (_v, v) => formatTime(v.createdAt) },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 180,
      render: (_v, v) => (
        <Space size={4}>
          <Button size="small" type="link" onClick={() => show(v.id)}>
            {t('registry.imports.view')}
          </Button>
          {v.status === 'done' && (
            <Button size="small" danger icon={<RollbackOutlined />} onClick={() => confirmRollback(v)} data-testid={`import-rollback-${v.id}`}>
              {t('registry.imports.rollback')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} className="registry-page">
      <Card title={t('registry.imports.title')}>
        <Space wrap size={12} align="start" className="registry-import-bar">
          <Space orientation="vertical" size={2}>
            <Typography.Text type="secondary">{t('registry.imports.ledger')}</Typography.Text>
            <Select<LedgerKey>
              data-testid="import-ledger"
              value={ledger}
              onChange={(l) => setParams({ ledger: l }, { replace: true })}
              options={LEDGERS.map((l) => ({ value: l, label: labels.ledger(l) }))}
              style={{ width: 180 }}
            />
          </Space>
          <Space orientation="vertical" size={2}>
            <Typography.Text type="secondary">{t('registry.imports.area')}</Typography.Text>
            <AreaTreeSelect value={areaId} onChange={setAreaId} placeholder={t('registry.imports.areaRequired')} style={{ width: 260 }} data-testid="import-area" />
          </Space>
          <Space orientation="vertical" size={2}>
            <span>&nbsp;</span>
            <Space wrap>
              <Button icon={<DownloadOutlined />} href={templateHref(ledger)} download data-testid="import-template">
                {t('registry.imports.template')}
              </Button>
              <Upload
                accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                showUploadList={false}
                beforeUpload={(file) => {
                  upload(file);
                  return Upload.LIST_IGNORE;
                }}
              >
                <Button type="primary" icon={<UploadOutlined />} loading={start.isPending} disabled={!areaId} data-testid="import-upload">
                  {t('registry.imports.upload')}
                </Button>
              </Upload>
            </Space>
          </Space>
        </Space>
        <Typography.Paragraph type="secondary" className="registry-import-hint">
          {t('registry.imports.areaHint')} {t('registry.imports.uploadHint')}
        </Typography.Paragraph>
        {start.error && <Alert type="error" showIcon title={errorMessage(start.error)} className="page-alert" data-testid="import-error" />}
        {current && <ImportReport importId={current} labels={labels} />}
      </Card>
      <Card size="small" title={t('registry.imports.history')}>
        {imports.isError && <Alert type="error" showIcon title={errorMessage(imports.error)} className="page-alert" />}
        <div data-testid="import-list">
          <Table<ImportView>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={imports.data ?? []}
            loading={imports.isFetching}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            rowClassName={(v) => (v.id === current ? 'registry-row-current' : '')}
            locale={{ emptyText: t('registry.imports.empty') }}
          />
        </div>
      </Card>
    </Space>
  );
}
