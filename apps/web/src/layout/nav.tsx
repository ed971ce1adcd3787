import type { ReactNode } from 'react';
import { AuditOutlined, BankOutlined, FunnelPlotOutlined, HomeOutlined, SettingOutlined, UserOutlined } from '@ant-design/icons';

export interface NavItem {
  key: string;
  path: string;
  /** Entity whose read permission shows the item (none: always shown). */
  entity?: string;
  /** API collection that must exist (checked against the OpenAPI document). */
  api?: string;
  icon: ReactNode;
}

/** The side menu, in the order of the lead-to-cash chain. */
export const NAV: NavItem[] = [
  { key: 'home', path: '/', icon: <HomeOutlined /> },
  { key: 'leads', path: '/leads', entity: 'lead', icon: <FunnelPlotOutlined /> },
  { key: 'opportunities', path: '/opportunities', entity: 'opportunity', icon: <AuditOutlined /> },
  { key: 'accounts', path: '/accounts', entity: 'account', icon: <BankOutlined /> },
  { key: 'contacts', path: '/contacts', entity: 'contact', icon: <UserOutlined /> },
  { key: 'settings', path: '/settings', entity: 'user', icon: <SettingOutlined /> },
];
