import type { Kysely } from 'kysely';
import { createIndexes, dropIndexes, replaceIndexes, restoreIndexes, type AddedIndex, type ReplacedIndex } from './index-helpers.ts';

/**
 * Indexes found missing by the benchmarks at scale (bench/RESULTS.md, W4):
 * - the key figures (GET /analytics/kpis) read a document by the date it reached a step; without an
 *   index each figure scans its whole table (order fulfilment, delivery cycle and cash collected fall
 *   from 11–25 ms to ~1 ms on the medium set);
 * - lists sorted by a column after an equality filter are served as `(filter, column, id)`, the order
 *   the pagination reads them in; the foundation's `(status, expected_close_date)`,
 *   `(status, due_date)` and `(pipeline_id, stage_id)` lacked the tail, so at 300k opportunities SQLite
 *   sorted every open deal to show the first page. The longer indexes replace them.
 */
const REPLACED: ReplacedIndex[] = [
  [
    'opps_status_idx',
    ['status', 'expected_close_date'],
    'opps_status_close_idx',
    'opportunities',
    ['status', 'expected_close_date', 'id'],
  ],
  [
    'invoices_status_idx',
    ['status', 'due_date'],
    'invoices_status_due_idx',
    'invoices',
    ['status', 'due_date', 'id'],
  ],
  [
    'opps_stage_idx',
    ['pipeline_id', 'stage_id'],
    'opps_stage_created_idx',
    'opportunities',
    ['pipeline_id', 'stage_id', 'created_at', 'id'],
  ],
];

const ADDED: AddedIndex[] = [
  ['orders_fulfilled_at_idx', 'orders', 'fulfilled_at'],
  ['deliveries_accepted_at_idx', 'deliveries', 'accepted_at'],
  ['payments_received_on_idx', 'payments', 'received_on'],
  ['payment_allocations_created_at_idx', 'payment_allocations', 'created_at'],
  ['opportunities_closed_at_idx', 'opportunities', 'closed_at'],
];

export async function up(db: Kysely<any>): Promise<void> {
  await createIndexes(db, ADDED);
  await replaceIndexes(db, REPLACED);
}

export async function down(db: Kysely<any>): Promise<void> {
  await restoreIndexes(db, REPLACED);
  await dropIndexes(db, ADDED);
}
