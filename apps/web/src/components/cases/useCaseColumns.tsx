import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Space, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CaseListItem } from '../../api/cases.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { useCaseLabels } from './caseLabels.ts';
import { CaseStateTags, DueText, PriorityTag, SupervisionTags } from './CaseTags.tsx';
import { useCategoryName } from './CategoryCascader.tsx';

/**
 * Columns of a case table; `action` adds a last column (the supervision board's quick 督办), `dueFirst`
 * puts the due time right after the number. Row links carry data-testid case-link-<no>.
 */
export function useCaseColumns(action?: (c: CaseListItem) => ReactNode, dueFirst = false): TableColumnsType<CaseListItem> {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const formatTime = useFormatTime();
  const categoryName = useCategoryName();
  const columns: TableColumnsType<CaseListItem> = [
    {
      key: 'no',
      title: t('cases.no'),
      width: 165,
      fixed: 'left',
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/cases/${c.id}`} data-testid={`case-link-${c.no}`} onClick={(e) => e.stopPropagation()}>
            {c.no}
          </Link>
          <Typography.Text type="secondary" className="cell-sub">
            {labels.source(c.source)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'category',
      title: t('cases.fields.category'),
      width: 115,
      render: (_, c) => (
        <Space orientation="vertical" size={2}>
          <span>{categoryName(c.categoryId, c.categoryName)}</span>
          {c.priority !== 'normal' && <PriorityTag priority={c.priority} />}
        </Space>
      ),
    },
    {
      key: 'description',
      title: t('cases.fields.description'),
      width: 240,
      render: (_, c) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: c.description }} className="cell-desc">
          {c.description}
          {c.address && <Typography.Text type="secondary"> · {c.address}</Typography.Text>}
        </Typography.Paragraph>
      ),
    },
    { key: 'grid', title: t('cases.fields.grid'), width: 130, render: (_, c) => c.gridName ?? '—' },
    {
      key: 'unit',
      title: t('cases.list.unitAndLevel'),
      width: 170,
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          {c.unitName ?? <Typography.Text type="secondary">{t('cases.noUnit')}</Typography.Text>}
          <Typography.Text type="secondary" className="cell-sub">
            {c.ownerAreaName}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'state',
      title: t('cases.fields.state'),
      width: 130,
      render: (_, c) => <CaseStateTags state={c.state} closingKind={c.closingKind} />,
    },
    {
      key: 'due',
      title: t('cases.fields.due'),
      width: 165,
      render: (_, c) => (
        <Space orientation="vertical" size={2}>
          <DueText dueAt={c.dueAt} open={c.stateKind === 'open'} paused={c.paused} supervision={c.supervision} />
          <SupervisionTags level={c.stateKind === 'open' ? c.supervision : 'none'} supervised={c.stateKind === 'open' && c.supervised} />
        </Space>
      ),
    },
    { key: 'reported', title: t('cases.fields.reportedAt'), width: 105, render: (_, c) => <span className="cell-time">{formatTime(c.reportedAt)}</span> },
  ];
  if (dueFirst) {
    const due = columns.findIndex((c) => c.key === 'due');
    columns.splice(1, 0, ...columns.splice(due, 1));
  }
  if (action) columns.push({ key: 'action', title: t('common.actions'), width: 124, fixed: 'right', render: (_, c) => action(c) });
  return columns;
}
