import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Row, Skeleton, Statistic, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AREA_LEVELS, type AreaDetail, type AreaLevel } from '@wangge/contracts';
import { areaQueries } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { useLabels } from '../../i18n/labels.ts';
import { LevelTag } from './AreaBits.tsx';
import { topDownAncestors } from './useAreaTree.ts';

interface Props {
  id: string;
  canManage: boolean;
  /** Whether the user can open this area (it is in their tree). */
  isKnown: (id: string) => boolean;
  onNavigate: (id: string) => void;
  onEdit: (area: AreaDetail) => void;
}

const below = (level: AreaLevel, than: AreaLevel) => AREA_LEVELS.indexOf(level) < AREA_LEVELS.indexOf(than);

/** The selected area: where it sits, what it is, how much lies below it. Test id area-detail. */
export function AreaDetailCard({ id, canManage, isKnown, onNavigate, onEdit }: Props) {
  const { t } = useTranslation();
  const labels = useLabels();
  const detail = useQuery(areaQueries.detail(id));

  if (detail.isPending) return <Card><Skeleton active paragraph={{ rows: 6 }} /></Card>;
  if (detail.isError) return <Alert type="error" showIcon title={errorMessage(detail.error)} />;
  const area = detail.data;

  const crumbs = [
    ...topDownAncestors(area).map((a) => ({
      key: a.id,
      title: isKnown(a.id) ? <Typography.Link onClick={() => onNavigate(a.id)}>{labels.areaName(a)}</Typography.Link> : labels.areaName(a),
    })),
    { key: area.id, title: labels.areaName(area) },
  ];

  const stats = [
    { key: 'children', value: area.counts.children, show: area.hasChildren || area.counts.children > 0 },
    { key: 'streets', value: area.counts.streets, show: below(area.level, 'street') },
    { key: 'communities', value: area.counts.communities, show: below(area.level, 'community') },
    { key: 'grids', value: area.counts.grids, show: area.level !== 'grid' || area.counts.grids > 0 },
    { key: 'users', value: area.counts.users, show: true },
  ] as const;

  return (
    <Card
      data-testid="area-detail"
      title={
        <span className="area-node">
          <span>{labels.areaName(area)}</span>
          <LevelTag level={area.level} />
        </span>
      }
      extra={
        canManage && (
          <Button icon={<EditOutlined />} onClick={() => onEdit(area)} data-testid="area-edit">
            {t('common.edit')}
          </Button>
        )
      }
    >
      <Breadcrumb items={crumbs} className="area-breadcrumb" />
      <Row gutter={[16, 16]} className="area-stats">
        {stats
          .filter((s) => s.show)
          .map((s) => (
            <Col key={s.key} xs={12} sm={8} md={6} xl={4} data-testid={`area-stat-${s.key}`}>
              <Statistic title={t(`areas.counts.${s.key}`)} value={s.value} />
            </Col>
          ))}
      </Row>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'code', label: t('areas.code'), children: <Typography.Text copyable>{area.code}</Typography.Text> },
          { key: 'level', label: t('areas.level'), children: labels.level(area.level) },
          { key: 'nameZh', label: t('areas.nameZh'), children: area.nameZh },
          { key: 'nameEn', label: t('areas.nameEn'), children: area.nameEn ?? <Typography.Text type="secondary">{t('common.none')}</Typography.Text> },
          ...(area.gridType ? [{ key: 'gridType', label: t('areas.gridType'), children: labels.gridType(area.gridType) }] : []),
          { key: 'geometry', label: t('areas.geometry'), children: area.hasGeometry ? t('areas.hasGeometry') : t('areas.noGeometry') },
        ]}
      />
    </Card>
  );
}
