import { useCallback, useState } from 'react';
import { Avatar, Badge, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Space } from 'antd';
import { LogoutOutlined, MenuOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/auth.tsx';
import { GlobalSearch, HeaderSearch, useSearchShortcut } from '../components/GlobalSearch.tsx';
import { NAV } from './nav.tsx';
import { mayApprove, useApprovals } from '../pages/approvals/approvals.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { useApiPaths } from './useApiPaths.ts';

const { Header, Sider, Content } = Layout;

function useVisibleNav() {
  const { can, me } = useAuth();
  const paths = useApiPaths();
  const approver = mayApprove(me?.permissions);
  return NAV.filter((n) => (!n.entity || can(n.entity) || (!!n.orWrite && can(n.orWrite, 'write'))) && (!n.approver || approver) && (!n.api || paths.data?.has(n.api)));
}

/** The signed-in frame: side menu (only what the user may read), header with language and user menu. */
export function AppShell() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const nav = useVisibleNav();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const screens = Grid.useBreakpoint();
  // A phone: the side menu becomes a drawer opened from the header.
  const phone = screens.md === false;
  const [drawer, setDrawer] = useState(false);
  const inbox = useApprovals(nav.some((n) => n.key === 'approvals'));
  const waiting = inbox.data?.items.length ?? 0;
  const [search, setSearch] = useState<{ open: boolean; text: string }>({ open: false, text: '' });
  const openSearch = useCallback((text = '') => setSearch({ open: true, text }), []);
  useSearchShortcut(openSearch);
  const selected =
    nav
      .filter((n) => (n.path === '/' ? location.pathname === '/' : location.pathname.startsWith(n.path)))
      .sort((a, b) => b.path.length - a.path.length)[0]?.key ?? 'home';

  const sideMenu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      data-testid="side-menu"
      items={nav.map((n) => ({
        key: n.key,
        icon: n.icon,
        label:
          n.key === 'approvals' && waiting > 0 ? (
            <Flex justify="space-between" align="center">
              {t('nav.approvals')}
              <Badge count={waiting} overflowCount={99} size="small" data-testid="approvals-badge" />
            </Flex>
          ) : (
            t(`nav.${n.key}`)
          ),
      }))}
      onClick={({ key }) => {
        setDrawer(false);
        navigate(nav.find((n) => n.key === key)!.path);
      }}
    />
  );
  const brand = (
    <Flex align="center" gap={8} style={{ height: 56, padding: '0 20px', color: '#fff' }}>
      <img src="/favicon.svg" alt="" width={24} height={24} />
      {!collapsed && <span style={{ fontWeight: 600, fontSize: 16 }}>OpenLTC</span>}
    </Flex>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        <Drawer
          open={drawer}
          onClose={() => setDrawer(false)}
          placement="left"
          width={260}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' }, header: { display: 'none' } }}
          data-testid="nav-drawer"
        >
          {brand}
          {sideMenu}
        </Drawer>
      ) : (
        <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} breakpoint="lg" theme="dark" width={208}>
          {brand}
          {sideMenu}
        </Sider>
      )}
      <Layout>
        <Header style={{ background: '#fff', padding: phone ? '0 8px' : '0 24px', borderBottom: '1px solid #f0f0f0', height: 56, lineHeight: '56px' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            {screens.md ? (
              <HeaderSearch onOpen={openSearch} />
            ) : (
              <Space size={4}>
                {phone && (
                  <Button type="text" size="large" icon={<MenuOutlined />} aria-label={t('activities.menu')} aria-expanded={drawer} onClick={() => setDrawer(true)} data-testid="menu-button" />
                )}
                <Button type="text" icon={<SearchOutlined />} aria-label={t('search.open')} onClick={() => openSearch()} data-testid="header-search" />
              </Space>
            )}
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
                  {screens.sm && <span>{me?.user.name}</span>}
                </Space>
              </Dropdown>
            </Space>
          </Flex>
        </Header>
        <Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Content>
        <GlobalSearch open={search.open} initialText={search.text} onClose={() => setSearch((s) => ({ ...s, open: false }))} />
      </Layout>
    </Layout>
  );
}
