import { Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { ApiOutlined, DownOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.tsx';

interface Props {
  onChangePassword: () => void;
  onLogout: () => void;
}

/** The signed-in user's menu. Test ids: user-menu, menu-change-password, menu-api-docs, menu-logout. */
export function UserMenu({ onChangePassword, onLogout }: Props) {
  const { t } = useTranslation();
  const me = useSession();
  const items: MenuProps['items'] = [
    { key: 'who', disabled: true, label: <span className="user-menu-who">{me.username}</span> },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('userMenu.changePassword')}</span> },
    {
      key: 'docs',
      icon: <ApiOutlined />,
      label: (
        <a href="/api/docs" target="_blank" rel="noreferrer" data-testid="menu-api-docs">
          {t('userMenu.apiDocs')}
        </a>
      ),
    },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="menu-logout">{t('userMenu.logout')}</span> },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') onChangePassword();
    if (key === 'logout') onLogout();
  };
  return (
    <Dropdown menu={{ items, onClick }} placement="bottomRight" trigger={['click']}>
      <Button type="text" data-testid="user-menu" className="user-menu-button">
        <Avatar size="small" icon={<UserOutlined />} className="user-menu-avatar" />
        <span>{me.displayName}</span>
        <DownOutlined />
      </Button>
    </Dropdown>
  );
}
