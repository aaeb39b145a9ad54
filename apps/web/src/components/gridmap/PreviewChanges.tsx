import { Collapse, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdjustmentPreview } from '../../api/grids.ts';

const MOVE_KINDS = ['building', 'staff', 'household', 'person', 'case'] as const;
type MoveKind = (typeof MOVE_KINDS)[number];
const isMoveKind = (k: string): k is MoveKind => (MOVE_KINDS as readonly string[]).includes(k);

/** What an adjustment creates, changes and retires, and what moves with it (counts, then the list). */
export function PreviewChanges({ preview }: { preview: AdjustmentPreview }) {
  const { t } = useTranslation();
  const kindLabel = (k: string) => (isMoveKind(k) ? t(`gridMap.preview.moveKinds.${k}`) : k);
  const counts = Object.entries(preview.movesByKind).filter(([, n]) => n > 0);
  const none = <Typography.Text type="secondary">{t('gridMap.preview.none')}</Typography.Text>;

  const groups = [
    {
      key: 'creates',
      items: preview.creates.map((c) => (
        <Tag key={c.tempId} color="blue">
          {c.code} {c.nameZh}
        </Tag>
      )),
    },
    {
      key: 'updates',
      items: preview.updates.map((u) => (
        <Tag key={u.id} color="gold">
          {u.code} {u.nameZh}
          {u.geometryChanged && ` · ${t('gridMap.preview.boundary')}`}
        </Tag>
      )),
    },
    {
      key: 'retires',
      items: preview.retires.map((r) => (
        <Tag key={r.id} color="red">
          {r.code} {r.nameZh}
        </Tag>
      )),
    },
  ] as const;

  return (
    <div className="preview-changes">
      {groups.map((g) => (
        <div key={g.key} className="preview-row">
          <Typography.Text strong className="preview-row-label">
            {t(`gridMap.preview.${g.key}`)}
          </Typography.Text>
          <div>{g.items.length > 0 ? g.items : none}</div>
        </div>
      ))}
      <div className="preview-row">
        <Typography.Text strong className="preview-row-label">
          {t('gridMap.preview.moves')}
        </Typography.Text>
        <div>
          {counts.length === 0 ? (
            none
          ) : (
            <Space size={4} wrap>
              {counts.map(([k, n]) => (
                <Tag key={k}>
                  {kindLabel(k)} {n}
                </Tag>
              ))}
            </Space>
          )}
        </div>
      </div>
      {preview.moves.length > 0 && (
        <Collapse
          size="small"
          ghost
          items={[
            {
              key: 'moves',
              label: t('gridMap.preview.moveList', { count: preview.moves.length }),
              children: (
                <ul className="preview-moves">
                  {preview.moves.map((m) => (
                    <li key={`${m.kind}:${m.id}`}>
                      {t('gridMap.preview.moveItem', { kind: kindLabel(m.kind), label: m.label, from: m.from ?? '—', to: m.to ?? '—' })}
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
