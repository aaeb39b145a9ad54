import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Input, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { UNIT_KINDS } from '@wangge/contracts';
import { caseConfigQueries, type UnitView } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { useConfigLabels } from './useConfigLabels.ts';

type KindFilter = (typeof UNIT_KINDS)[number] | 'all';
const KIND_COLORS: Record<(typeof UNIT_KINDS)[number], string> = { department: 'purple', area_office: 'cyan' };

/** Handling units, read-only. Test ids unit-table, unit-kind-filter. */
export function UnitsTab() {
  const { t } = useTranslation();
  const labels = useConfigLabels();
  const units = useQuery(caseConfigQueries.units());
  const [kind, setKind] = useState<KindFilter>('all');
  const [q, setQ] = useState('');

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (units.data ?? []).filter(
      (u) => (kind === 'all' || u.kind === kind) && (!needle || u.nameZh.toLowerCase().includes(needle) || u.code.toLowerCase().includes(needle)),
    );
  }, [units.data, kind, q]);

  const columns: TableColumnsType<UnitView> = [
    { key: 'code', title: t('caseConfig.units.code'), dataIndex: 'code', width: 160, render: (v: string) => <code className="cc-code">{v}</code> },
    { key: 'name', title: t('caseConfig.units.name'), dataIndex: 'nameZh', width: 280, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { key: 'kind', title: t('caseConfig.units.kind'), dataIndex: 'kind', width: 200, render: (v: UnitView['kind']) => <Tag color={KIND_COLORS[v]}>{labels.unitKind(v)}</Tag> },
    { key: 'area', title: t('caseConfig.units.area'), dataIndex: 'areaName', width: 180 },
    {
      key: 'members',
      title: t('caseConfig.units.members'),
      dataIndex: 'members',
      width: 100,
      align: 'right',
      render: (v: number) => (v > 0 ? v : <Typography.Text type="secondary">0</Typography.Text>),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t('caseConfig.units.hint')}</Typography.Paragraph>
      <div className="cc-toolbar">
        <Input.Search allowClear value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('caseConfig.units.search')} className="cc-search" />
        <Segmented<KindFilter>
          data-testid="unit-kind-filter"
          value={kind}
          onChange={setKind}
          options={[{ value: 'all', label: t('caseConfig.units.allKinds') }, ...UNIT_KINDS.map((k) => ({ value: k, label: labels.unitKind(k) }))]}
        />
      </div>
      {units.isError && <Alert type="error" showIcon title={errorMessage(units.error)} className="page-alert" />}
      <div data-testid="unit-table">
        <Table<UnitView>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={shown}
          loading={units.isFetching && !units.data}
          scroll={{ x: 900 }}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
        />
      </div>
    </>
  );
}
