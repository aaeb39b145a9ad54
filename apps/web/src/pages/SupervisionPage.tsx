import { useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Segmented, Statistic, Table } from 'antd';
import { ClockCircleOutlined, FlagOutlined, WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client.ts';
import { caseQueries, type CaseListItem } from '../api/cases.ts';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { useCaseLabels } from '../components/cases/caseLabels.ts';
import { useCaseColumns } from '../components/cases/useCaseColumns.tsx';
import { SuperviseModal } from '../components/cases/SuperviseModal.tsx';
import '../components/cases/cases.css';

/** The board reads the whole 'supervision' queue at once, up to the API's largest page. */
const LIMIT = 200;
type Show = 'all' | 'overdue' | 'due_soon' | 'flagged';

/** /supervision — the supervision board (督办): due-soon, overdue and flagged open cases by due time, with a quick 督办. Test ids supervision-*, supervise-<no>. */
export default function SupervisionPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.supervision'));
  const labels = useCaseLabels();
  const navigate = useNavigate();
  const list = useQuery({ ...caseQueries.list({ queue: 'supervision', page: 1, pageSize: LIMIT }), refetchInterval: 60_000 });
  const [show, setShow] = useState<Show>('all');
  const [target, setTarget] = useState<CaseListItem | null>(null);
  const items = useMemo(() => list.data?.items ?? [], [list.data]);

  const figures = useMemo(
    () => ({
      overdue: items.filter((c) => c.supervision === 'overdue').length,
      due_soon: items.filter((c) => c.supervision === 'due_soon').length,
      flagged: items.filter((c) => c.supervised).length,
    }),
    [items],
  );
  const shown = useMemo(
    () => items.filter((c) => show === 'all' || (show === 'flagged' ? c.supervised : c.supervision === show)),
    [items, show],
  );

  const columns = useCaseColumns((c) => (
    <Button
      size="small"
      type={c.supervised ? 'default' : 'primary'}
      danger={c.supervision === 'overdue'}
      icon={<FlagOutlined />}
      onClick={(e) => {
        e.stopPropagation();
        setTarget(c);
      }}
      data-testid={`supervise-${c.no}`}
    >
      {t(c.supervised ? 'cases.supervision.again' : 'cases.supervision.act')}
    </Button>
  ), true);

  const stat = (key: Exclude<Show, 'all'>, title: string, icon: ReactNode, tone: string) => (
    <Col xs={24} sm={8}>
      <Card className={`supervision-stat supervision-stat-${tone}${show === key ? ' supervision-stat-active' : ''}`} hoverable onClick={() => setShow(show === key ? 'all' : key)} data-testid={`supervision-${key}`}>
        <Statistic title={title} value={figures[key]} prefix={icon} />
      </Card>
    </Col>
  );

  return (
    <div className="supervision-page">
      <Row gutter={16} className="supervision-stats">
        {stat('overdue', labels.supervision('overdue'), <WarningOutlined />, 'red')}
        {stat('due_soon', labels.supervision('due_soon'), <ClockCircleOutlined />, 'orange')}
        {stat('flagged', t('cases.supervised'), <FlagOutlined />, 'volcano')}
      </Row>
      <Card
        title={t('nav.supervision')}
        extra={
          <Segmented<Show>
            value={show}
            onChange={setShow}
            options={[
              { value: 'all', label: t('cases.supervision.all', { count: items.length }) },
              { value: 'overdue', label: labels.supervision('overdue') },
              { value: 'due_soon', label: labels.supervision('due_soon') },
              { value: 'flagged', label: t('cases.supervised') },
            ]}
          />
        }
      >
        {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} className="page-alert" />}
        {(list.data?.total ?? 0) > LIMIT && <Alert type="info" showIcon title={t('cases.supervision.limited', { limit: LIMIT, total: list.data?.total ?? 0 })} className="page-alert" />}
        <div data-testid="supervision-table">
          <Table<CaseListItem>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={shown}
            loading={list.isFetching}
            scroll={{ x: 1320 }}
            rowClassName={(c) => (c.supervision === 'overdue' ? 'row-overdue' : c.supervision === 'due_soon' ? 'row-due-soon' : '')}
            onRow={(c) => ({ onClick: () => void navigate(`/cases/${c.id}`), className: 'clickable-row' })}
            locale={{ emptyText: t('cases.supervision.empty') }}
            pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
          />
        </div>
      </Card>
      <SuperviseModal target={target} onClose={() => setTarget(null)} />
    </div>
  );
}
