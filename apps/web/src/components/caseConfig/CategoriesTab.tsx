import { useMemo, useState, type HTMLAttributes, type Key } from 'react';
import { Alert, Button, Input, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckCircleFilled, ImportOutlined, MinusCircleOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { PRIORITIES } from '@wangge/contracts';
import type { CategoryView } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { branchIds, filterTree, useCategories, type CategoryNode } from './categoryTree.ts';
import { useConfigLabels } from './useConfigLabels.ts';
import { CategoryDrawer, type CategoryDrawerTarget } from './CategoryDrawer.tsx';
import { Open311ImportModal } from './Open311ImportModal.tsx';

const LEVEL_COLORS = ['', 'blue', 'cyan', 'geekblue'] as const;

/**
 * The category tree (大类/小类/细类) with units, limits and rules. Test ids: category-search,
 * category-add, category-import, category-row-<code>, category-edit-<code>, category-add-child-<code>.
 */
export function CategoriesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const labels = useConfigLabels();
  const { query, tree, list, byId } = useCategories();
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<readonly Key[]>([]);
  const [drawer, setDrawer] = useState<CategoryDrawerTarget>(null);
  const [importing, setImporting] = useState(false);

  const shown = useMemo(() => filterTree(tree, q), [tree, q]);
  const searching = q.trim().length > 0;
  // While searching every matching branch is open; otherwise the user opens what they want.
  const expandedKeys = searching ? branchIds(shown) : expanded;

  /** Opens the branches above a category just saved, so it is seen where it now sits. */
  const reveal = (c: CategoryView) => {
    const above: string[] = [];
    for (let p = c.parentId ? byId.get(c.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) above.push(p.id);
    if (c.parentId && !above.includes(c.parentId)) above.push(c.parentId);
    setExpanded((keys) => [...new Set([...keys, ...above])]);
  };

  const yesNo = (on: boolean, yes: string, no: string) =>
    on ? (
      <span className="cc-flag cc-flag-on"><CheckCircleFilled /> {yes}</span>
    ) : (
      <span className="cc-flag"><MinusCircleOutlined /> {no}</span>
    );

  const columns: TableColumnsType<CategoryNode> = [
    {
      key: 'name',
      title: t('caseConfig.categories.name'),
      width: labels.locale === 'en' ? 330 : 280,
      fixed: 'start',
      render: (_v, c) => {
        const [main, other] = labels.locale === 'en' && c.nameEn ? [c.nameEn, c.nameZh] : [c.nameZh, c.nameEn];
        return (
          <div className="cc-category-name">
            <span className="cc-category-main">
              <Typography.Text strong={c.level === 1} delete={!c.active}>{main}</Typography.Text>
              <Tag color={LEVEL_COLORS[c.level] ?? 'default'} className="cc-level-tag">{labels.level(c.level)}</Tag>
              {!c.active && <Tag className="cc-level-tag">{t('caseConfig.common.inactive')}</Tag>}
            </span>
            {other && <span className="cc-category-other">{other}</span>}
          </div>
        );
      },
    },
    { key: 'code', title: t('caseConfig.categories.code'), dataIndex: 'code', width: 124, render: (v: string) => <code className="cc-code">{v}</code> },
    {
      key: 'limits',
      title: t('caseConfig.categories.limits'),
      children: PRIORITIES.map((p) => ({
        key: `limit-${p}`,
        title: labels.priority(p),
        width: labels.locale === 'en' ? 132 : 92,
        render: (_v: unknown, c: CategoryNode) => (
          <span className={`cc-limit cc-limit-${p}`} data-testid={`category-limit-${c.code}-${p}`}>
            {labels.limit(c.limits[p] ?? 0, c.limitUnit)}
          </span>
        ),
      })),
    },
    {
      key: 'unit',
      title: t('caseConfig.categories.defaultUnit'),
      dataIndex: 'defaultUnitName',
      width: 170,
      ellipsis: true,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      key: 'verify',
      title: t('caseConfig.categories.verify'),
      width: 100,
      render: (_v, c) => yesNo(c.verifyRequired, t('caseConfig.categories.verifyYes'), t('caseConfig.categories.verifyNo')),
    },
    {
      key: 'pause',
      title: (
        <Tooltip title={t('caseConfig.categories.pauseHint')}>
          {t('caseConfig.categories.pause')} <QuestionCircleOutlined className="cc-help" />
        </Tooltip>
      ),
      width: 130,
      render: (_v, c) => yesNo(c.pausePending, t('caseConfig.categories.pauseYes'), t('caseConfig.categories.pauseNo')),
    },
    {
      key: 'extra',
      title: t('caseConfig.categories.extraFields'),
      width: 96,
      render: (_v, c) =>
        c.extraFields.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Tooltip title={c.extraFields.map((f) => (labels.locale === 'en' ? f.labelEn : f.labelZh)).join(labels.locale === 'en' ? ', ' : '、')}>
            <Tag>{t('caseConfig.categories.fieldCount', { count: c.extraFields.length })}</Tag>
          </Tooltip>
        ),
    },
    {
      key: 'open311',
      title: t('caseConfig.categories.open311'),
      dataIndex: 'open311Code',
      width: 120,
      ellipsis: true,
      render: (v: string | null) => (v ? <code className="cc-code">{v}</code> : <Typography.Text type="secondary">—</Typography.Text>),
    },
  ];
  if (canEdit) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 150,
      fixed: 'end',
      render: (_v, c) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDrawer({ kind: 'edit', category: c })} data-testid={`category-edit-${c.code}`}>
            {t('common.edit')}
          </Button>
          {c.level < 3 && (
            <Button type="link" size="small" onClick={() => setDrawer({ kind: 'create', parent: c })} data-testid={`category-add-child-${c.code}`}>
              {t('caseConfig.categories.addChild')}
            </Button>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <div className="cc-toolbar">
        <Space wrap>
          <Input.Search
            allowClear
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('caseConfig.categories.search')}
            className="cc-search"
            data-testid="category-search"
          />
          <Button onClick={() => setExpanded(branchIds(tree))} disabled={searching}>{t('caseConfig.categories.expandAll')}</Button>
          <Button onClick={() => setExpanded([])} disabled={searching}>{t('caseConfig.categories.collapseAll')}</Button>
          {query.data && (
            <Typography.Text type="secondary">{t('caseConfig.categories.summary', { top: tree.length, all: list.length })}</Typography.Text>
          )}
        </Space>
        {canEdit && (
          <Space wrap>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="category-import">
              {t('caseConfig.categories.import')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ kind: 'create', parent: null })} data-testid="category-add">
              {t('caseConfig.categories.addTop')}
            </Button>
          </Space>
        )}
      </div>
      {query.isError && <Alert type="error" showIcon title={errorMessage(query.error)} className="page-alert" />}
      <div data-testid="category-table">
        <Table<CategoryNode>
          rowKey="id"
          size="small"
          bordered
          rowClassName={(c) => (c.level === 1 ? 'cc-row-top' : '')}
          columns={columns}
          dataSource={shown}
          loading={query.isFetching && !query.data}
          pagination={false}
          scroll={{ x: 1280 }}
          locale={{ emptyText: t('caseConfig.categories.empty') }}
          expandable={{ expandedRowKeys: expandedKeys, onExpandedRowsChange: (keys) => !searching && setExpanded(keys), indentSize: 20 }}
          onRow={(c) => ({ 'data-testid': `category-row-${c.code}` }) as HTMLAttributes<HTMLElement>}
        />
      </div>
      <CategoryDrawer target={drawer} onClose={() => setDrawer(null)} onSaved={reveal} />
      <Open311ImportModal open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
