import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client.ts';
import { registryQueries, type PersonSearchHit } from '../api/registry.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { LEDGER_SPECS, useRegistryLabels } from '../components/registry/registrySpec.ts';
import ErrorPage from './ErrorPage.tsx';
import '../components/registry/registry.css';

const dictOf = (key: string) => LEDGER_SPECS.persons.fields.find((f) => f.key === key)?.dict;

/**
 * /registry/search?q= — one box to find a person by name (two characters will do), pinyin
 * initials, ID number, phone or address; each hit says what matched, with masked ID and phone.
 * A row opens the person in the people ledger. Test ids person-search, person-hits, person-hit-<id>, person-matched.
 */
export default function RegistrySearchPage() {
  const { t } = useTranslation();
  usePageTitle(t('registry.search.title'));
  const can = useCan();
  const navigate = useNavigate();
  const labels = useRegistryLabels();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [areaId, setAreaId] = useState<string | undefined>();
  const [typed, setTyped] = useState(q);
  const search = useQuery(registryQueries.search(q, areaId));

  if (!can('registry.read')) return <ErrorPage status="403" />;

  const columns: TableColumnsType<PersonSearchHit> = [
    { key: 'name', title: t('registry.search.columns.name'), width: 120, render: (_v, h) => <Typography.Text strong data-testid="hit-name">{h.name}</Typography.Text> },
    { key: 'sex', title: t('registry.search.columns.sex'), width: 70, render: (_v, h) => labels.code(dictOf('sex'), h.sex) },
    { key: 'birthDate', title: t('registry.search.columns.birthDate'), width: 110, dataIndex: 'birthDate' },
    { key: 'idNo', title: t('registry.search.columns.idNo'), width: 190, render: (_v, h) => <span data-testid="hit-idno">{h.idNo}</span> },
    { key: 'phone', title: t('registry.search.columns.phone'), width: 140, dataIndex: 'phone' },
    { key: 'address', title: t('registry.search.columns.address'), ellipsis: true, dataIndex: 'address' },
    { key: 'popType', title: t('registry.search.columns.popType'), width: 110, render: (_v, h) => labels.code(dictOf('popType'), h.popType) },
    { key: 'grid', title: t('registry.search.columns.grid'), width: 150, ellipsis: true, dataIndex: 'gridName' },
    {
      key: 'tags',
      title: t('registry.search.columns.tags'),
      width: 180,
      render: (_v, h) => (
        <Space size={[4, 4]} wrap>
          {h.tags.map((tag) => (
            <Tag key={tag} color="cyan">{labels.tagName(tag)}</Tag>
          ))}
        </Space>
      ),
    },
  ];

  const result = search.data;
  return (
    <Card title={t('registry.search.title')} className="registry-page">
      <Space wrap size={8} className="registry-search-bar">
        <Input.Search
          id="person-search"
          data-testid="person-search"
          size="large"
          allowClear
          enterButton
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder={t('registry.search.placeholder')}
          onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {}, { replace: true })}
          className="registry-person-search"
          loading={search.isFetching}
        />
        <AreaTreeSelect allowClear value={areaId} onChange={setAreaId} placeholder={t('registry.common.allAreas')} style={{ width: 220 }} />
      </Space>
      <Typography.Paragraph type="secondary">{t('registry.search.hint')}</Typography.Paragraph>
      {search.isError && <Alert type="error" showIcon title={errorMessage(search.error)} className="page-alert" />}
      {result && q && (
        <Typography.Paragraph data-testid="person-matched" data-matched={result.matched}>
          {t('registry.search.matchedBy', { how: t(`registry.search.matched.${result.matched}`), count: result.items.length })}
        </Typography.Paragraph>
      )}
      {q && (
        <div data-testid="person-hits">
          <Table<PersonSearchHit>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={result?.items ?? []}
            loading={search.isFetching}
            pagination={false}
            scroll={{ x: 1300 }}
            locale={{ emptyText: t('registry.search.empty') }}
            onRow={(h) => ({ onClick: () => void navigate(`/registry/persons?open=${h.id}`), className: 'clickable-row', 'data-testid': `person-hit-${h.id}` }) as object}
          />
        </div>
      )}
    </Card>
  );
}
