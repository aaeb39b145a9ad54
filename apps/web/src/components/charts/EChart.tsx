import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, ToolboxComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

// Only what the console draws: bars and pies with their axes, legend, tooltip and "save as image".
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, ToolboxComponent, SVGRenderer]);

/** antd's preset palette (blue, green, gold, volcano, purple, cyan, magenta, lime, geekblue, orange). */
export const CHART_COLORS = ['#1677ff', '#52c41a', '#faad14', '#fa541c', '#722ed1', '#13c2c2', '#eb2f96', '#a0d911', '#2f54eb', '#fa8c16'];

/**
 * One ECharts chart in a div, drawn as SVG (sharp at any zoom, the page's own CJK fonts, and its
 * shapes visible to browser tests). Follows the console's language (ECharts' own ZH/EN texts: the
 * tooltip, "save as image"), redraws when `option` changes, resizes with its box.
 */
export function EChart({ option, height, testId, kind }: { option: EChartsCoreOption; height: number; testId?: string; kind?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { i18n } = useTranslation();
  const locale = i18n.language.startsWith('en') ? 'EN' : 'ZH';

  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, null, { renderer: 'svg', locale });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    chart.current?.setOption({ color: CHART_COLORS, animation: false, ...option }, { notMerge: true });
  }, [option, locale]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} data-kind={kind} className="echart" />;
}
