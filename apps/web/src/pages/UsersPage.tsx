import { useState } from 'react';
import { Alert, App, Button, Card, Input, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ROLES, type GrantView, type Role, type UserView } from '@wangge/contracts';
import { useUserMutations, useUsers, type UserFilter } from '../api/hooks.ts';
import { errorMessage } from '../api/client.ts';
import { useCan } from '../auth/session.tsx';
import { useLabels } from '../i18n/labels.ts';
import { usePageTitle } from '../lib/usePageTitle.ts';
import { AreaTreeSelect } from '../components/AreaTreeSelect.tsx';
import { useUserColumns } from '../components/users/useUserColumns.tsx';
import { UserDrawer, type UserDrawerTarget } from '../components/users/UserDrawer.tsx';
import { ResetPasswordModal } from '../components/users/ResetPasswordModal.tsx';
import { GrantModal } from '../components/users/GrantModal.tsx';

/** /users — input #user-search; test ids user-area-filter, user-role-filter, user-create, user-table. */
export default function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('nav.users'));
  const { message, modal } = App.useApp();
  const labels = useLabels();
  const can = useCan();
  const [filter, setFilter] = useState<UserFilter>({ page: 1, pageSize: 20 });
  const users = useUsers(filter);
  const { update, removeGrant } = useUserMutations();
  const [drawer, setDrawer] = useState<UserDrawerTarget>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const [granting, setGranting] = useState<UserView | null>(null);

  const refine = (patch: Partial<UserFilter>) => setFilter((f) => ({ ...f, ...patch, page: 1 }));

  const toggleDisabled = (user: UserView) =>
    update
      .mutateAsync({ id: user.id, disabled: !user.disabled })
      .then(() => void message.success(t(user.disabled ? 'users.enabledDone' : 'users.disabledDone')))
      .catch((error: unknown) => void message.error(errorMessage(error)));

  const confirmRemoveGrant = (user: UserView, grant: GrantView) => {
    const name = t('users.grant', { role: labels.role(grant.role), area: grant.areaName });
    void modal.confirm({
      title: t('users.removeGrantConfirm', { name: user.displayName, grant: name }),
      okButtonProps: { danger: true },
      onOk: () =>
        removeGrant
          .mutateAsync({ id: user.id, grantId: grant.id })
          .then(() => void message.success(t('users.grantRemoved')))
          .catch((error: unknown) => void message.error(errorMessage(error))),
    });
  };

  const columns = useUserColumns(
    can('user.manage')
      ? {
          onEdit: setDrawer,
          onResetPassword: setResetting,
          onAddGrant: setGranting,
          onToggleDisabled: toggleDisabled,
          onRemoveGrant: confirmRemoveGrant,
        }
      : null,
  );

  return (
    <Card
      title={t('nav.users')}
      extra={
        can('user.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer('new')} data-testid="user-create">
            {t('users.create')}
          </Button>
        )
      }
    >
      <Space wrap className="filter-bar">
        <Input.Search
          id="user-search"
          data-testid="user-search"
          placeholder={t('users.searchPlaceholder')}
          allowClear
          onSearch={(q) => refine({ q: q.trim() || undefined })}
          className="filter-search"
        />
        <AreaTreeSelect
          data-testid="user-area-filter"
          placeholder={t('users.areaFilter')}
          allowClear
          value={filter.areaId}
          onChange={(areaId) => refine({ areaId })}
          style={{ width: 220 }}
        />
        <Select<Role>
          data-testid="user-role-filter"
          placeholder={t('users.roleFilter')}
          allowClear
          value={filter.role}
          onChange={(role) => refine({ role })}
          options={ROLES.map((r) => ({ value: r, label: labels.role(r) }))}
          style={{ width: 160 }}
        />
      </Space>
      {users.isError && <Alert type="error" showIcon title={errorMessage(users.error)} className="page-alert" />}
      <div data-testid="user-table">
        <Table<UserView>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users.data?.items ?? []}
          loading={users.isFetching}
          scroll={{ x: 1300 }}
          pagination={{
            current: filter.page,
            pageSize: filter.pageSize,
            total: users.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => setFilter((f) => ({ ...f, page, pageSize })),
          }}
        />
      </div>
      <UserDrawer target={drawer} onClose={() => setDrawer(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <GrantModal user={granting} onClose={() => setGranting(null)} />
    </Card>
  );
}
