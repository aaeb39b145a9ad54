import { Alert, Button, Card, Checkbox, Input, Segmented, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { coverProblemMessages, format, GRID_TYPES } from '@wangge/contracts';
import { errorMessage } from '../../api/client.ts';
import type { AdjustmentPreview } from '../../api/grids.ts';
import { useLocale } from '../../i18n/index.ts';
import { useLabels } from '../../i18n/labels.ts';
import { COLORS } from './mapStyle.ts';
import { boundsOf, type Bounds } from './geometry.ts';
import { PreviewChanges } from './PreviewChanges.tsx';
import type { EditSession } from './useEditSession.ts';

type Problem = AdjustmentPreview['problems'][number];

interface Props {
  session: EditSession;
  onCommit: () => void;
  onFocus: (bounds: Bounds) => void;
}

/** Name and type of a grid being created: part of the request, so a change is previewed again. */
function CreateFields({ session }: { session: EditSession }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { body, setBody } = session;
  if (body?.kind !== 'create') return null;
  const grid = body.grid;
  return (
    <Space orientation="vertical" size={8} className="preview-create">
      <Typography.Text type="secondary">{t('gridMap.preview.name')}</Typography.Text>
      <Input
        aria-label={t('gridMap.preview.name')}
        value={grid.nameZh}
        maxLength={60}
        onChange={(e) => setBody({ ...body, grid: { ...grid, nameZh: e.target.value } })}
      />
      <Segmented
        value={grid.gridType}
        options={GRID_TYPES.map((g) => ({ value: g, label: labels.gridType(g) }))}
        onChange={(gridType) => setBody({ ...body, grid: { ...grid, gridType } })}
      />
    </Space>
  );
}

/** The preview of the adjustment in hand (test id preview-panel): problems, changes, moves, commit. */
export function PreviewPanel({ session, onCommit, onFocus }: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { preview, commit, body } = session;
  const data = session.current ? preview.data : undefined;
  const problems = data?.problems ?? [];
  const onlyGaps = problems.length > 0 && problems.every((p) => p.kind === 'gap');
  const accepted = Boolean(session.request?.acceptGapsReason);
  const blocking = problems.filter((p) => !(accepted && p.kind === 'gap'));
  const describe = (p: Problem) =>
    format(coverProblemMessages[p.kind][locale], { areaM2: p.areaM2.toLocaleString(), grids: p.codes.join(locale === 'en' ? ', ' : '、'), where: p.where });
  const focus = (p: Problem) => {
    const b = boundsOf(p.geometry);
    if (b) onFocus(b);
  };
  const nameMissing = body?.kind === 'create' && body.grid.nameZh.trim() === '';
  const unchanged = data !== undefined && data.creates.length + data.updates.length + data.retires.length === 0;

  return (
    <Card
      size="small"
      className="grid-side-card"
      data-testid="preview-panel"
      title={`${t('gridMap.preview.title')} · ${body ? t(`gridMap.kinds.${body.kind}`) : ''}`}
      extra={<Button size="small" onClick={session.cancel}>{t('gridMap.tools.cancel')}</Button>}
    >
      <Space orientation="vertical" size={12} className="preview-body">
        <CreateFields session={session} />
        {preview.isError && <Alert type="error" showIcon title={errorMessage(preview.error)} />}
        {commit.isError && <Alert type="error" showIcon title={errorMessage(commit.error)} />}
        {!data && !preview.isError && <Spin size="small" description={t('gridMap.preview.checking')} />}
        {data && (
          <Alert
            type={data.ok ? 'success' : 'error'}
            showIcon
            title={data.ok ? t('gridMap.preview.ok') : t('gridMap.preview.blocked', { count: blocking.length })}
            description={[
              t('gridMap.preview.covered', { share: (data.coveredShare * 100).toFixed(2) }),
              ...(accepted && onlyGaps ? [t('gridMap.preview.gapsAccepted')] : []),
            ].join(' · ')}
          />
        )}
        {unchanged && <Alert type="info" showIcon title={t('gridMap.preview.nothing')} />}
        {problems.length > 0 && (
          <ul className="preview-problems">
            {problems.map((p, i) => (
              <li key={i}>
                <button type="button" className="preview-problem" data-testid="preview-problem" data-kind={p.kind} onClick={() => focus(p)}>
                  <span className="legend-swatch" style={{ background: COLORS[p.kind] }} />
                  <Typography.Text strong>{t(`gridMap.preview.problemKinds.${p.kind}`)}</Typography.Text>
                  <span>{describe(p)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {onlyGaps && (
          <div className="preview-gaps">
            <Checkbox checked={session.gapReason !== null} onChange={(e) => session.setGapReason(e.target.checked ? '' : null)}>
              {t('gridMap.preview.acceptGaps')}
            </Checkbox>
            {session.gapReason !== null && (
              <Input.TextArea
                data-testid="accept-gaps-reason"
                autoSize={{ minRows: 2, maxRows: 4 }}
                maxLength={500}
                placeholder={t('gridMap.preview.acceptGapsReason')}
                value={session.gapReason}
                onChange={(e) => session.setGapReason(e.target.value)}
                status={session.gapReason.trim().length < 2 ? 'warning' : ''}
              />
            )}
          </div>
        )}
        {data && <PreviewChanges preview={data} />}
        {data && (
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 3 }}
            maxLength={500}
            placeholder={t('gridMap.preview.reason')}
            value={session.reason}
            onChange={(e) => session.setReason(e.target.value)}
          />
        )}
        <Button
          type="primary"
          block
          data-testid="preview-commit"
          disabled={!session.canCommit || nameMissing || unchanged}
          loading={commit.isPending}
          onClick={onCommit}
        >
          {t('gridMap.preview.commit')}
        </Button>
      </Space>
    </Card>
  );
}
