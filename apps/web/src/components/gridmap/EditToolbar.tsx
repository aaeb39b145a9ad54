import { useRef, type ReactNode } from 'react';
import { App, Button, Space, Typography } from 'antd';
import {
  CheckOutlined, DeleteOutlined, EditOutlined, ImportOutlined, MergeCellsOutlined, OrderedListOutlined, PlusSquareOutlined, ScissorOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { GridProps } from '../../api/grids.ts';
import { AreaTreeSelect } from '../AreaTreeSelect.tsx';
import { TOOLS, type EditSession, type Tool } from './useEditSession.ts';

const ICONS: Record<Tool, ReactNode> = {
  create: <PlusSquareOutlined />,
  edit: <EditOutlined />,
  split: <ScissorOutlined />,
  merge: <MergeCellsOutlined />,
  retire: <DeleteOutlined />,
  import: <ImportOutlined />,
  renumber: <OrderedListOutlined />,
};

interface Props {
  session: EditSession;
  selected: GridProps | null;
  drawing: { canFinish: boolean; finish: () => void };
}

/** Adjustment tools (test ids tool-<name>, draw-finish) for the grids below one parent. */
export function EditToolbar({ session, selected, drawing }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const file = useRef<HTMLInputElement>(null);
  const { parentId, tool, target, body } = session;

  const hint = (): string | null => {
    if (!parentId) return t('gridMap.edit.noScope');
    if (tool === 'create' && !body) return t('gridMap.edit.hints.create');
    if (tool === 'edit') return t(target ? 'gridMap.edit.hints.edit' : 'gridMap.edit.hints.editPick');
    if (tool === 'split' && !body) return t(target ? 'gridMap.edit.hints.split' : 'gridMap.edit.hints.splitPick');
    if (tool === 'merge') return t('gridMap.edit.hints.merge', { count: session.mergeIds.length });
    if (tool === 'retire' && !target) return t('gridMap.edit.hints.retire');
    return null;
  };

  const importFile = async (picked: File | undefined) => {
    if (!picked) return;
    try {
      const parsed: unknown = JSON.parse(await picked.text());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      session.startImport(parsed as Record<string, unknown>);
    } catch {
      void message.error(t('gridMap.edit.badJson', { name: picked.name }));
    }
  };

  const press = (next: Tool) => (next === 'import' ? file.current?.click() : session.start(next, selected));
  const text = hint();

  return (
    <div className="grid-edit-bar">
      <Space wrap size={8}>
        <Typography.Text strong>{t('gridMap.edit.scope')}</Typography.Text>
        <AreaTreeSelect
          value={parentId ?? undefined}
          onChange={(id) => session.setParentId(id ?? null)}
          placeholder={t('gridMap.edit.scopePlaceholder')}
          style={{ width: 220 }}
          data-testid="edit-scope"
        />
        <Space.Compact>
          {TOOLS.map((name) => (
            <Button
              key={name}
              icon={ICONS[name]}
              type={tool === name ? 'primary' : 'default'}
              disabled={!parentId}
              data-testid={`tool-${name}`}
              onClick={() => press(name)}
            >
              {t(`gridMap.tools.${name}`)}
            </Button>
          ))}
        </Space.Compact>
        <input
          ref={file}
          type="file"
          hidden
          accept=".geojson,.json,application/geo+json,application/json"
          onChange={(e) => {
            void importFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </Space>
      {(text || session.drawKind) && (
        <div className="grid-edit-hint">
          {text && <Typography.Text type="secondary">{text}</Typography.Text>}
          {session.drawKind && (
            <Button size="small" type="primary" icon={<CheckOutlined />} disabled={!drawing.canFinish} onClick={drawing.finish} data-testid="draw-finish">
              {t('gridMap.tools.finish')}
            </Button>
          )}
          {tool && (
            <Button size="small" onClick={session.cancel}>
              {t('gridMap.tools.cancel')}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
