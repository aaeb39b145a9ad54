import { Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** antd's preset palette (blue, green, gold, volcano, purple, cyan, magenta, lime, geekblue, orange). */
export const CHART_COLORS = ['#1677ff', '#52c41a', '#faad14', '#fa541c', '#722ed1', '#13c2c2', '#eb2f96', '#a0d911', '#2f54eb', '#fa8c16'];

export interface Series {
  key: string;
  label: string;
}

export interface ChartRow {
  key: string;
  label: string;
  values: Record<string, number>;
}

const color = (i: number) => CHART_COLORS[i % CHART_COLORS.length]!;

function Legend({ series }: { series: Series[] }) {
  return (
    <Space size={[16, 4]} wrap className="registry-chart-legend">
      {series.map((s, i) => (
        <span key={s.key} className="registry-chart-legend-item">
          <span className="legend-dot" style={{ background: color(i) }} />
          {s.label}
        </span>
      ))}
    </Space>
  );
}

/**
 * Horizontal bars, one cluster per area and one bar per figure of the group (drawn as SVG: the
 * console has no chart library, and these few shapes need none). Test id summary-chart.
 */
export function GroupedBars({ rows, series }: { rows: ChartRow[]; series: Series[] }) {
  const { t } = useTranslation();
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => r.values[s.key] ?? 0)));
  if (rows.length === 0 || series.length === 0 || max === 0) return <Empty description={t('registry.summary.chartEmpty')} />;
  const labelW = 150;
  const barW = 520;
  const barH = Math.max(6, Math.min(16, Math.floor(64 / series.length)));
  const rowH = series.length * barH + 14;
  const height = rows.length * rowH + 4;
  return (
    <div data-testid="summary-chart" data-kind="bar">
      <svg viewBox={`0 0 ${labelW + barW + 60} ${height}`} className="registry-chart" role="img">
        {rows.map((r, i) => {
          const y = i * rowH + 4;
          return (
            <g key={r.key}>
              <text x={labelW - 8} y={y + (rowH - 10) / 2} textAnchor="end" dominantBaseline="middle" className="registry-chart-label">
                {r.label.length > 12 ? `${r.label.slice(0, 12)}…` : r.label}
              </text>
              {series.map((s, j) => {
                const v = r.values[s.key] ?? 0;
                const w = Math.max(v > 0 ? 1 : 0, (v / max) * barW);
                const by = y + j * barH;
                return (
                  <g key={s.key}>
                    <rect x={labelW} y={by} width={w} height={barH - 2} fill={color(j)}>
                      <title>{`${r.label} · ${s.label}: ${v}`}</title>
                    </rect>
                    {barH >= 10 && (
                      <text x={labelW + w + 4} y={by + (barH - 2) / 2} dominantBaseline="middle" className="registry-chart-value">
                        {v}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </div>
  );
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

/** The area's figures of one group as shares of a circle. */
export function Pie({ row, series }: { row: ChartRow; series: Series[] }) {
  const { t } = useTranslation();
  const values = series.map((s) => Math.max(0, row.values[s.key] ?? 0));
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return <Empty description={t('registry.summary.chartEmpty')} />;
  const r = 90;
  const c = 100;
  let angle = -Math.PI / 2;
  const slices = values.map((v, i) => {
    const start = angle;
    const sweep = (v / total) * Math.PI * 2;
    angle += sweep;
    const s = series[i]!;
    const title = `${s.label}: ${v} (${((v / total) * 100).toFixed(1)}%)`;
    if (v === 0) return null;
    if (sweep >= Math.PI * 2 - 1e-9) {
      return (
        <circle key={s.key} cx={c} cy={c} r={r} fill={color(i)}>
          <title>{title}</title>
        </circle>
      );
    }
    const [x1, y1] = [c + r * Math.cos(start), c + r * Math.sin(start)];
    const [x2, y2] = [c + r * Math.cos(start + sweep), c + r * Math.sin(start + sweep)];
    const large = sweep > Math.PI ? 1 : 0;
    return (
      <path key={s.key} d={`M${c},${c} L${x1},${y1} A${r},${r} 0 ${large} 1 ${x2},${y2} Z`} fill={color(i)} stroke="#fff" strokeWidth={1}>
        <title>{title}</title>
      </path>
    );
  });
  return (
    <div data-testid="summary-chart" data-kind="pie" className="registry-pie">
      <svg viewBox="0 0 200 200" className="registry-chart registry-chart-pie" role="img">
        {slices}
      </svg>
      <Space orientation="vertical" size={4}>
        {series.map((s, i) => (
          <span key={s.key} className="registry-chart-legend-item">
            <span className="legend-dot" style={{ background: color(i) }} />
            {s.label}
            <Typography.Text type="secondary">
              {values[i]} · {((values[i]! / total) * 100).toFixed(1)}%
            </Typography.Text>
          </span>
        ))}
      </Space>
    </div>
  );
}
