import { lazy, Suspense, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Empty, Image, Row, Skeleton, Space, Spin, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseAction } from '@wangge/contracts';
import { ApiError, errorMessage } from '../api/client.ts';
import { caseQueries } from '../api/cases.ts';
import { usePageTitle } from '../lib/usePageTitle.ts';
import ErrorPage from './ErrorPage.tsx';
import { useCaseLabels } from '../components/cases/caseLabels.ts';
import { CaseStateTags, PriorityTag, SupervisionTags } from '../components/cases/CaseTags.tsx';
import { CaseFacts, CaseLinks, Reporter } from '../components/cases/CaseFacts.tsx';
import { ExtraValues } from '../components/cases/ExtraFields.tsx';
import { RouteText } from '../components/cases/RouteAndDuplicates.tsx';
import { CaseTimeline } from '../components/cases/CaseTimeline.tsx';
import { TransitionModal } from '../components/cases/TransitionModal.tsx';
import '../components/cases/cases.css';

const PlaceMap = lazy(() => import('../components/cases/PlaceMap.tsx'));

/** Actions that end or turn a case back, shown as danger buttons; the main forward step is the primary one. */
const DANGER = new Set<CaseAction>(['refuse', 'return', 'verify_fail', 'deny_extension', 'shelve']);
const SECONDARY = new Set<CaseAction>(['supervise', 'correct_grid', 'merge', 'escalate', 'convene', 'request_extension', 'shelve', 'refuse', 'return']);

/** /cases/:id — one case: header, facts, description, place, reporter, route, links, the actions this user may take now, the trace. Test ids action-<action>. */
export default function CaseDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const labels = useCaseLabels();
  const detail = useQuery(caseQueries.detail(id));
  const categories = useQuery(caseQueries.categories());
  const [acting, setActing] = useState<CaseAction | null>(null);
  const c = detail.data;
  usePageTitle(c ? `${c.no} · ${t('nav.cases')}` : t('nav.cases'));

  if (detail.isPending) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;
  if (detail.isError) {
    const status = detail.error instanceof ApiError ? detail.error.status : 0;
    if (status === 404) return <ErrorPage status="404" />;
    if (status === 403) return <ErrorPage status="403" />;
    return <Alert type="error" showIcon title={errorMessage(detail.error)} action={<Button onClick={() => void detail.refetch()}>{t('common.retry')}</Button>} />;
  }
  if (!c) return null;

  const category = categories.data?.find((x) => x.id === c.categoryId);
  const primary = c.actions.find((a) => !SECONDARY.has(a));
  const ordered = [...c.actions].sort((a, b) => Number(a !== primary) - Number(b !== primary) || Number(SECONDARY.has(a)) - Number(SECONDARY.has(b)));
  const reportPhotos = c.events.find((e) => e.action === 'report')?.attachments.filter((a) => a.kind === 'image') ?? [];

  return (
    <div className="case-detail">
      <Breadcrumb className="case-breadcrumb" items={[{ title: <Link to="/cases">{t('nav.cases')}</Link> }, { title: c.no }]} />
      <Card className="case-head" data-testid="case-head">
        <div className="case-head-row">
          <Space size={12} wrap align="center">
            <Typography.Title level={4} className="case-no" data-testid="case-no">
              {c.no}
            </Typography.Title>
            <CaseStateTags state={c.state} closingKind={c.closingKind} />
            <PriorityTag priority={c.priority} />
            {c.stateKind === 'open' && <SupervisionTags level={c.supervision} supervised={c.supervised} />}
          </Space>
          <Space wrap className="case-actions" data-testid="case-actions">
            {ordered.map((a) => (
              <Button
                key={a}
                type={a === primary ? 'primary' : 'default'}
                danger={DANGER.has(a)}
                onClick={() => setActing(a)}
                data-testid={`action-${a}`}
              >
                {labels.action(a)}
              </Button>
            ))}
            <Button icon={<ReloadOutlined />} onClick={() => void detail.refetch()} loading={detail.isFetching} aria-label={t('cases.detail.reload')} />
          </Space>
        </div>
        {c.actions.length === 0 && (
          <Typography.Text type="secondary" className="case-no-actions">
            {t(c.stateKind === 'open' ? 'cases.detail.noActionsOpen' : 'cases.detail.noActionsClosed')}
          </Typography.Text>
        )}
        <CaseFacts c={c} />
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card title={t('cases.fields.description')} className="case-card">
            <Typography.Paragraph className="case-description" data-testid="case-description">
              {c.description}
            </Typography.Paragraph>
            {reportPhotos.length > 0 && (
              <Image.PreviewGroup>
                <Space wrap>
                  {reportPhotos.map((a) => (
                    <Image key={a.id} src={a.thumbUrl ?? a.url} preview={{ src: a.url }} width={96} height={96} className="event-thumb" alt="" />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
            {(category?.extraFields.length ?? 0) > 0 || Object.keys(c.extra).length > 0 ? (
              <>
                <Typography.Title level={5} className="case-subtitle">{t('cases.detail.extra')}</Typography.Title>
                <ExtraValues fields={category?.extraFields ?? []} values={c.extra} />
              </>
            ) : null}
            <CaseLinks c={c} />
          </Card>
          <Card title={t('cases.detail.timeline')} className="case-card">
            <CaseTimeline events={c.events} endsWhereUnitLeft={c.traceEndsWhereUnitLeft} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('cases.detail.place')} className="case-card" size="small">
            {c.lon !== null && c.lat !== null ? (
              <Suspense fallback={<Spin className="block-spin" />}>
                <PlaceMap areaId={c.gridId} at={[c.lon, c.lat]} selectedId={c.gridId} follow className="detail-map" />
              </Suspense>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.detail.noPoint')} />
            )}
            <div className="case-address">
              {c.address && <div>{c.address}</div>}
              {c.lon !== null && c.lat !== null && (
                <Typography.Text type="secondary" copyable>{`${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}`}</Typography.Text>
              )}
            </div>
          </Card>
          <Card title={t('cases.detail.reporter')} className="case-card" size="small">
            <Reporter key={c.id} c={c} />
          </Card>
          <Card title={t('cases.detail.route')} className="case-card" size="small">
            {c.route ? <RouteText route={c.route} /> : <Typography.Text type="secondary">{t('cases.route.unknown')}</Typography.Text>}
          </Card>
        </Col>
      </Row>
      <TransitionModal detail={c} action={acting} onClose={() => setActing(null)} />
    </div>
  );
}
