import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AreaLevel, AreaSummary } from '@wangge/contracts';
import { levelColors, useLabels } from '../../i18n/labels.ts';

export function LevelTag({ level }: { level: AreaLevel }) {
  const labels = useLabels();
  return (
    <Tag color={levelColors[level]} variant="filled" className="level-tag">
      {labels.level(level)}
    </Tag>
  );
}

/** "7 社区 · 38 网格": the areas below, by kind, leaving out kinds it has none of. */
function useCountsText() {
  const { t } = useTranslation();
  return (area: AreaSummary) => {
    const { streets, communities, grids } = area.counts;
    const parts: string[] = [];
    if (streets > 0) parts.push(t('areas.count.streets', { count: streets }));
    if (communities > 0) parts.push(t('areas.count.communities', { count: communities }));
    if (grids > 0) parts.push(t('areas.count.grids', { count: grids }));
    return parts.join(' · ');
  };
}

/** A tree node: name, level tag, counts. Carries data-testid="area-node-<code>". */
export function AreaNodeTitle({ area }: { area: AreaSummary }) {
  const labels = useLabels();
  const counts = useCountsText()(area);
  return (
    <span className="area-node" data-testid={`area-node-${area.code}`}>
      <span className="area-node-name">{labels.areaName(area)}</span>
      <LevelTag level={area.level} />
      {counts && <Typography.Text type="secondary" className="area-node-counts">· {counts}</Typography.Text>}
    </span>
  );
}
