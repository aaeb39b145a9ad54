import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Button, Form, Input, Radio, Result, Spin, Tag, Timeline, Typography } from 'antd';
import { FileSearchOutlined, SmileOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RATINGS, ratingLabels, type ClosingKind, type Rating } from '@wangge/contracts';
import { usePublicCase, usePublicRate, type PublicCaseView, type TrackQuery } from '../api/caseConfig.ts';
import { errorMessage } from '../api/client.ts';
import { useFormatTime } from '../api/hooks.ts';
import { useLocale } from '../i18n/index.ts';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { BrandMark } from '../components/BrandMark.tsx';
import { LangSwitch } from '../components/LangSwitch.tsx';
import '../components/caseConfig/track.css';

const NO = /^[A-Z0-9-]{6,32}$/;
const CODE = /^[A-Z0-9]{8}$/;
const clean = (s: string | null | undefined) => (s ?? '').trim().toUpperCase();

/** Only "solved" looks like success; a shelved or refused case must not. */
const CLOSING_COLORS: Record<ClosingKind, string> = {
  solved: 'success',
  settled_on_spot: 'success',
  shelved: 'warning',
  refused: 'error',
  duplicate: 'default',
};

/** A query from the link an SMS carries (/track?no=…&code=…), if it is well formed. */
function fromLink(params: URLSearchParams): TrackQuery | null {
  const no = clean(params.get('no'));
  const code = clean(params.get('code'));
  return NO.test(no) && CODE.test(code) ? { no, code } : null;
}

/**
 * /track — public (no sign-in): a resident follows a case by its number and tracking code and rates
 * it once it is closed. Field ids #track_no, #track_code; test ids track-submit, track-error,
 * track-result, track-state, track-closing, track-steps, track-rate, track-rate-submit, track-rated.
 */
export default function TrackPage() {
  const { t } = useTranslation();
  usePageTitle(t('caseConfig.track.title'));
  const [params] = useSearchParams();
  const [query, setQuery] = useState<TrackQuery | null>(() => fromLink(params));
  const found = usePublicCase(query);
  const [form] = Form.useForm<TrackQuery>();

  const submit = (v: TrackQuery) => {
    const next = { no: clean(v.no), code: clean(v.code) };
    // The same number and code again asks the server again (the case may have moved on).
    if (query && query.no === next.no && query.code === next.code) void found.refetch();
    else setQuery(next);
  };
  const shown = found.data && query ? found.data : null;
  const upper = (e: { target: { value: string } }) => e.target.value.toUpperCase().replace(/\s+/g, '');

  return (
    <div className="track-page">
      <header className="track-top">
        <BrandMark />
        <LangSwitch />
      </header>
      <main className="track-main">
        <div className="track-intro">
          <h1 className="track-title">
            <FileSearchOutlined /> {t('caseConfig.track.title')}
          </h1>
          <p className="track-subtitle">{t('caseConfig.track.subtitle')}</p>
        </div>
        {shown && query && <CaseResult view={shown} query={query} />}
        <section className="track-card">
          {shown && <h2 className="track-section track-section-first">{t('caseConfig.track.another')}</h2>}
          {found.isError && <Alert type="error" showIcon title={errorMessage(found.error)} className="track-alert" data-testid="track-error" />}
          <Form<TrackQuery>
            form={form}
            name="track"
            layout="vertical"
            size="large"
            requiredMark={false}
            initialValues={{ no: clean(params.get('no')), code: clean(params.get('code')) }}
            onFinish={submit}
          >
            <Form.Item
              name="no"
              label={t('caseConfig.track.no')}
              getValueFromEvent={upper}
              rules={[{ required: true, message: t('caseConfig.track.noRequired') }, { pattern: NO, message: t('caseConfig.track.noInvalid') }]}
            >
              <Input placeholder={t('caseConfig.track.noPlaceholder')} autoComplete="off" inputMode="text" maxLength={32} allowClear />
            </Form.Item>
            <Form.Item
              name="code"
              label={t('caseConfig.track.code')}
              getValueFromEvent={upper}
              rules={[{ required: true, message: t('caseConfig.track.codeRequired') }, { pattern: CODE, message: t('caseConfig.track.codeInvalid') }]}
            >
              <Input placeholder={t('caseConfig.track.codePlaceholder')} autoComplete="off" maxLength={8} className="track-code-input" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={found.isFetching} data-testid="track-submit">
              {t('caseConfig.track.submit')}
            </Button>
          </Form>
          <p className="track-hint">{t('caseConfig.track.hint')}</p>
        </section>
        {found.isFetching && !found.data && <Spin className="block-spin" />}
      </main>
      <footer className="track-footer">
        {t('app.name')} · {t('caseConfig.track.privacy')}
      </footer>
    </div>
  );
}

function CaseResult({ view, query }: { view: PublicCaseView; query: TrackQuery }) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  const rate = usePublicRate(query);
  const steps = [...view.steps].reverse();
  return (
    <section className="track-card" data-testid="track-result">
      <div className="track-head">
        <span className="track-no">{view.no}</span>
        <Tag color={view.closingKind ? CLOSING_COLORS[view.closingKind] : 'processing'} className="track-state" data-testid="track-state">
          {view.stateLabel}
        </Tag>
      </div>
      <dl className="track-facts">
        {view.closingKind && view.closingLabel && view.closingLabel !== view.stateLabel && (
          <>
            <dt>{t('caseConfig.track.closing')}</dt>
            <dd>
              <Tag color={CLOSING_COLORS[view.closingKind]} data-testid="track-closing">
                {view.closingLabel}
              </Tag>
            </dd>
          </>
        )}
        <dt>{t('caseConfig.track.category')}</dt>
        <dd>{view.categoryName}</dd>
        <dt>{t('caseConfig.track.reportedAt')}</dt>
        <dd>{formatTime(view.reportedAt)}</dd>
      </dl>
      <h2 className="track-section">{t('caseConfig.track.progress')}</h2>
      {steps.length === 0 ? (
        <Typography.Text type="secondary">{t('caseConfig.track.noSteps')}</Typography.Text>
      ) : (
        <div data-testid="track-steps">
          <Timeline
            items={steps.map((s, i) => ({
              key: `${s.at}-${i}`,
              color: i === 0 ? 'blue' : 'gray',
              content: (
                <div className="track-step">
                  <span className={i === 0 ? 'track-step-now' : undefined}>{s.label}</span>
                  <span className="track-step-time">{formatTime(s.at)}</span>
                </div>
              ),
            }))}
          />
        </div>
      )}
      {view.canRate ? <RateForm rate={rate} /> : view.rating && <Rated rating={view.rating} fresh={rate.isSuccess} />}
    </section>
  );
}

function Rated({ rating, fresh = false }: { rating: Rating; fresh?: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = ratingLabels[rating][locale];
  return (
    <div className="track-rated" data-testid="track-rated">
      {fresh ? (
        <Result status="success" icon={<SmileOutlined />} title={t('caseConfig.track.thanks')} subTitle={t('caseConfig.track.yourRating', { rating: label })} />
      ) : (
        <Alert type="success" showIcon title={t('caseConfig.track.yourRating', { rating: label })} />
      )}
      {rating === 'unsatisfied' && <Typography.Paragraph type="secondary" className="track-note">{t('caseConfig.track.unsatisfiedHint')}</Typography.Paragraph>}
    </div>
  );
}

interface RateValues {
  rating: Rating;
  comment?: string;
}

/** The rating form; a success replaces the case view (which then shows the rating instead). */
function RateForm({ rate }: { rate: ReturnType<typeof usePublicRate> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [form] = Form.useForm<RateValues>();
  const rating = Form.useWatch('rating', form);

  const submit = (v: RateValues) =>
    rate.mutate({ rating: v.rating, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) });

  return (
    <div className="track-rate" data-testid="track-rate">
      <h2 className="track-section">{t('caseConfig.track.rateTitle')}</h2>
      <p className="track-hint">{t('caseConfig.track.rateHint')}</p>
      {rate.error && <Alert type="error" showIcon title={errorMessage(rate.error)} className="track-alert" data-testid="track-rate-error" />}
      <Form<RateValues> form={form} name="rate" layout="vertical" onFinish={submit} requiredMark={false} disabled={rate.isPending}>
        <Form.Item name="rating" label={t('caseConfig.track.rating')} rules={[{ required: true, message: t('caseConfig.track.ratingRequired') }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            size="large"
            className="track-rating"
            options={RATINGS.map((r) => ({ value: r, label: <span data-testid={`track-rating-${r}`}>{ratingLabels[r][locale]}</span> }))}
          />
        </Form.Item>
        {rating === 'unsatisfied' && <Typography.Paragraph type="secondary" className="track-note">{t('caseConfig.track.unsatisfiedHint')}</Typography.Paragraph>}
        <Form.Item name="comment" label={t('caseConfig.track.comment')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('caseConfig.track.commentPlaceholder')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={rate.isPending} data-testid="track-rate-submit">
          {t('caseConfig.track.rateSubmit')}
        </Button>
      </Form>
    </div>
  );
}
