import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Alert, Image, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CASE_SOURCES, RATINGS, type CaseSource, type Rating } from '@wangge/contracts';
import type { CaseEvent } from '../../api/cases.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { ratingColors, useCaseLabels } from './caseLabels.ts';
import { useDuration } from './CaseTags.tsx';

type Data = Record<string, unknown>;
interface Named {
  id?: string;
  no?: string;
  name?: string;
  code?: string;
}

const obj = (v: unknown): Data | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Data) : null);
const named = (v: unknown): Named | null => obj(v) as Named | null;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const RED = new Set(['refuse', 'return', 'verify_fail', 'deny_extension', 'reopen']);
const GREEN = new Set(['verify_pass', 'close', 'rate', 'settle', 'feedback']);
const ORANGE = new Set(['supervise', 'escalate', 'request_extension', 'shelve', 'merge', 'merged_in', 'correct_grid']);

/** What an event changed, in words: deadline, unit, level, grid, rating, extension, merge. */
function useEventFacts() {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const formatTime = useFormatTime();
  const duration = useDuration();
  return (e: CaseEvent): ReactNode[] => {
    const d = e.data;
    const out: ReactNode[] = [];
    const source = str(d.source);
    if (source && (CASE_SOURCES as readonly string[]).includes(source)) out.push(t('cases.timeline.source', { source: labels.source(source as CaseSource) }));
    const grid = obj(d.grid);
    if (grid && 'to' in grid) {
      const from = named(grid.from);
      const to = named(grid.to);
      out.push(t('cases.timeline.gridChanged', { from: from ? `${from.name} ${from.code}` : '—', to: to ? `${to.name} ${to.code}` : '—' }));
    } else if (grid) {
      out.push(t('cases.timeline.grid', { grid: `${String(grid.name)} ${String(grid.code)}` }));
    }
    const route = obj(d.route);
    const routedTo = route ? str(route.unitName) : null;
    if (routedTo) out.push(t('cases.timeline.routed', { unit: routedTo }));
    const unit = named(d.unit);
    if (unit?.name) out.push(t(e.action === 'return' ? 'cases.timeline.unitReturned' : 'cases.timeline.unit', { unit: unit.name }));
    const overridden = str(d.overridesRoute);
    if (overridden) out.push(t('cases.timeline.overridesRoute', { unit: overridden }));
    const owner = obj(d.owner);
    if (owner) out.push(t('cases.timeline.owner', { from: named(owner.from)?.name ?? '—', to: named(owner.to)?.name ?? '—' }));
    const deadline = obj(d.deadline);
    if (deadline) {
      const from = str(deadline.from);
      const to = str(deadline.to);
      if (deadline.paused === true) out.push(t('cases.timeline.paused'));
      else if (deadline.paused === false) out.push(t('cases.timeline.resumed', { to: to ? formatTime(to) : '—' }));
      else if (from) out.push(t('cases.timeline.deadlineChanged', { from: formatTime(from), to: to ? formatTime(to) : '—' }));
      else out.push(t('cases.timeline.deadlineSet', { to: to ? formatTime(to) : '—' }));
    }
    const extension = obj(d.extension);
    if (extension && typeof extension.value === 'number') {
      out.push(t('cases.timeline.extensionAsked', { value: extension.value, unit: t(extension.unit === 'hours' ? 'cases.transition.hours' : 'cases.transition.days') }));
    }
    if (typeof d.extensionMinutes === 'number' && d.extensionMinutes > 0) out.push(t('cases.timeline.extended', { time: duration(d.extensionMinutes) }));
    if (d.by === 'resident') out.push(t('cases.timeline.byResident'));
    if (e.action === 'supervision' && typeof d.reminded === 'number') {
      const due = str(d.dueAt);
      out.push(t('cases.timeline.supervisionFacts', { due: due ? formatTime(due) : '—', count: d.reminded }));
    }
    return out;
  };
}

function Attachments({ event }: { event: CaseEvent }) {
  const images = event.attachments.filter((a) => a.kind === 'image');
  const audio = event.attachments.filter((a) => a.kind === 'audio');
  if (event.attachments.length === 0) return null;
  return (
    <div className="event-files">
      {images.length > 0 && (
        <Image.PreviewGroup>
          {images.map((a) => (
            <Image key={a.id} src={a.thumbUrl ?? a.url} preview={{ src: a.url }} width={72} height={72} className="event-thumb" alt="" />
          ))}
        </Image.PreviewGroup>
      )}
      {audio.map((a) => (
        <audio key={a.id} controls preload="none" src={a.url} className="event-audio" />
      ))}
    </div>
  );
}

/**
 * The trace of a case (留痕), oldest first: each step with who, when, its note and what it changed. Test id case-timeline, items timeline-<action>.
 * `endsWhereUnitLeft`: the server cut the trace where the viewer's unit left the case; said under the last step (test id timeline-end).
 */
export function CaseTimeline({ events, endsWhereUnitLeft = false }: { events: CaseEvent[]; endsWhereUnitLeft?: boolean }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const formatTime = useFormatTime();
  const facts = useEventFacts();

  const items = events.map((e) => {
    const rating = str(e.data.rating);
    const target = named(e.data.target);
    const from = named(e.data.from);
    const list = facts(e);
    const level = e.action === 'supervision' ? str(e.data.supervision) : null;
    const title = e.action === 'merged_in' ? t('cases.timeline.mergedIn')
      : e.action === 'supervision' ? (level === 'overdue' ? t('cases.timeline.supervisionOverdue') : t('cases.timeline.supervisionDueSoon'))
        : labels.action(e.action);
    return {
      key: e.seq,
      color: RED.has(e.action) || level === 'overdue' ? 'red' : GREEN.has(e.action) ? 'green' : ORANGE.has(e.action) || level ? 'orange' : 'blue',
      title: formatTime(e.at),
      content: (
        <div className="event" data-testid={`timeline-${e.action}`}>
          <div className="event-head">
            <Typography.Text strong className="event-action">{title}</Typography.Text>
            <Typography.Text type="secondary">{e.actorName ?? t('cases.timeline.system')}</Typography.Text>
            {e.fromState && e.fromState !== e.toState && (
              <Typography.Text type="secondary" className="event-states">
                {labels.state(e.fromState)} → {labels.state(e.toState)}
              </Typography.Text>
            )}
          </div>
          {rating && (RATINGS as readonly string[]).includes(rating) && <Tag color={ratingColors[rating as Rating]}>{labels.rating(rating as Rating)}</Tag>}
          {e.note && <div className="event-note">{e.note}</div>}
          {target?.id && (
            <div className="event-fact">
              {t('cases.timeline.mergedInto')} <Link to={`/cases/${target.id}`}>{target.no}</Link>
            </div>
          )}
          {from?.id && from.no && (
            <div className="event-fact">
              {t('cases.timeline.duplicateFrom')} <Link to={`/cases/${from.id}`}>{from.no}</Link>
            </div>
          )}
          {list.map((f, i) => (
            <div key={i} className="event-fact">
              {f}
            </div>
          ))}
          <Attachments event={e} />
        </div>
      ),
    };
  });

  return (
    <div data-testid="case-timeline">
      <Timeline mode="start" titleSpan="130px" items={items} />
      {endsWhereUnitLeft && <Alert type="info" showIcon data-testid="timeline-end" title={t('cases.timeline.endsWhereUnitLeft')} />}
    </div>
  );
}
