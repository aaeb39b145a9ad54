import { useState, type HTMLAttributes } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { caseConfigQueries, useWebhookMutations, type WebhookView } from '../../api/caseConfig.ts';
import { errorMessage } from '../../api/client.ts';
import { useFormatTime } from '../../api/hooks.ts';
import { useConfigLabels } from './useConfigLabels.ts';
import { WebhookModal, type WebhookModalTarget } from './WebhookModal.tsx';
import { WebhookSecretModal } from './WebhookSecretModal.tsx';

/** Webhooks (only for case.configure holders). Test ids webhook-add, webhook-table, webhook-row-<name>, webhook-edit-<name>, webhook-delete-<name>. */
export function WebhooksTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const labels = useConfigLabels();
  const formatTime = useFormatTime();
  const hooks = useQuery(caseConfigQueries.webhooks());
  const { remove } = useWebhookMutations();
  const [modal, setModal] = useState<WebhookModalTarget>(null);
  const [created, setCreated] = useState<WebhookView | null>(null);

  const confirmDelete = (w: WebhookView) =>
    remove
      .mutateAsync(w.id)
      .then(() => void message.success(t('caseConfig.webhooks.deleted')))
      .catch((error: unknown) => void message.error(errorMessage(error)));

  const delivery = (w: WebhookView) => {
    const d = w.lastDelivery;
    if (!d) return <Typography.Text type="secondary">{t('caseConfig.webhooks.never')}</Typography.Text>;
    const ok = d.error === null && d.status !== null && d.status >= 200 && d.status < 300;
    return (
      <div className="cc-delivery">
        <span className={ok ? 'cc-delivery-ok' : 'cc-delivery-failed'}>
          {ok ? <CheckCircleFilled /> : <CloseCircleFilled />} {d.status !== null ? `HTTP ${d.status}` : t('caseConfig.webhooks.failed')}
        </span>
        <Typography.Text type="secondary" className="cc-delivery-time">{formatTime(d.at)}</Typography.Text>
        {d.error && (
          <Tooltip title={d.error}>
            <Typography.Text type="danger" ellipsis className="cc-delivery-error">{d.error}</Typography.Text>
          </Tooltip>
        )}
      </div>
    );
  };

  const columns: TableColumnsType<WebhookView> = [
    {
      key: 'name',
      title: t('caseConfig.webhooks.name'),
      width: 170,
      render: (_v, w) => (
        <div className="cc-delivery">
          <Typography.Text strong>{w.name}</Typography.Text>
          <Typography.Text type="secondary" className="cc-delivery-time">{t('caseConfig.webhooks.createdOn', { time: formatTime(w.createdAt) })}</Typography.Text>
        </div>
      ),
    },
    {
      key: 'url',
      title: t('caseConfig.webhooks.url'),
      dataIndex: 'url',
      width: 260,
      render: (v: string) => (
        <Typography.Text copyable={{ text: v, tooltips: [t('caseConfig.common.copy'), t('caseConfig.common.copied')] }} ellipsis={{ tooltip: v }} className="cc-url">
          {v}
        </Typography.Text>
      ),
    },
    {
      key: 'events',
      title: t('caseConfig.webhooks.events'),
      width: 200,
      render: (_v, w) => (
        <Space size={[0, 4]} wrap>
          {w.events.map((e) => (
            <Tag key={e}>{labels.webhookEvent(e)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      key: 'active',
      title: t('caseConfig.common.status'),
      width: 70,
      render: (_v, w) => (w.active ? <Tag color="green">{t('caseConfig.common.active')}</Tag> : <Tag>{t('caseConfig.common.inactive')}</Tag>),
    },
    { key: 'delivery', title: t('caseConfig.webhooks.lastDelivery'), width: 210, render: (_v, w) => delivery(w) },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      fixed: 'end',
      render: (_v, w) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setModal(w)} data-testid={`webhook-edit-${w.name}`}>
            {t('common.edit')}
          </Button>
          <Popconfirm title={t('caseConfig.webhooks.deleteConfirm', { name: w.name })} okButtonProps={{ danger: true }} onConfirm={() => confirmDelete(w)}>
            <Button type="link" size="small" danger data-testid={`webhook-delete-${w.name}`}>
              {t('caseConfig.common.delete')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <div className="cc-toolbar">
        <Typography.Text type="secondary" className="cc-toolbar-hint">{t('caseConfig.webhooks.hint')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('new')} data-testid="webhook-add">
          {t('caseConfig.webhooks.add')}
        </Button>
      </div>
      {hooks.isError && <Alert type="error" showIcon title={errorMessage(hooks.error)} className="page-alert" />}
      <div data-testid="webhook-table">
        <Table<WebhookView>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={hooks.data ?? []}
          loading={hooks.isFetching && !hooks.data}
          scroll={{ x: 1030 }}
          pagination={false}
          locale={{ emptyText: t('caseConfig.webhooks.empty') }}
          onRow={(w) => ({ 'data-testid': `webhook-row-${w.name}` }) as HTMLAttributes<HTMLElement>}
        />
      </div>
      <WebhookModal target={modal} onClose={() => setModal(null)} onCreated={setCreated} />
      <WebhookSecretModal
        webhook={created}
        onClose={() => {
          setCreated(null);
          void message.success(t('caseConfig.webhooks.created'));
        }}
      />
    </>
  );
}
