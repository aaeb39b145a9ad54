import { useEffect } from 'react';
import { Alert, App, Checkbox, Form, Input, Modal, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { WEBHOOK_EVENTS } from '@wangge/contracts';
import { useWebhookMutations, type WebhookInput, type WebhookView } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { DialogFooter } from '../DialogFooter.tsx';
import { useConfigLabels, type WebhookEvent } from './useConfigLabels.ts';

/** `null`: closed; `'new'`: add one; a webhook: edit it. */
export type WebhookModalTarget = WebhookView | 'new' | null;

interface Values {
  name: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
}

const HTTP_URL = (value: string) => {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
};

/**
 * Adds or edits a webhook. A new one's signing secret is handed to `onCreated` (shown once).
 * Field ids webhook_<field>; submit test id webhook-submit.
 */
export function WebhookModal({ target, onClose, onCreated }: { target: WebhookModalTarget; onClose: () => void; onCreated: (w: WebhookView) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useConfigLabels();
  const [form] = Form.useForm<Values>();
  const { create, update } = useWebhookMutations();
  const editing = target !== null && target !== 'new' ? target : null;
  const mutation = editing ? update : create;

  useEffect(() => {
    if (editing) form.setFieldsValue({ name: editing.name, url: editing.url, events: editing.events, active: editing.active });
    else if (target === 'new') form.setFieldsValue({ events: [...WEBHOOK_EVENTS], active: true });
  }, [target, editing, form]);

  const close = () => {
    create.reset();
    update.reset();
    form.resetFields();
    onClose();
  };

  const submit = (v: Values) => {
    const body: WebhookInput = { name: v.name.trim(), url: v.url.trim(), events: v.events, active: v.active };
    if (editing) {
      update.mutate(
        { id: editing.id, body },
        {
          onSuccess: () => {
            void message.success(t('caseConfig.webhooks.saved'));
            close();
          },
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (w) => {
          close();
          onCreated(w);
        },
      });
    }
  };

  return (
    <Modal
      open={target !== null}
      title={editing ? t('caseConfig.webhooks.editTitle', { name: editing.name }) : t('caseConfig.webhooks.createTitle')}
      width={560}
      onCancel={close}
      forceRender
      footer={<DialogFooter onOk={() => form.submit()} onCancel={close} loading={mutation.isPending} testId="webhook-submit" />}
    >
      {mutation.error && <Alert type="error" showIcon title={errorMessage(mutation.error)} className="page-alert" data-testid="webhook-error" />}
      <Form form={form} name="webhook" layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('caseConfig.webhooks.name')} rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('caseConfig.webhooks.url')}
          extra={t('caseConfig.webhooks.urlHint')}
          rules={[
            { required: true, message: t('caseConfig.webhooks.urlInvalid') },
            { max: 500 },
            { validator: (_r, v: string | undefined) => (!v || HTTP_URL(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('caseConfig.webhooks.urlInvalid')))) },
          ]}
        >
          <Input maxLength={500} placeholder="https://example.gov.cn/hooks/wangge" autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item name="events" label={t('caseConfig.webhooks.events')} rules={[{ required: true, type: 'array', min: 1, message: t('caseConfig.webhooks.eventsRequired') }]}>
          <Checkbox.Group
            options={WEBHOOK_EVENTS.map((e) => ({
              value: e,
              label: (
                <span>
                  {labels.webhookEvent(e)} <code className="cc-code">{e}</code>
                </span>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item name="active" label={t('caseConfig.webhooks.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      {editing && <Typography.Text type="secondary">{t('caseConfig.webhooks.secretKept')}</Typography.Text>}
    </Modal>
  );
}
