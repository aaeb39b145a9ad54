import { useCallback, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Segmented, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { BarChartOutlined, DownloadOutlined, PieChartOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client.ts';
import { useFormatTime } from '../api/hooks.ts';
import { registryQueries, summaryHref, type GridCompleteness, type RegistrySummary } from '../api/registry.ts';
import { useCan } from '../auth/session.tsx';
import { useLocale } from '../i18n/index.ts';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { compositionOf, GroupedBars, Pie, type ChartRow, type Series } from '../components/registry/SummaryChart.tsx';
import ErrorPage from './ErrorPage.tsx';
import '../components/registry/registry.css';

type Row = RegistrySummary['area'] & { total: boolean };
type Figure = RegistrySummary['figures'][number];

/** A share 0..1 as a percentage; '—' when there is nothing to count. */
export const percent = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);

/**
 * /registry/summary?area= — 分类汇总: the figures of an area and of each area below it (rolled up
 * live from the grids), grouped as the server groups them; a chart of one group; export; and the
 * completeness of each grid (区不漏房、房不漏户、户不漏项).
 * Test ids summary-area, summary-table, summary-row-<code>, summary-cell-<figure>, summary-export, summary-as-of, summary-chart.
 */
export default function RegistrySummaryPage() {
  const { t } = useTranslation();
  usePageTitle(t('registry.summary.title'));
  const can = useCan();
  const locale = useLocale();
  const formatTime = useFormatTime();
  const [areaId, setAreaId] = useState<string | undefined>();
  const summary = useQuery(registryQueries.summary(areaId));
  const completeness = useQuery(registryQueries.completeness(areaId));
  const [group, setGroup] = useState<string | undefined>();
  const [kind, setKind] = useState<'bar' | 'pie'>('bar');
  const groupNames = t('registry.summary.groups', { returnObjects: true }) as Record<string, string>;

  const data = summary.data;
  const figureLabel = useCallback((f: Figure) => (locale === 'en' ? f.labelEn : f.labelZh), [locale]);
  const groups = useMemo(() => {
    const byGroup = new Map<string, Figure[]>();
    for (const f of data?.figures ?? []) byGroup.set(f.group, [...(byGroup.get(f.group) ?? []), f]);
    return [...byGroup.entries()];
  }, [data]);
  const groupLabel = (key: string, figures: Figure[]) =>
    groupNames[key] ?? (figures.length === 1 ? figureLabel(figures[0]!) : `${figures.slice(0, 3).map(figureLabel).join(' / ')}${figures.length > 3 ? '…' : ''}`);
  // The first group of several figures is the natural first chart (a composition); else the first group.
  const chartGroup = group ?? groups.find(([, fs]) => fs.length > 1)?.[0] ?? groups[0]?.[0];

  // Memoised: the chart redraws when its data or group changes, not on every render of the page.
  const chartGroupEntry = groups.find(([key]) => key === chartGroup);
  const series = useMemo<Series[]>(
    () => (chartGroupEntry?.[1] ?? []).map((f) => ({ key: f.key, label: figureLabel(f) })),
    [chartGroupEntry, figureLabel],
  );
  const chartRows = useMemo<ChartRow[]>(
    () => (data ? (data.children.length > 0 ? data.children : [data.area]).map((r) => ({ key: r.areaId, label: r.name, values: r.values })) : []),
    [data],
  );
  const pieRow = useMemo<ChartRow | null>(() => (data ? { key: data.area.areaId, label: data.area.name, values: data.area.values } : null), [data]);
  const pieSeries = useMemo(() => compositionOf(series), [series]);
  const chartTitle = data && chartGroupEntry ? `${data.area.name} ${groupLabel(chartGroupEntry[0], chartGroupEntry[1])}` : '';

  if (!can('registry.read')) return <ErrorPage status="403" />;

  const rows: Row[] = data ? [{ ...data.area, total: true }, ...data.children.map((c) => ({ ...c, total: false }))] : [];
  const columns: TableColumnsType<Row> = [
    {
      key: 'name',
      title: t('registry.summary.area'),
      fixed: 'left',
      width: 180,
      render: (_v, r) => (r.total ? <Typography.Text strong>{r.name}</Typography.Text> : r.name),
    },
    ...groups.map(([key, figures]) => ({
      key: `g.${key}`,
      title: groupLabel(key, figures),
      children: figures.map((f) => ({
        key: f.key,
        title: figureLabel(f),
        width: 96,
        align: 'right' as const,
        render: (_v: unknown, r: Row) => <span data-testid={`summary-cell-${f.key}`}>{r.values[f.key] ?? 0}</span>,
      })),
    })),
  ];


  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} className="registry-page">
      <Card
        title={t('registry.summary.title')}
        extra={
          <Space wrap>
            <AreaTreeSelect allowClear value={areaId} onChange={setAreaId} placeholder={t('registry.common.allAreas')} style={{ width: 220 }} data-testid="summary-area" />
            <Button icon={<DownloadOutlined />} href={summaryHref(areaId)} download data-testid="summary-export">
              {t('registry.summary.export')}
            </Button>
          </Space>
        }
      >
        {summary.isError && <Alert type="error" showIcon title={errorMessage(summary.error)} className="page-alert" />}
        {data && (
          <Typography.Paragraph type="secondary" data-testid="summary-as-of">
            {t('registry.summary.asOf', { time: formatTime(data.asOf) })}
          </Typography.Paragraph>
        )}
        <div data-testid="summary-table">
          <Table<Row>
            rowKey="areaId"
            size="small"
            bordered
            columns={columns}
            dataSource={rows}
            loading={summary.isFetching}
            pagination={false}
            scroll={{ x: 180 + (data?.figures.length ?? 0) * 96 }}
            rowClassName={(r) => (r.total ? 'registry-summary-total' : '')}
            onRow={(r) => ({ 'data-testid': `summary-row-${r.code}`, ...(r.total ? {} : { onClick: () => setAreaId(r.areaId), className: 'clickable-row' }) }) as object}
          />
        </div>
        {data && data.children.length === 0 && <Typography.Text type="secondary">{t('registry.summary.noChildren')}</Typography.Text>}
      </Card>
      {groups.length > 0 && (
        <Card
          size="small"
          title={
            <Space wrap>
              <span>{t('registry.summary.chartGroup')}</span>
              <Select
                value={chartGroup}
                onChange={setGroup}
                options={groups.map(([key, figures]) => ({ value: key, label: groupLabel(key, figures) }))}
                style={{ minWidth: 180 }}
                popupMatchSelectWidth={false}
                data-testid="summary-chart-group"
              />
            </Space>
          }
          extra={
            <Segmented
              value={kind}
              onChange={(v) => setKind(v as 'bar' | 'pie')}
              options={[
                { value: 'bar', icon: <BarChartOutlined />, label: t('registry.summary.chartBar') },
                { value: 'pie', icon: <PieChartOutlined />, label: t('registry.summary.chartPie') },
              ]}
            />
          }
        >
          {kind === 'bar' ? (
            <GroupedBars rows={chartRows} series={series} title={chartTitle} />
          ) : (
            pieRow && <Pie row={pieRow} series={pieSeries} title={chartTitle} />
          )}
        </Card>
      )}
      <CompletenessCard items={completeness.data} loading={completeness.isFetching} error={completeness.error} />
    </Space>
  );
}

function ShareCell({ share }: { share: number | null }) {
  if (share === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const pct = Math.round(share * 1000) / 10;
  return <Progress percent={pct} size="small" status={pct >= 95 ? 'success' : 'normal'} format={() => percent(share)} />;
}

/** 区不漏房、房不漏户、户不漏项 per grid. Test id completeness-table. */
function CompletenessCard({ items, loading, error }: { items: GridCompleteness[] | undefined; loading: boolean; error: Error | null }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<GridCompleteness> = [
    { key: 'name', title: t('registry.summary.completeness.grid'), width: 180, fixed: 'left', render: (_v, g) => g.name },
    { key: 'houses', title: t('registry.summary.completeness.houses'), width: 80, align: 'right', dataIndex: 'houses' },
    { key: 'houseShare', title: t('registry.summary.completeness.houseShare'), width: 150, render: (_v, g) => <ShareCell share={g.houseShare} /> },
    { key: 'households', title: t('registry.summary.completeness.households'), width: 80, align: 'right', dataIndex: 'households' },
    { key: 'householdShare', title: t('registry.summary.completeness.householdShare'), width: 150, render: (_v, g) => <ShareCell share={g.householdShare} /> },
    { key: 'people', title: t('registry.summary.completeness.people'), width: 80, align: 'right', dataIndex: 'people' },
    { key: 'fieldShare', title: t('registry.summary.completeness.fieldShare'), width: 150, render: (_v, g) => <ShareCell share={g.fieldShare} /> },
    { key: 'score', title: t('registry.summary.completeness.score'), width: 150, render: (_v, g) => <ShareCell share={g.score} /> },
  ];
  return (
    <Card size="small" title={t('registry.summary.completeness.title')}>
      {error && <Alert type="error" showIcon title={errorMessage(error)} className="page-alert" />}
      <div data-testid="completeness-table">
        <Table<GridCompleteness>
          rowKey="gridId"
          size="small"
          columns={columns}
          dataSource={items ?? []}
          loading={loading}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1020 }}
          locale={{ emptyText: t('registry.summary.completeness.empty') }}
        />
      </div>
    </Card>
  );
}
