import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { Alert, App, Button, Layout, Menu, Space, type MenuProps } from 'antd';
import {
  AlertOutlined, ApartmentOutlined, AuditOutlined, BarChartOutlined, BorderOuterOutlined, CalendarOutlined, ControlOutlined, DatabaseOutlined, FileAddOutlined,
  ImportOutlined, MenuFoldOutlined, MenuUnfoldOutlined, ProfileOutlined, SearchOutlined, SettingOutlined, TableOutlined, TeamOutlined,
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
  // 台账: the ledgers (key /registry/ledgers, any /registry/<ledger> path) and the registry's own pages.
  const registryNav = [
    { key: '/registry/ledgers', to: '/registry/persons', icon: <TableOutlined />, label: t('registry.nav.ledgers'), show: can('registry.read') },
    { key: '/registry/search', icon: <SearchOutlined />, label: t('registry.nav.search'), show: can('registry.read') },
    { key: '/registry/summary', icon: <BarChartOutlined />, label: t('registry.nav.summary'), show: can('registry.read') },
    { key: '/registry/visits', icon: <CalendarOutlined />, label: t('registry.nav.visits'), show: can('registry.read') },
    { key: '/registry/imports', icon: <ImportOutlined />, label: t('registry.nav.imports'), show: can('registry.import') },
    { key: '/registry/settings', icon: <ControlOutlined />, label: t('registry.nav.settings'), show: can('registry.read') || can('registry.configure') },
  ];
  const entry = (n: { key: string; to?: string; icon: ReactNode; label: string }) => ({
    key: n.key,
    icon: n.icon,
    label: (
      <Link to={n.to ?? n.key} data-testid={`nav${n.key.replaceAll('/', '-')}`}>
        {n.label}
      </Link>
    ),
  });
  const registryItems = registryNav.filter((n) => n.show).map(entry);
  const items: MenuProps['items'] = nav.filter((n) => n.show).map(entry);
  if (registryItems.length > 0) {
    const at = items.findIndex((i) => i?.key === '/users');
    items.splice(at < 0 ? items.length : at, 0, { key: 'registry', icon: <DatabaseOutlined />, label: t('registry.nav.group'), children: registryItems });
  }
  const [, first = '', second = ''] = location.pathname.split('/');
  const registryPage = registryNav.some((n) => n.key === `/registry/${second}`);
  const section = first === 'registry' ? (registryPage ? `/registry/${second}` : '/registry/ledgers') : `/${first}`;
  const [openKeys, setOpenKeys] = useState<string[]>(first === 'registry' ? ['registry'] : []);
  // Arriving at a registry page by a link (a search hit, a visit) opens its menu group.
  useEffect(() => {
    if (first === 'registry') setOpenKeys((keys) => (keys.includes('registry') ? keys : [...keys, 'registry']));
  }, [first]);

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
            <Menu
              mode="inline"
              selectedKeys={[section]}
              {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
              items={items}
              className="console-menu"
            />
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
