import { Button, Popconfirm, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GrantView, UserView } from '@wangge/contracts';
import { useFormatTime } from '../../api/hooks.ts';
import { useLabels } from '../../i18n/labels.ts';

export interface UserActions {
  onEdit: (user: UserView) => void;
  onResetPassword: (user: UserView) => void;
  onAddGrant: (user: UserView) => void;
  onToggleDisabled: (user: UserView) => Promise<void>;
  onRemoveGrant: (user: UserView, grant: GrantView) => void;
}

/**
 * Columns of the user table; with `actions` (the user may manage users) also the action links,
 * test ids user-edit-<username>, user-reset-<username>, user-grant-<username>, user-toggle-<username>.
 */
export function useUserColumns(actions: UserActions | null): TableColumnsType<UserView> {
  const { t } = useTranslation();
  const labels = useLabels();
  const formatTime = useFormatTime();

  const status = (user: UserView) => {
    const tags = [];
    if (user.disabled) tags.push(<Tag key="disabled" color="red">{t('users.status.disabled')}</Tag>);
    if (user.lockedUntil && Date.parse(user.lockedUntil) > Date.now()) {
      tags.push(<Tag key="locked" color="orange">{t('users.status.locked', { time: formatTime(user.lockedUntil) })}</Tag>);
    }
    if (user.mustChangePassword) tags.push(<Tag key="password" color="gold">{t('users.status.mustChange')}</Tag>);
    if (tags.length === 0) tags.push(<Tag key="active" color="green">{t('users.status.active')}</Tag>);
    return <Space size={[0, 4]} wrap>{tags}</Space>;
  };

  const grants = (user: UserView) => (
    <Space size={[0, 4]} wrap>
      {user.grants.map((grant) => (
        <Tag
          key={grant.id}
          color="blue"
          data-testid={`grant-${user.username}-${grant.role}-${grant.areaCode}`}
          closable={actions !== null && user.grants.length > 1}
          onClose={(e) => {
            e.preventDefault();
            actions?.onRemoveGrant(user, grant);
          }}
        >
          {t('users.grant', { role: labels.role(grant.role), area: grant.areaName })}
        </Tag>
      ))}
    </Space>
  );

  const columns: TableColumnsType<UserView> = [
    { key: 'username', title: t('users.username'), dataIndex: 'username', width: 130, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
    { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName', width: 120 },
    { key: 'homeArea', title: t('users.homeArea'), dataIndex: 'homeAreaName', width: 150 },
    { key: 'roles', title: t('users.roles'), width: 260, render: (_v, user) => grants(user) },
    { key: 'status', title: t('users.statusTitle'), width: 190, render: (_v, user) => status(user) },
    {
      key: 'lastLogin',
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      width: 140,
      render: (v: string | null) => (v ? formatTime(v) : <Typography.Text type="secondary">{t('users.never')}</Typography.Text>),
    },
  ];
  if (!actions) return columns;

  columns.push({
    key: 'actions',
    title: t('common.actions'),
    fixed: 'end',
    width: 250,
    render: (_v, user) => (
      <Space size={0} wrap>
        <Button type="link" size="small" onClick={() => actions.onEdit(user)} data-testid={`user-edit-${user.username}`}>
          {t('common.edit')}
        </Button>
        <Button type="link" size="small" onClick={() => actions.onResetPassword(user)} data-testid={`user-reset-${user.username}`}>
          {t('users.resetPassword')}
        </Button>
        <Button type="link" size="small" onClick={() => actions.onAddGrant(user)} data-testid={`user-grant-${user.username}`}>
          {t('users.addGrant')}
        </Button>
        <Popconfirm
          title={t(user.disabled ? 'users.enableConfirm' : 'users.disableConfirm', { name: user.displayName })}
          onConfirm={() => actions.onToggleDisabled(user)}
        >
          <Button type="link" size="small" danger={!user.disabled} data-testid={`user-toggle-${user.username}`}>
            {t(user.disabled ? 'users.enable' : 'users.disable')}
          </Button>
        </Popconfirm>
      </Space>
    ),
  });
  return columns;
}
