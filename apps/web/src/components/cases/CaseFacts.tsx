import { Link } from 'react-router';
import { Alert, Button, Descriptions, Space, Tag, Typography } from 'antd';
import { EyeOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../api/cases.ts';
import { useRevealPhone } from '../../api/cases.ts';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { ratingColors, useCaseLabels } from './caseLabels.ts';
import { DueText, SupervisionTags } from './CaseTags.tsx';
import { useCategoryName } from './CategoryCascader.tsx';

/** The facts of a case: category, source, grid, owning level, unit, times, deadline, supervision, rating. Test id case-facts. */
export function CaseFacts({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const formatTime = useFormatTime();
  const categoryName = useCategoryName();
  const open = c.stateKind === 'open';
  const items = [
    { key: 'category', label: t('cases.fields.category'), children: categoryName(c.categoryId, c.categoryName, true) },
    { key: 'source', label: t('cases.fields.source'), children: labels.source(c.source) },
    {
      key: 'grid',
      label: t('cases.fields.grid'),
      children: c.gridName ? (
        <span data-testid="case-grid">
          {c.gridName} <Typography.Text type="secondary">{c.gridCode}</Typography.Text>
        </span>
      ) : (
        '—'
      ),
    },
    { key: 'owner', label: t('cases.fields.owner'), children: c.ownerAreaName },
    { key: 'unit', label: t('cases.fields.unit'), children: c.unitName ?? <Typography.Text type="secondary">{t('cases.noUnit')}</Typography.Text> },
    {
      key: 'due',
      label: t('cases.fields.due'),
      children: <DueText dueAt={c.dueAt} open={open} paused={c.paused} supervision={c.supervision} remainingMinutes={c.remainingMinutes} />,
    },
    { key: 'reported', label: t('cases.fields.reportedAt'), children: formatTime(c.reportedAt) },
    ...(c.handledAt ? [{ key: 'handled', label: t('cases.fields.handledAt'), children: formatTime(c.handledAt) }] : []),
    ...(c.closedAt ? [{ key: 'closed', label: t('cases.fields.closedAt'), children: formatTime(c.closedAt) }] : []),
    ...(open && (c.supervision !== 'none' || c.supervised)
      ? [{
          key: 'supervision',
          label: t('cases.fields.supervision'),
          children: (
            <Space orientation="vertical" size={2}>
              <SupervisionTags level={c.supervision} supervised={c.supervised} />
              {c.superviseNote && <Typography.Text type="secondary">{c.superviseNote}</Typography.Text>}
            </Space>
          ),
        }]
      : []),
    ...(c.rating
      ? [{
          key: 'rating',
          label: t('cases.fields.rating'),
          children: (
            <Space size={4} wrap>
              <Tag color={ratingColors[c.rating]} data-testid="case-rating">{labels.rating(c.rating)}</Tag>
              {c.ratingComment && <Typography.Text type="secondary">{c.ratingComment}</Typography.Text>}
            </Space>
          ),
        }]
      : []),
  ];
  return <Descriptions size="small" column={{ xs: 1, md: 2, xxl: 3 }} items={items} data-testid="case-facts" className="case-facts" />;
}

/**
 * Who reported it: the masked phone, and for those who call this reporter back (the server says so in
 * reporterRevealable) the full name and, on a deliberate, audited request, the full number. Test id reveal-phone.
 */
export function Reporter({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const reveal = useRevealPhone(c.id);
  // Shown only while the viewer still may (a unit that has returned the case loses it at once).
  const full = c.reporterRevealable ? reveal.data?.phone : undefined;
  if (!c.reporterName && !c.reporterPhone) return <Typography.Text type="secondary">{t('cases.detail.noReporter')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={4} className="reporter">
      {c.reporterName && <Typography.Text strong>{c.reporterName}</Typography.Text>}
      {c.reporterPhone && (
        <Space size={8} wrap>
          <PhoneOutlined />
          {full ? (
            <Typography.Link href={`tel:${full}`} copyable={{ text: full }} data-testid="reporter-phone-full">
              {full}
            </Typography.Link>
          ) : (
            <Typography.Text data-testid="reporter-phone">{c.reporterPhone}</Typography.Text>
          )}
          {c.reporterRevealable && !full && (
            <Button size="small" icon={<EyeOutlined />} loading={reveal.isPending} onClick={() => reveal.mutate()} data-testid="reveal-phone">
              {t('cases.detail.revealPhone')}
            </Button>
          )}
        </Space>
      )}
      {full && <Typography.Text type="secondary" className="audit-note">{t('cases.detail.revealAudited')}</Typography.Text>}
      {!full && c.reporterRevealable && c.reporterPhone && <Typography.Text type="secondary" className="audit-note">{t('cases.detail.revealHint')}</Typography.Text>}
      {reveal.isError && <Alert type="error" showIcon title={errorMessage(reveal.error)} />}
    </Space>
  );
}

/** Merged into another case, or other cases merged into this one. */
export function CaseLinks({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  if (!c.mergedInto && c.duplicates.length === 0) return null;
  return (
    <Space orientation="vertical" size={4} data-testid="case-links">
      {c.mergedInto && (
        <span>
          {t('cases.detail.mergedInto')} <Link to={`/cases/${c.mergedInto.id}`}>{c.mergedInto.no}</Link>
        </span>
      )}
      {c.duplicates.length > 0 && (
        <span>
          {t('cases.detail.duplicates', { count: c.duplicates.length })}{' '}
          <Space size={8} wrap>
            {c.duplicates.map((d) => (
              <Link key={d.id} to={`/cases/${d.id}`}>
                {d.no}
              </Link>
            ))}
          </Space>
        </span>
      )}
    </Space>
  );
}
