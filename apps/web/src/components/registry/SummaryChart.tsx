import { useMemo } from 'react';
import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EChartsCoreOption } from 'echarts/core';
import { EChart } from '../charts/EChart.tsx';

export interface Series {
  key: string;
  label: string;
}

export interface ChartRow {
  key: string;
  label: string;
  values: Record<string, number>;
}

const saveAsImage = (name: string) => ({ toolbox: { right: 8, feature: { saveAsImage: { name, pixelRatio: 2 } } } });

/**
 * Horizontal bars, one cluster per area and one bar per figure of the group (ECharts), with a
 * legend that hides and shows figures, the value on each bar, and "save as image". Test id summary-chart.
 */
export function GroupedBars({ rows, series, title }: { rows: ChartRow[]; series: Series[]; title: string }) {
  const { t } = useTranslation();
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0)));
  const barH = Math.max(6, Math.min(16, Math.floor(64 / Math.max(1, series.length))));
  const height = Math.max(160, rows.length * (series.length * barH + 14) + 90);
  const option = useMemo<EChartsCoreOption>(() => ({
    ...saveAsImage(title),
    legend: { type: 'scroll', top: 0, left: 0, right: 48 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    // Areas top to bottom in the table's order.
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label), axisLabel: { width: 140, overflow: 'truncate' } },
    series: series.map((s) => ({
      name: s.label, type: 'bar', barMaxWidth: barH, data: rows.map((r) => r.values[s.key] ?? 0),
      label: { show: barH >= 10, position: 'right' },
    })),
  }), [rows, series, barH, title]);
  if (rows.length === 0 || series.length === 0 || max === 0) return <Empty description={t('registry.summary.chartEmpty')} />;
  return <EChart option={option} height={height} testId="summary-chart" kind="bar" />;
}

/**
 * The figures of a group that add up to a whole, for a pie: where the keys name a dimension
 * (`pop:1`, `pop:2`…) the largest such set; otherwise all of them.
 */
export function compositionOf(series: Series[]): Series[] {
  const byPrefix = new Map<string, Series[]>();
  for (const s of series) {
    const at = s.key.indexOf(':');
    if (at > 0) byPrefix.set(s.key.slice(0, at), [...(byPrefix.get(s.key.slice(0, at)) ?? []), s]);
  }
  if (byPrefix.size === 0) return series;
  return [...byPrefix.values()].reduce((a, b) => (b.length > a.length ? b : a));
}

/** The area's figures of one group as shares of a circle (ECharts), each slice with its count and share. */
export function Pie({ row, series, title }: { row: ChartRow; series: Series[]; title: string }) {
  const { t } = useTranslation();
  const data = useMemo(() => series.map((s) => ({ name: s.label, value: Math.max(0, row.values[s.key] ?? 0) })), [row, series]);
  const total = data.reduce((a, d) => a + d.value, 0);
  const option = useMemo<EChartsCoreOption>(() => ({
    ...saveAsImage(title),
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { type: 'scroll', orient: 'vertical', right: 8, top: 32, bottom: 8 },
    series: [{
      type: 'pie', radius: ['0%', '72%'], center: ['35%', '55%'], data: data.filter((d) => d.value > 0),
      label: { formatter: '{b}\n{c} · {d}%' }, itemStyle: { borderColor: '#fff', borderWidth: 1 },
    }],
  }), [data, title]);
  if (total === 0) return <Empty description={t('registry.summary.chartEmpty')} />;
  return <EChart option={option} height={320} testId="summary-chart" kind="pie" />;
}
