import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Popconfirm, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { AimOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { gridQueries, useBuildingMutations, type BuildingView, type GridFeature } from '../../api/grids.ts';
import { useCan } from '../../auth/session.tsx';
import { PinModal } from './PinModal.tsx';

interface Props {
  gridId: string;
  /** Every grid on the map: where a building can be reassigned to. */
  grids: readonly GridFeature[];
  /** Starts picking a location on the map for a new building. */
  onAdd: () => void;
  picking: boolean;
}

/** The buildings of a grid; add one on the map, reassign by hand (with a reason) or back to automatic. */
export function BuildingsTab({ gridId, grids, onAdd, picking }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const canManage = useCan()('building.manage');
  const buildings = useQuery(gridQueries.buildings(gridId));
  const { pin } = useBuildingMutations();
  const [pinning, setPinning] = useState<BuildingView | null>(null);

  const unpin = (b: BuildingView) =>
    pin.mutate(
      { id: b.id, gridId: null },
      {
        onSuccess: () => void message.success(t('gridMap.buildings.unpinDone')),
        onError: (error) => void message.error(errorMessage(error)),
      },
    );

  const renderList = () => {
    if (buildings.isPending) return <Spin size="small" className="block-spin" />;
    if (buildings.isError) return <Alert type="error" showIcon title={errorMessage(buildings.error)} />;
    if (buildings.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gridMap.buildings.none')} />;
    return (
      <ul className="side-list">
        {buildings.data.map((b) => (
          <li key={b.id} data-testid="building-row">
            <div className="side-list-head">
              <Space size={6} wrap>
                <Typography.Text strong>{b.name}</Typography.Text>
                {b.code && <Typography.Text type="secondary">{b.code}</Typography.Text>}
                {b.floors !== null && <Tag>{t('gridMap.buildings.floorsValue', { floors: b.floors })}</Tag>}
                {b.gridPinned && (
                  <Tooltip title={b.pinReason ? t('gridMap.buildings.pinnedReason', { reason: b.pinReason }) : undefined}>
                    <Tag color="orange">{t('gridMap.buildings.pinned')}</Tag>
                  </Tooltip>
                )}
              </Space>
              {canManage && (
                <Space size={0}>
                  <Button size="small" type="link" onClick={() => setPinning(b)}>
                    {t('gridMap.buildings.pin')}
                  </Button>
                  {b.gridPinned && (
                    <Popconfirm title={t('gridMap.buildings.unpinConfirm', { name: b.name })} onConfirm={() => unpin(b)}>
                      <Button size="small" type="link">
                        {t('gridMap.buildings.unpin')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              )}
            </div>
            {b.address && <Typography.Text type="secondary">{b.address}</Typography.Text>}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <>
      {canManage && (
        <Button size="small" icon={<AimOutlined />} type={picking ? 'primary' : 'default'} onClick={onAdd} className="tab-action" data-testid="building-add">
          {picking ? t('gridMap.buildings.picking') : t('gridMap.buildings.add')}
        </Button>
      )}
      {renderList()}
      <PinModal building={pinning} grids={grids} onClose={() => setPinning(null)} />
    </>
  );
}
