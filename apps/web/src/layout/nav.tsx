import type { ReactNode } from 'react';
import {
  AuditOutlined,
  CheckSquareOutlined,
  BankOutlined,
  CarOutlined,
  DollarOutlined,
  FieldTimeOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FunnelPlotOutlined,
  HomeOutlined,
  LineChartOutlined,
  ProfileOutlined,
  SettingOutlined,
  ShoppingCartOutlined,
  TagsOutlined,
  UserOutlined,
} from '@ant-design/icons';

export interface NavItem {
  key: string;
  path: string;
  /** Entity whose read permission shows the item (none: always shown). */
  entity?: string;
  /** API collection that must exist (checked against the OpenAPI document). */
  api?: string;
  /** Shown only to roles that may open some gate (approve on any entity). */
  approver?: boolean;
  /** Also shown to roles that may write this entity (finance sees Settings for tax codes and price books). */
  orWrite?: string;
  icon: ReactNode;
}

/** The side menu, in the order of the lead-to-cash chain. */
export const NAV: NavItem[] = [
  { key: 'home', path: '/', icon: <HomeOutlined /> },
  { key: 'approvals', path: '/approvals', approver: true, api: '/api/v1/approvals', icon: <CheckSquareOutlined /> },
  { key: 'leads', path: '/leads', entity: 'lead', icon: <FunnelPlotOutlined /> },
  { key: 'opportunities', path: '/opportunities', entity: 'opportunity', icon: <AuditOutlined /> },
  { key: 'accounts', path: '/accounts', entity: 'account', icon: <BankOutlined /> },
  { key: 'contacts', path: '/contacts', entity: 'contact', icon: <UserOutlined /> },
  { key: 'products', path: '/products', entity: 'product', api: '/api/v1/products', icon: <TagsOutlined /> },
  { key: 'quotes', path: '/quotes', entity: 'quote', api: '/api/v1/quotes', icon: <FileTextOutlined /> },
  { key: 'contracts', path: '/contracts', entity: 'contract', api: '/api/v1/contracts', icon: <FileDoneOutlined /> },
  { key: 'orders', path: '/orders', entity: 'order', api: '/api/v1/orders', icon: <ShoppingCartOutlined /> },
  { key: 'deliveries', path: '/deliveries', entity: 'delivery', api: '/api/v1/deliveries', icon: <CarOutlined /> },
  { key: 'invoices', path: '/invoices', entity: 'invoice', api: '/api/v1/invoices', icon: <ProfileOutlined /> },
  { key: 'invoice-requests', path: '/invoice-requests', entity: 'invoice_request', api: '/api/v1/invoice-requests', icon: <FileDoneOutlined /> },
  { key: 'payments', path: '/payments', entity: 'payment', api: '/api/v1/payments', icon: <DollarOutlined /> },
  { key: 'aging', path: '/finance/aging', entity: 'invoice', api: '/api/v1/receivables/aging', icon: <FieldTimeOutlined /> },
  { key: 'revenue', path: '/finance/revenue', entity: 'revenue', api: '/api/v1/revenue/report', icon: <LineChartOutlined /> },
  { key: 'settings', path: '/settings', entity: 'user', orWrite: 'pricing', icon: <SettingOutlined /> },
];
