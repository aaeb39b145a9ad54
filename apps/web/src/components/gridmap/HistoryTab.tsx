import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { gridQueries, useAdjustmentMutations, type AdjustmentView } from '../../api/grids.ts';
import { useCan } from '../../auth/session.tsx';

const KINDS = ['create', 'redraw', 'split', 'merge', 'retire', 'import', 'renumber'] as const;
const isKind = (k: string): k is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(k);

const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/** How many grids an adjustment created, changed and retired, read from its stored summary. */
function counts(summary: unknown) {
  const s = (typeof summary === 'object' && summary !== null ? summary : {}) as Record<string, unknown>;
  return { created: count(s.created), updated: count(s.updated), retired: count(s.retired) };
}

/** Adjustments of the grids below one parent, newest first; the latest one still standing can be reverted. */
export function HistoryTab({ parentId, parentName }: { parentId: string; parentName: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatTime = useFormatTime();
  const canManage = useCan()('grid.manage');
  const history = useQuery(gridQueries.adjustments(parentId));
  const { revert } = useAdjustmentMutations(parentId);

  if (history.isPending) return <Spin size="small" className="block-spin" />;
  if (history.isError) return <Alert type="error" showIcon title={errorMessage(history.error)} />;
  const items = [...history.data].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const latest = items.find((a) => !a.revertedAt);

  const undo = (a: AdjustmentView) =>
    revert.mutate(
      { parentId, adjustmentId: a.id },
      {
        onSuccess: () => void message.success(t('gridMap.history.revertDone')),
        onError: (error) => void message.error(errorMessage(error)),
      },
    );

  return (
    <>
      <Typography.Text type="secondary" className="tab-caption">
        {t('gridMap.history.scope', { name: parentName })}
      </Typography.Text>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('gridMap.history.none')} />
      ) : (
        <ul className="side-list">
          {items.map((a) => (
            <li key={a.id} data-testid="adjustment-row">
              <div className="side-list-head">
                <Space size={6} wrap>
                  <Tag color={a.revertedAt ? 'default' : 'geekblue'}>{isKind(a.kind) ? t(`gridMap.kinds.${a.kind}`) : a.kind}</Tag>
                  <Typography.Text>{formatTime(a.createdAt)}</Typography.Text>
                  {a.actorName && <Typography.Text type="secondary">{a.actorName}</Typography.Text>}
                  {a.revertedAt && <Tag>{t('gridMap.history.reverted')}</Tag>}
                </Space>
                {canManage && a.id === latest?.id && (
                  <Popconfirm title={t('gridMap.history.revertConfirm')} onConfirm={() => undo(a)}>
                    <Button size="small" type="link" danger loading={revert.isPending} data-testid="adjustment-revert">
                      {t('gridMap.history.revert')}
                    </Button>
                  </Popconfirm>
                )}
              </div>
              <Typography.Text type="secondary">{t('gridMap.history.summary', counts(a.summary))}</Typography.Text>
              {a.reason && <Typography.Text type="secondary">{t('gridMap.history.reason', { reason: a.reason })}</Typography.Text>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
