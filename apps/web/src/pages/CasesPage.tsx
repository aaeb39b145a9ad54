import { lazy, Suspense, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Segmented, Space, Spin, Table, Tabs } from 'antd';
import { EnvironmentOutlined, FileAddOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CASE_QUEUES, type CaseQueue } from '@wangge/contracts';
import { errorMessage } from '../api/client.ts';
import { caseQueries, type CaseFilter, type CaseListItem } from '../api/cases.ts';
import { useCan } from '../auth/session.tsx';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { useCaseLabels } from '../components/cases/caseLabels.ts';
import { CaseFilters, ExportButton } from '../components/cases/CaseFilters.tsx';
import { useCaseColumns } from '../components/cases/useCaseColumns.tsx';
import '../components/cases/cases.css';

const CaseMapView = lazy(() => import('../components/cases/CaseMapView.tsx'));

/** The map shows up to this many cases of the queue at once (the API's largest page). */
const MAP_LIMIT = 200;

const isQueue = (v: string | null): v is CaseQueue => v !== null && (CASE_QUEUES as readonly string[]).includes(v);

/** Queues that cannot hold anything for a user without the permissions they are about; 'all' always shows. */
function useQueues(): CaseQueue[] {
  const can = useCan();
  const dispatch = can('case.dispatch');
  const work = dispatch || can('case.handle');
  const shown: Record<CaseQueue, boolean> = {
    all: true, to_dispatch: dispatch, my_pending: work, my_overdue: work, dispatched_by_me: dispatch,
    to_verify: can('case.verify'), supervision: can('case.read') || can('case.supervise'), closed: true,
  };
  return CASE_QUEUES.filter((q) => shown[q]);
}

/** /cases?queue=<queue> — the work queues (工作台): tabs with counts, filters, a table or a map, export. Test ids case-queue-<queue>, case-table, case-view. */
export default function CasesPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.cases'));
  const labels = useCaseLabels();
  const navigate = useNavigate();
  const can = useCan();
  const queues = useQueues();
  const [params, setParams] = useSearchParams();
  const asked = params.get('queue');
  const fallback = (['my_pending', 'to_verify'] as const).find((q) => queues.includes(q)) ?? 'all';
  const queue: CaseQueue = isQueue(asked) && queues.includes(asked) ? asked : fallback;
  const [view, setView] = useState<'table' | 'map'>('table');
  const [filter, setFilter] = useState<Omit<CaseFilter, 'queue'>>({ page: 1, pageSize: 20 });
  const current: CaseFilter = { ...filter, queue };
  const counts = useQuery(caseQueries.counts());
  const list = useQuery(caseQueries.list(view === 'map' ? { ...current, page: 1, pageSize: MAP_LIMIT } : current));
  const columns = useCaseColumns();

  const refine = (patch: Partial<CaseFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));
  const pickQueue = (q: string) => {
    setParams({ queue: q });
    setFilter((f) => ({ ...f, page: 1 }));
  };

  const tabs = queues.map((q) => ({
    key: q,
    label: (
      <span data-testid={`case-queue-${q}`}>
        {labels.queue(q)}
        <Badge
          count={counts.data?.[q] ?? 0}
          showZero
          overflowCount={9999}
          color={q === 'my_overdue' || q === 'supervision' ? (counts.data?.[q] ? '#f5222d' : '#d9d9d9') : q === 'all' || q === 'closed' ? '#bfbfbf' : '#1677ff'}
          className="queue-count"
        />
      </span>
    ),
  }));

  return (
    <Card
      title={t('nav.cases')}
      className="cases-page"
      extra={
        <Space wrap>
          <Segmented
            data-testid="case-view"
            value={view}
            onChange={(v) => setView(v as 'table' | 'map')}
            options={[
              { value: 'table', icon: <UnorderedListOutlined />, label: t('cases.list.tableView') },
              { value: 'map', icon: <EnvironmentOutlined />, label: t('cases.list.mapView') },
            ]}
          />
          <ExportButton filter={current} />
          {can('case.report') && (
            <Button type="primary" icon={<FileAddOutlined />} onClick={() => void navigate('/intake')}>
              {t('nav.intake')}
            </Button>
          )}
        </Space>
      }
    >
      <Tabs activeKey={queue} onChange={pickQueue} items={tabs} className="queue-tabs" />
      <CaseFilters filter={current} onChange={refine} />
      {(list.isError || counts.isError) && <Alert type="error" showIcon title={errorMessage(list.error ?? counts.error)} className="page-alert" />}
      {view === 'map' ? (
        <>
          {(list.data?.total ?? 0) > MAP_LIMIT && <Alert type="info" showIcon title={t('cases.map.limited', { limit: MAP_LIMIT, total: list.data?.total ?? 0 })} className="page-alert" />}
          <Suspense fallback={<Spin className="block-spin" />}>
            <CaseMapView items={list.data?.items ?? []} loading={list.isFetching} />
          </Suspense>
        </>
      ) : (
        <div data-testid="case-table">
          <Table<CaseListItem>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isFetching}
            scroll={{ x: 1220 }}
            rowClassName={(c) => (c.stateKind === 'open' && c.supervision === 'overdue' ? 'row-overdue' : '')}
            onRow={(c) => ({ onClick: () => void navigate(`/cases/${c.id}`), className: 'clickable-row' })}
            locale={{ emptyText: t('cases.list.empty') }}
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
      )}
    </Card>
  );
}
