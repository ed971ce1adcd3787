import type { ReactNode } from 'react';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type { useFormat } from '../../lib/format.ts';

/** Any document of the order-to-cash chain, as the generic pages read it. */
export interface Doc {
  id: string;
  version: number;
  status: string;
  number?: string | null;
  accountId?: string;
  currency?: string;
  allowedActions?: string[];
  createdAt: string;
  [k: string]: unknown;
}

export interface Helpers {
  t: TFunction;
  f: ReturnType<typeof useFormat>;
}

/** What a lifecycle action needs: nothing, a reason, or a name. */
export interface ActionSpec {
  /** Body field asked for in a dialog (reason, signedBy, acceptedBy); none: sent at once. */
  field?: 'reason' | 'signedBy' | 'acceptedBy';
  /** Permission needed beyond 'write'. */
  permission?: 'write' | 'approve';
}

export interface DocConfig<T extends Doc = Doc> {
  /** API collection and route segment, e.g. "quotes". */
  type: string;
  /** Permission entity, e.g. "quote". */
  entity: string;
  statuses: readonly string[];
  defaultSort: string;
  /** Sortable API fields shown as sortable columns. */
  columns: (h: Helpers, sort: string | undefined) => TableColumnsType<T>;
  /** Extra list filters besides q and status. */
  title: (doc: T, h: Helpers) => string;
  /** Key facts for the detail page. */
  facts: (doc: T, h: Helpers) => Array<{ label: string; value: ReactNode; span?: number }>;
  /** Lines and totals, if the document has lines. */
  lines?: (doc: T, h: Helpers) => ReactNode;
  actions?: Record<string, ActionSpec>;
  /** Follow-up steps that create the next document, and other panels. */
  extra?: (doc: T) => ReactNode;
  /** Buttons next to the lifecycle actions. */
  buttons?: (doc: T) => ReactNode;
  /** Banner, e.g. a reason the document was closed. */
  banner?: (doc: T, h: Helpers) => ReactNode;
}
