import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Card, Empty, Input, Spin, Tree, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AreaSummary } from '@wangge/contracts';
import { areaQueries } from '../../api/hooks.ts';
import { errorMessage } from '../../api/client.ts';
import { useDebounced } from '../../lib/useDebounced.ts';
import { useLabels } from '../../i18n/labels.ts';
import { AreaNodeTitle, LevelTag } from './AreaBits.tsx';
import type { AreaNode, AreaTreeState } from './useAreaTree.ts';

interface Props {
  tree: AreaTreeState;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** A search match was picked: open the tree down to it and select it. */
  onPick: (area: AreaSummary) => Promise<void>;
}

/** Search box (input #area-search, matches area-search-result-<code>) above the lazily loaded tree. */
export function AreaTreePanel({ tree, selectedId, onSelect, onPick }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useLabels();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 250);
  const search = useQuery(areaQueries.search(query));
  const scrollTo = useRef<string | null>(null);

  // After a picked match has been revealed, bring its node into view.
  useEffect(() => {
    if (!scrollTo.current) return;
    const el = document.querySelector(`[data-testid="area-node-${scrollTo.current}"]`);
    if (el) {
      el.scrollIntoView({ block: 'center', behavior: 'smooth' });
      scrollTo.current = null;
    }
  }, [tree.treeData, selectedId]);

  const pick = async (area: AreaSummary) => {
    scrollTo.current = area.code;
    setText('');
    await onPick(area);
  };

  const renderResults = () => {
    if (!query) return null;
    if (search.isError) return <Alert type="error" showIcon title={errorMessage(search.error)} />;
    if (!search.data) return <Spin size="small" className="block-spin" />;
    if (search.data.length === 0) return <Typography.Text type="secondary">{t('areas.noMatch')}</Typography.Text>;
    return (
      <ul className="area-search-results">
        {search.data.map((area) => (
          <li key={area.id}>
            <button type="button" className="area-search-result" data-testid={`area-search-result-${area.code}`} onClick={() => void pick(area)}>
              <span>{labels.areaName(area)}</span>
              <LevelTag level={area.level} />
              <Typography.Text type="secondary">{area.code}</Typography.Text>
            </button>
          </li>
        ))}
      </ul>
    );
  };

  const renderTree = () => {
    if (tree.roots.isPending) return <Spin className="block-spin" />;
    if (tree.roots.isError) return <Alert type="error" showIcon title={errorMessage(tree.roots.error)} />;
    if (tree.treeData.length === 0) return <Empty description={t('areas.noAreas')} />;
    return (
      <Tree<AreaNode>
        className="area-tree"
        blockNode
        showLine
        treeData={tree.treeData}
        expandedKeys={tree.expanded}
        onExpand={(keys) => tree.setExpanded(keys.map(String))}
        loadedKeys={tree.loadedKeys}
        loadData={(node) =>
          tree.load(node.key).then(
            () => undefined,
            (error: unknown) => {
              // Close the node again, or the tree would keep asking.
              tree.setExpanded((keys) => keys.filter((k) => k !== node.key));
              void message.error(errorMessage(error));
            },
          )
        }
        selectedKeys={selectedId ? [selectedId] : []}
        onSelect={(_keys, info) => onSelect(info.node.key)}
        titleRender={(node) => <AreaNodeTitle area={node.area} />}
      />
    );
  };

  return (
    <Card size="small" title={t('areas.tree')} className="area-tree-card">
      <Input.Search
        id="area-search"
        data-testid="area-search"
        placeholder={t('areas.searchPlaceholder')}
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        loading={search.isFetching}
        className="area-search"
      />
      {renderResults()}
      <div className="area-tree-scroll">{renderTree()}</div>
    </Card>
  );
}
