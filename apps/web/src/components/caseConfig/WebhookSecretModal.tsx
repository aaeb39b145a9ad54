import { Alert, Button, Modal, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { WebhookView } from '../../api/caseConfig.ts';

const EXAMPLE = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received (string or Buffer).
// X-Wangge-Timestamp is Unix time in seconds.
function verify(secret, headers, rawBody, maxAgeSeconds = 300) {
  const ts = String(headers['x-wangge-timestamp'] ?? '');
  if (!/^\\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > maxAgeSeconds) return false;
  const expected = 'sha256=' + createHmac('sha256', secret).update(ts + '.' + rawBody).digest('hex');
  const given = String(headers['x-wangge-signature'] ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}`;

/**
 * The signing secret of a webhook just created, shown this once with how receivers check it.
 * Closes only by its button. Test ids webhook-secret, webhook-secret-done.
 */
export function WebhookSecretModal({ webhook, onClose }: { webhook: WebhookView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const copyable = { tooltips: [t('caseConfig.common.copy'), t('caseConfig.common.copied')] as [string, string] };
  return (
    <Modal
      open={webhook !== null}
      title={
        <span>
          <KeyOutlined /> {t('caseConfig.webhooks.secret.title')}
        </span>
      }
      width={640}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-done">
          {t('caseConfig.webhooks.secret.done')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('caseConfig.webhooks.secret.warn')} className="page-alert" />
      <Typography.Text type="secondary">{t('caseConfig.webhooks.secret.label')}</Typography.Text>
      <div className="cc-secret">
        <Typography.Text code copyable={{ ...copyable, text: webhook?.secret ?? '' }} data-testid="webhook-secret">
          {webhook?.secret ?? ''}
        </Typography.Text>
      </div>
      <Typography.Title level={5}>{t('caseConfig.webhooks.secret.how')}</Typography.Title>
      <ol className="cc-steps">
        <li>{t('caseConfig.webhooks.secret.step1')}</li>
        <li>{t('caseConfig.webhooks.secret.step2')}</li>
        <li>{t('caseConfig.webhooks.secret.step3')}</li>
      </ol>
      <Typography.Text type="secondary">{t('caseConfig.webhooks.secret.example')}</Typography.Text>
      <Typography.Paragraph copyable={{ ...copyable, text: EXAMPLE }} className="cc-example">
        <pre className="json-block">{EXAMPLE}</pre>
      </Typography.Paragraph>
    </Modal>
  );
}
