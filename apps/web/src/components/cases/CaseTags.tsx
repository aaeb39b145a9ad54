import { Space, Tag, Tooltip, Typography } from 'antd';
import { FlagOutlined, PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseState, ClosingKind, Priority, SupervisionLevel } from '@wangge/contracts';
import { useFormatTime } from '../../api/hooks.ts';
import { priorityColors, stateColor, supervisionColors, useCaseLabels } from './caseLabels.ts';

/**
 * The state, and for a closed case how it ended: "已结案 · 已解决", "已评价 · 挂账（暂不能解决）".
 * A closed case is only ever shown as solved when its closing kind says so. Test ids case-state, case-closing.
 */
export function CaseStateTags({ state, closingKind }: { state: CaseState; closingKind: ClosingKind | null }) {
  const labels = useCaseLabels();
  const stateText = labels.state(state);
  const closingText = closingKind ? labels.closing(closingKind) : null;
  return (
    <Space size={0} wrap className="case-state-tags">
      <Tag color={stateColor(state, closingKind)} data-testid="case-state" data-state={state}>
        {stateText}
      </Tag>
      {closingText && closingText !== stateText && (
        <Tag color={closingKind === 'solved' || closingKind === 'settled_on_spot' ? 'success' : 'default'} data-testid="case-closing" data-closing={closingKind}>
          {closingText}
        </Tag>
      )}
    </Space>
  );
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const labels = useCaseLabels();
  return <Tag color={priorityColors[priority]}>{labels.priority(priority)}</Tag>;
}

/** Due soon / overdue from the sweep, and the 督办 flag set by a supervisor; nothing when on time and not flagged. */
export function SupervisionTags({ level, supervised }: { level: SupervisionLevel; supervised: boolean }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  if (level === 'none' && !supervised) return null;
  return (
    <Space size={0} wrap>
      {level !== 'none' && <Tag color={supervisionColors[level]}>{labels.supervision(level)}</Tag>}
      {supervised && (
        <Tag color="volcano" icon={<FlagOutlined />}>
          {t('cases.supervised')}
        </Tag>
      )}
    </Space>
  );
}

/** Working minutes as "3 小时 20 分钟" / "3 h 20 min". */
export function useDuration() {
  const { t } = useTranslation();
  return (minutes: number) => {
    const m = Math.abs(Math.round(minutes));
    const h = Math.floor(m / 60);
    if (h === 0) return t('cases.duration.m', { m });
    return m % 60 === 0 ? t('cases.duration.h', { h }) : t('cases.duration.hm', { h, m: m % 60 });
  };
}

interface DueProps {
  dueAt: string | null;
  open: boolean;
  paused: boolean;
  supervision: SupervisionLevel;
  /** Working minutes left (detail only); without it the wall clock decides what is overdue. */
  remainingMinutes?: number | null;
}

/** The due time, coloured: red when overdue, orange when due soon; the remaining working time when known; a pause mark. */
export function DueText({ dueAt, open, paused, supervision, remainingMinutes }: DueProps) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const duration = useDuration();
  if (!dueAt) return <Typography.Text type="secondary">{t('cases.noDue')}</Typography.Text>;
  const overdue = open && !paused && (remainingMinutes != null ? remainingMinutes < 0 : Date.parse(dueAt) < Date.now() || supervision === 'overdue');
  const type = !open ? 'secondary' : overdue ? 'danger' : supervision === 'due_soon' ? 'warning' : undefined;
  return (
    <span className="case-due" data-testid="case-due">
      <Typography.Text type={type}>{formatTime(dueAt)}</Typography.Text>
      {open && remainingMinutes != null && (
        <Typography.Text type={type} className="case-due-left">
          {remainingMinutes < 0 ? t('cases.due.overdueBy', { time: duration(remainingMinutes) }) : t('cases.due.left', { time: duration(remainingMinutes) })}
        </Typography.Text>
      )}
      {open && remainingMinutes == null && overdue && (
        <Typography.Text type="danger" className="case-due-left">
          {t('cases.due.overdue')}
        </Typography.Text>
      )}
      {open && paused && (
        <Tooltip title={t('cases.pausedHint')}>
          <Tag icon={<PauseCircleOutlined />} color="default" className="case-paused" data-testid="case-paused">
            {t('cases.paused')}
          </Tag>
        </Tooltip>
      )}
    </span>
  );
}
