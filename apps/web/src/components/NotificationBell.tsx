import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Badge, Button, Empty, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNotificationMutations, useNotifications, type NotificationView } from '../api/cases.ts';
import { errorMessage } from '../api/client.ts';
import { useFormatTime } from '../api/hooks.ts';
import './cases/notifications.css';

/**
 * The header's bell (test id notification-bell): unread count, asked again every 30 s; the list
 * (texts come rendered in the user's language by the server); a click marks one read and opens its
 * case (test ids notification-<id>), and all can be marked read at once (notifications-read-all).
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatTime = useFormatTime();
  const [open, setOpen] = useState(false);
  const list = useNotifications();
  const { read, readAll } = useNotificationMutations();
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const openOne = (n: NotificationView) => {
    if (!n.readAt) read.mutate(n.id);
    setOpen(false);
    if (n.caseId) void navigate(`/cases/${n.caseId}`);
  };

  const content = (
    <div className="notice-panel" data-testid="notification-panel">
      <div className="notice-panel-head">
        <Typography.Text strong>{t('cases.notifications.title')}</Typography.Text>
        <Button type="link" size="small" disabled={unread === 0} loading={readAll.isPending} onClick={() => readAll.mutate()} data-testid="notifications-read-all">
          {t('cases.notifications.readAll')}
        </Button>
      </div>
      {list.isPending ? (
        <Spin className="block-spin" />
      ) : list.isError ? (
        <Typography.Text type="danger">{errorMessage(list.error)}</Typography.Text>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.notifications.empty')} />
      ) : (
        <ul className="notice-list">
          {items.map((n) => (
            <li key={n.id}>
              <button type="button" className={n.readAt ? 'notice-item' : 'notice-item notice-unread'} onClick={() => openOne(n)} data-testid={`notification-${n.id}`}>
                {!n.readAt && <Badge status="processing" className="notice-dot" />}
                <span className="notice-text">{n.text}</span>
                <Typography.Text type="secondary" className="notice-time">
                  {formatTime(n.createdAt)}
                </Typography.Text>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} arrow={false}>
      <Badge count={unread} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={unread > 0 ? t('cases.notifications.unread', { count: unread }) : t('cases.notifications.title')}
          data-testid="notification-bell"
        />
      </Badge>
    </Popover>
  );
}
