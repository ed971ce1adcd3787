import { useState } from 'react';
import { Avatar, Dropdown, Flex, Layout, Menu, Space, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/auth.tsx';
import { NAV } from './nav.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { useApiPaths } from './useApiPaths.ts';

const { Header, Sider, Content } = Layout;

function useVisibleNav() {
  const { can } = useAuth();
  const paths = useApiPaths();
  return NAV.filter((n) => (!n.entity || can(n.entity)) && (!n.api || paths.data?.has(n.api)));
}

/** The signed-in frame: side menu (only what the user may read), header with language and user menu. */
export function AppShell() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const nav = useVisibleNav();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const selected =
    nav
      .filter((n) => (n.path === '/' ? location.pathname === '/' : location.pathname.startsWith(n.path)))
      .sort((a, b) => b.path.length - a.path.length)[0]?.key ?? 'home';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" theme="dark" width={208}>
        <Flex align="center" gap={8} style={{ height: 56, padding: '0 20px', color: '#fff' }}>
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {!collapsed && <span style={{ fontWeight: 600, fontSize: 16 }}>OpenLTC</span>}
        </Flex>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          data-testid="side-menu"
          items={nav.map((n) => ({ key: n.key, icon: n.icon, label: t(`nav.${n.key}`) }))}
          onClick={({ key }) => navigate(nav.find((n) => n.key === key)!.path)}
        />
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: '0 24px', borderBottom: '1px solid #f0f0f0', height: 56, lineHeight: '56px' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
            <Space size="middle">
              <LanguageSwitch />
              <Dropdown
                trigger={['click']}
                menu={{
                  items: [
                    { key: 'who', label: me?.user.email, disabled: true },
                    { key: 'role', label: t(`role.${me?.user.role ?? 'viewer'}`), disabled: true },
                    { type: 'divider' },
                    { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout') },
                  ],
                  onClick: ({ key }) => {
                    if (key === 'logout') void logout().then(() => navigate('/login'));
                  },
                }}
              >
                <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
                  <span>{me?.user.name}</span>
                </Space>
              </Dropdown>
            </Space>
          </Flex>
        </Header>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
