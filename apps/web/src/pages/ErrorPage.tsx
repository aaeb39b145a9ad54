import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';

interface Props {
  status: '403' | '404' | 'error';
  /** Shown under the title; defaults to the status' own text. */
  detail?: string;
  onRetry?: () => void;
}

/** 403, 404 and "could not load" pages (lazy: antd's Result illustrations stay out of the login bundle). */
export default function ErrorPage({ status, detail, onRetry }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const titles = { '403': '403', '404': '404', error: t('errors.loadFailed') };
  const texts = { '403': t('errors.forbidden'), '404': t('errors.notFound'), error: '' };
  return (
    <Result
      status={status}
      title={titles[status]}
      subTitle={detail ?? texts[status]}
      extra={
        onRetry ? (
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        ) : (
          <Button type="primary" onClick={() => navigate('/areas')}>
            {t('errors.backHome')}
          </Button>
        )
      }
    />
  );
}
