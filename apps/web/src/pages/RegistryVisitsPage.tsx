import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client.ts';
import { registryQueries, type DueFilter, type DueVisit } from '../api/registry.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { VisitModal } from '../components/registry/PersonTagsPanel.tsx';
import { useToday } from '../components/registry/TagValueInputs.tsx';
import { useRegistryLabels } from '../components/registry/registrySpec.ts';
import ErrorPage from './ErrorPage.tsx';
import '../components/registry/registry.css';

const WITHIN = [0, 7, 14, 30, 90] as const;
const KIND_COLORS = { care: 'cyan', special: 'volcano' } as const;

/**
 * /registry/visits — the visits due (走访提醒): overdue ones first and in red, those due within the
 * chosen days after; "visited" records the visit and the server schedules the next one.
 * Test ids visits-table, visit-row-<tagId>, visit-done-<tagId>.
 */
export default function RegistryVisitsPage() {
  const { t } = useTranslation();
  usePageTitle(t('registry.visits.title'));
  const can = useCan();
  const labels = useRegistryLabels();
  const [filter, setFilter] = useState<DueFilter>({ withinDays: 7, page: 1, pageSize: 50 });
  const due = useQuery(registryQueries.dueVisits(filter));
  const [visiting, setVisiting] = useState<DueVisit | null>(null);
  const today = useToday();

  if (!can('registry.read')) return <ErrorPage status="403" />;

  // The tag's names in both languages when the spec has it; the server's name otherwise.
  const tagNames = (v: DueVisit) => {
    const def = labels.tagDefs.find((d) => d.code === v.tag);
    return { id: v.tagId, nameZh: def?.nameZh ?? v.tagName, nameEn: def?.nameEn ?? v.tagName };
  };
  const refine = (patch: Partial<DueFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));
  const when = (v: DueVisit) => {
    if (v.overdueDays > 0) return <Tag color="red">{t('registry.visits.overdue', { days: v.overdueDays })}</Tag>;
    // The server counts overdue days only; days still to go are counted here, in the deployment's calendar.
    const ahead = Math.round((Date.parse(v.nextVisitOn) - Date.parse(today())) / 86_400_000);
    if (ahead <= 0) return <Tag color="orange">{t('registry.visits.dueToday')}</Tag>;
    return <Typography.Text type="secondary">{t('registry.visits.dueIn', { days: ahead })}</Typography.Text>;
  };

  const columns: TableColumnsType<DueVisit> = [
    {
      key: 'person',
      title: t('registry.visits.person'),
      width: 120,
      render: (_v, v) => (
        <Link to={`/registry/persons?open=${v.personId}`} onClick={(e) => e.stopPropagation()}>
          {v.personName}
        </Link>
      ),
    },
    {
      key: 'tag',
      title: t('registry.visits.tag'),
      width: 180,
      render: (_v, v) => (
        <Space size={4}>
          <Tag color={KIND_COLORS[v.kind]}>{labels.named(tagNames(v))}</Tag>
        </Space>
      ),
    },
    { key: 'grid', title: t('registry.visits.grid'), width: 160, ellipsis: true, dataIndex: 'gridName' },
    { key: 'address', title: t('registry.visits.address'), ellipsis: true, render: (_v, v) => v.address ?? '—' },
    { key: 'next', title: t('registry.visits.nextVisitOn'), width: 120, dataIndex: 'nextVisitOn' },
    { key: 'when', title: '', width: 120, render: (_v, v) => when(v) },
    ...(can('registry.manage')
      ? [{
          key: 'actions',
          title: t('common.actions'),
          width: 110,
          render: (_v: unknown, v: DueVisit) => (
            <Button size="small" icon={<CheckOutlined />} onClick={() => setVisiting(v)} data-testid={`visit-done-${v.tagId}`}>
              {t('registry.visits.visited')}
            </Button>
          ),
        }]
      : []),
  ];

  return (
    <Card
      title={t('registry.visits.title')}
      className="registry-page"
      extra={
        <Space wrap>
          <AreaTreeSelect allowClear value={filter.areaId} onChange={(areaId) => refine({ areaId })} placeholder={t('registry.common.allAreas')} style={{ width: 200 }} />
          <Select<number>
            value={filter.withinDays}
            onChange={(withinDays) => refine({ withinDays })}
            options={WITHIN.map((d) => ({ value: d, label: d === 0 ? t('registry.visits.dueToday') : t('registry.visits.within', { days: d }) }))}
            style={{ width: 140 }}
            data-testid="visits-within"
          />
          <Select<'care' | 'special'>
            allowClear
            value={filter.kind}
            onChange={(kind) => refine({ kind })}
            placeholder={t('registry.visits.allKinds')}
            options={(['care', 'special'] as const).filter((k) => k === 'care' || can('registry.special')).map((k) => ({ value: k, label: t(`registry.common.kinds.${k}`) }))}
            style={{ width: 150 }}
          />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('registry.visits.hint')}</Typography.Paragraph>
      {due.isError && <Alert type="error" showIcon title={errorMessage(due.error)} className="page-alert" />}
      <div data-testid="visits-table">
        <Table<DueVisit>
          rowKey="tagId"
          size="middle"
          columns={columns}
          dataSource={due.data?.items ?? []}
          loading={due.isFetching}
          scroll={{ x: 1000 }}
          rowClassName={(v) => (v.overdueDays > 0 ? 'row-overdue' : '')}
          onRow={(v) => ({ 'data-testid': `visit-row-${v.tagId}` }) as object}
          locale={{ emptyText: t('registry.visits.empty') }}
          pagination={{
            current: filter.page,
            pageSize: filter.pageSize,
            total: due.data?.total ?? 0,
            showTotal: (total) => t('common.total', { total }),
            hideOnSinglePage: true,
            onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
          }}
        />
      </div>
      <VisitModal
        tag={visiting ? tagNames(visiting) : null}
        labels={labels}
        onClose={() => setVisiting(null)}
      />
    </Card>
  );
}
