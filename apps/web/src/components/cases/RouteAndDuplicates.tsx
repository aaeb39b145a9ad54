import { Alert, Empty, Spin, Tag, Typography } from 'antd';
import { BranchesOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { RouteExplain, SimilarCase } from '../../api/cases.ts';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { CaseStateTags } from './CaseTags.tsx';

/** Why a case goes (or went) to its unit: which rule matched, the category's default unit, or nothing (the dispatcher decides). */
export function RouteText({ route }: { route: RouteExplain }) {
  const { t } = useTranslation();
  const text =
    route.via === 'rule'
      ? t('cases.route.byRule', { unit: route.unitName ?? '', rule: route.ruleName ?? '', checked: route.checked })
      : route.via === 'category_default'
        ? t('cases.route.byCategory', { unit: route.unitName ?? '' })
        : t('cases.route.none');
  return (
    <div className="route-text" data-testid="route-text" data-via={route.via}>
      <BranchesOutlined className="route-icon" />
      <div>
        {route.unitName && <Typography.Text strong>{route.unitName}</Typography.Text>}
        <div className={route.via === 'none' ? 'route-why route-why-none' : 'route-why'}>{text}</div>
      </div>
    </div>
  );
}

interface PreviewProps {
  ready: boolean;
  route: RouteExplain | undefined;
  loading: boolean;
  error: unknown;
}

/** The routing preview of the intake desk: shown once category and grid are known. */
export function RoutePreview({ ready, route, loading, error }: PreviewProps) {
  const { t } = useTranslation();
  if (!ready) return <Typography.Text type="secondary">{t('cases.intake.routeHint')}</Typography.Text>;
  if (error) return <Alert type="error" showIcon title={errorMessage(error)} />;
  if (loading || !route) return <Spin size="small" />;
  return <RouteText route={route} />;
}

interface SimilarProps {
  items: SimilarCase[] | undefined;
  loading: boolean;
  ready: boolean;
}

/** Open cases that may be the same matter (near, recent, same category, similar words), each with a link to open it. */
export function SimilarList({ items, loading, ready }: SimilarProps) {
  const { t } = useTranslation();
  const formatTime = useFormatTime();
  if (!ready) return <Typography.Text type="secondary">{t('cases.intake.similarHint')}</Typography.Text>;
  if (!items) return loading ? <Spin size="small" /> : null;
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.intake.noSimilar')} />;
  return (
    <ul className="similar-list" data-testid="similar-list">
      {items.map((c) => (
        <li key={c.id}>
          <div className="similar-head">
            <Link to={`/cases/${c.id}`} target="_blank" rel="noopener">
              {c.no}
            </Link>
            <CaseStateTags state={c.state} closingKind={null} />
          </div>
          <Typography.Paragraph ellipsis={{ rows: 2 }} className="similar-desc">
            {c.categoryName} · {c.description}
          </Typography.Paragraph>
          <div className="similar-meta">
            {c.reasons.map((r) => (
              <Tag key={r} color={r === 'near' || r === 'similar_text' ? 'orange' : 'default'}>
                {r === 'near' && c.distanceM !== null ? t('cases.similar.nearBy', { m: c.distanceM }) : t(`cases.similar.${r}`)}
              </Tag>
            ))}
            <Typography.Text type="secondary">{formatTime(c.reportedAt)}</Typography.Text>
          </div>
        </li>
      ))}
    </ul>
  );
}
