import type { ReactNode } from 'react';
import {
  AuditOutlined,
  BankOutlined,
  CarOutlined,
  DollarOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  FunnelPlotOutlined,
  ProfileOutlined,
  ShoppingCartOutlined,
  TagsOutlined,
  UserOutlined,
} from '@ant-design/icons';

/** A document type of the API (collection name) as the web app shows it: permission entity, icon, route. */
export interface DocType {
  entity: string;
  icon: ReactNode;
}

export const DOC_TYPES: Record<string, DocType> = {
  leads: { entity: 'lead', icon: <FunnelPlotOutlined /> },
  accounts: { entity: 'account', icon: <BankOutlined /> },
  contacts: { entity: 'contact', icon: <UserOutlined /> },
  opportunities: { entity: 'opportunity', icon: <AuditOutlined /> },
  products: { entity: 'product', icon: <TagsOutlined /> },
  quotes: { entity: 'quote', icon: <FileTextOutlined /> },
  contracts: { entity: 'contract', icon: <FileDoneOutlined /> },
  orders: { entity: 'order', icon: <ShoppingCartOutlined /> },
  deliveries: { entity: 'delivery', icon: <CarOutlined /> },
  invoices: { entity: 'invoice', icon: <ProfileOutlined /> },
  'invoice-requests': { entity: 'invoice_request', icon: <FileDoneOutlined /> },
  payments: { entity: 'payment', icon: <DollarOutlined /> },
};

/** The web app's page of a record (products have no page of their own: their list, filtered). */
export function recordPath(type: string, id: string, title?: string): string | null {
  if (!DOC_TYPES[type]) return null;
  if (type === 'products') return `/products?q=${encodeURIComponent(title ?? '')}`;
  return `/${type}/${id}`;
}
