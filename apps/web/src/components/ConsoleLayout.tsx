import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { Alert, App, Button, Layout, Menu, Space, type MenuProps } from 'antd';
import {
  AlertOutlined, ApartmentOutlined, AuditOutlined, BorderOuterOutlined, FileAddOutlined, MenuFoldOutlined, MenuUnfoldOutlined, ProfileOutlined, SettingOutlined, TeamOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../api/hooks.ts';
import { useCan, useSession, useSessionControl } from '../auth/session.tsx';
import { useIdleTimeout } from '../auth/useIdleTimeout.ts';
import { ChangePasswordModal } from '../auth/ChangePasswordModal.tsx';
import { FullPageSpin } from '../auth/RequireAuth.tsx';
import { BrandMark } from './BrandMark.tsx';
import { LangSwitch } from './LangSwitch.tsx';
import { UserMenu } from './UserMenu.tsx';
import { NotificationBell } from './NotificationBell.tsx';

const { Header, Sider, Content } = Layout;

/** The console around every page after login: menu, header, password prompts, idle sign-out. */
export default function ConsoleLayout() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const { endSession } = useSessionControl();
  const logout = useLogout();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [noticeClosed, setNoticeClosed] = useState(false);

  const signOut = () => logout.mutate(undefined, { onSettled: () => endSession('logout') });

  useIdleTimeout(me.sessionIdleMinutes, () => {
    endSession('idle');
    logout.mutate();
  });

  const nav = [
    { key: '/areas', icon: <ApartmentOutlined />, label: t('nav.areas'), show: true },
    { key: '/map', icon: <BorderOuterOutlined />, label: t('nav.map'), show: true },
    { key: '/intake', icon: <FileAddOutlined />, label: t('nav.intake'), show: can('case.report') },
    { key: '/cases', icon: <ProfileOutlined />, label: t('nav.cases'), show: can('case.read') || can('case.handle') || can('case.dispatch') },
    { key: '/supervision', icon: <AlertOutlined />, label: t('nav.supervision'), show: can('case.supervise') },
    { key: '/case-config', icon: <SettingOutlined />, label: t('nav.caseConfig'), show: can('case.configure') || can('case.dispatch') },
    { key: '/users', icon: <TeamOutlined />, label: t('nav.users'), show: can('user.read') },
    { key: '/audit', icon: <AuditOutlined />, label: t('nav.audit'), show: can('audit.read') },
  ];
  const items: MenuProps['items'] = nav
    .filter((n) => n.show)
    .map((n) => ({
      key: n.key,
      icon: n.icon,
      label: (
        <Link to={n.key} data-testid={`nav${n.key.replace('/', '-')}`}>
          {n.label}
        </Link>
      ),
    }));
  const section = `/${location.pathname.split('/')[1] ?? ''}`;

  return (
    <App>
      <Layout className="console">
        <Header className="console-header">
          <Space size="middle">
            <Button
              type="text"
              aria-label={t(collapsed ? 'nav.expand' : 'nav.collapse')}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
            />
            <Link to="/areas" className="console-brand">
              <BrandMark />
            </Link>
          </Space>
          <Space size="middle">
            <NotificationBell />
            <LangSwitch />
            <UserMenu onChangePassword={() => setPasswordOpen(true)} onLogout={signOut} />
          </Space>
        </Header>
        <Layout>
          <Sider className="console-sider" theme="light" width={200} collapsedWidth={56} collapsed={collapsed} trigger={null}>
            <Menu mode="inline" selectedKeys={[section]} items={items} className="console-menu" />
          </Sider>
          <Content className="console-content">
            {me.passwordExpired && !me.mustChangePassword && !noticeClosed && (
              <Alert
                className="console-notice"
                data-testid="password-expired-notice"
                type="warning"
                showIcon
                title={t('password.expiredNotice')}
                action={
                  <Button size="small" type="primary" onClick={() => setPasswordOpen(true)}>
                    {t('password.changeNow')}
                  </Button>
                }
                closable={{ onClose: () => setNoticeClosed(true) }}
              />
            )}
            {!me.mustChangePassword && (
              <Suspense fallback={<FullPageSpin />}>
                <Outlet />
              </Suspense>
            )}
          </Content>
        </Layout>
        <ChangePasswordModal
          open={passwordOpen || me.mustChangePassword}
          forced={me.mustChangePassword}
          onClose={() => setPasswordOpen(false)}
          onLogout={signOut}
        />
      </Layout>
    </App>
  );
}
