import { z } from 'zod';
import type { Ctx } from '../platform/context.ts';
import { can } from '../platform/permissions.ts';
import { listVisible } from '../platform/records.ts';
import { DOCUMENTS } from './registry.ts';
import { listActivities, PARENTS } from '../activities/activities.ts';
import { PARENT_TYPES } from '../activities/activity.schema.ts';

/**
 * Global search (the web app's Ctrl/Cmd+K): the same free-text `q` every list takes, run over every
 * document type the caller may read, within their scope, a few hits per type, best-known first; and
 * over activities (subject and notes) on the records the caller may see.
 */
export const SearchQuery = z
  .object({
    q: z.string().trim().min(2, 'type at least 2 characters').max(100),
    perType: z.coerce.number().int().min(1).max(20).optional(),
  })
  .strict();

export interface SearchHit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  status: string | null;
  /** Activities (type `activities`): the kind (call, meeting, email, note, task) and the record it is on, which is where it opens. */
  activityType?: string;
  parentType?: string;
  parentId?: string;
  parentName?: string | null;
}

/** How a row of each type reads in a result list. */
function describe(type: string, r: any): Omit<SearchHit, 'type' | 'id'> {
  switch (type) {
    case 'leads':
      return { title: r.name, subtitle: [r.company, r.email ?? r.phone].filter(Boolean).join(' · ') || null, status: r.status };
    case 'accounts':
      return { title: r.name, subtitle: [r.region, r.industry].filter(Boolean).join(' · ') || null, status: null };
    case 'contacts':
      return { title: r.name, subtitle: [r.title, r.email ?? r.phone].filter(Boolean).join(' · ') || null, status: null };
    case 'opportunities':
      return { title: r.name, subtitle: null, status: r.status };
    case 'products':
      return { title: r.name, subtitle: r.sku, status: r.active ? 'active' : 'inactive' };
    case 'quotes':
      return { title: `${r.number} v${r.versionNo}`, subtitle: null, status: r.status };
    case 'contracts':
      return { title: r.number, subtitle: r.title, status: r.status };
    case 'deliveries':
      return { title: r.number, subtitle: [r.carrier, r.trackingNo].filter(Boolean).join(' ') || null, status: r.status };
    default:
      return { title: r.number ?? r.id, subtitle: r.reference ?? null, status: r.status ?? null };
  }
}

export async function globalSearch(ctx: Ctx, input: unknown): Promise<{ items: SearchHit[] }> {
  const { q, perType = 5 } = SearchQuery.parse(input);
  const types = Object.entries(DOCUMENTS).filter(([, def]) => can(ctx.user, def.entity, 'read') && def.search.length);
  const pages = await Promise.all(
    types.map(async ([type, def]) => {
      const page = await listVisible(ctx, def, { q, limit: perType, sort: 'updatedAt' in def.sortable ? '-updatedAt' : undefined });
      return page.items.map((r: any) => ({ type, id: r.id, ...describe(type, r) }));
    }),
  );
  // Activities: matched on subject and notes, only on records the caller may see (the activities
  // list's own scope rule), within the list's default reach (the last year), newest first.
  if (PARENT_TYPES.some((t) => can(ctx.user, PARENTS[t].entity, 'read'))) {
    const page = await listActivities(ctx, { q, limit: String(perType) });
    pages.push(
      page.items.map((a) => ({
        type: 'activities',
        id: a.id,
        title: a.subject,
        subtitle: a.notes ? a.notes.slice(0, 120) : null,
        status: a.type === 'task' ? a.status : null,
        activityType: a.type,
        parentType: a.parentType,
        parentId: a.parentId,
        parentName: a.parentName,
      })),
    );
  }
  return { items: pages.flat() };
}
