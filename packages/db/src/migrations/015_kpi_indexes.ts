import type { Kysely } from 'kysely';
import { createIndexes, dropIndexes, replaceIndexes, restoreIndexes, type AddedIndex, type ReplacedIndex } from './index-helpers.ts';

/**
 * Covering indexes for the key figures (GET /analytics/kpis) at a million leads (bench/RESULTS.md, W4):
 * each figure is counted, summed or turned into a histogram by the database from the index alone, in
 * the order the index gives, without reading a row of the table:
 * - the lead cohort's conversions and nurturing times: (status, created_at, converted_at,
 *   converted_opportunity_id);
 * - win rate, won amount, cycle time: (status, closed_at, currency, amount_minor, created_at, owner_id,
 *   team_id) — status first: the statement asks for `status IN ('won', 'lost')` and a closed_at range, and
 *   SQLite without ANALYZE statistics prefers any index that starts with the equality;
 * - the open pipeline per currency and close date: (status, currency, expected_close_date, amount_minor,
 *   probability, owner_id, team_id) — the owner and team make it covering for a team-scoped rep too
 *   (otherwise each of the 180k open deals at large is read from the table to test its scope);
 * - invoiced: (status, issue_date, currency, total_minor);
 * - fulfilment and delivery cycle times, cash collected: migration 012's period indexes widened by the
 *   columns the figure reads;
 * - lead/quote-to-cash: the invoices of the period's allocations (created_at, invoice_id) and each
 *   invoice's last allocation (invoice_id, created_at), which replace (created_at) and (invoice_id).
 */
const REPLACED: ReplacedIndex[] = [
  ['orders_fulfilled_at_idx', ['fulfilled_at'], 'orders_fulfilled_kpi_idx', 'orders', ['fulfilled_at', 'confirmed_at']],
  ['deliveries_accepted_at_idx', ['accepted_at'], 'deliveries_accepted_kpi_idx', 'deliveries', ['accepted_at', 'shipped_at']],
  ['payments_received_on_idx', ['received_on'], 'payments_received_kpi_idx', 'payments', ['received_on', 'status', 'currency', 'amount_minor']],
  ['payment_allocations_created_at_idx', ['created_at'], 'allocations_created_invoice_idx', 'payment_allocations', ['created_at', 'invoice_id']],
  ['allocations_invoice_idx', ['invoice_id'], 'allocations_invoice_created_idx', 'payment_allocations', ['invoice_id', 'created_at']],
];

const ADDED: AddedIndex[] = [
  ['leads_converted_kpi_idx', 'leads', ['status', 'created_at', 'converted_at', 'converted_opportunity_id']],
  ['opps_closed_kpi_idx', 'opportunities', ['status', 'closed_at', 'currency', 'amount_minor', 'created_at', 'owner_id', 'team_id']],
  ['opps_open_pipeline_idx', 'opportunities', ['status', 'currency', 'expected_close_date', 'amount_minor', 'probability', 'owner_id', 'team_id']],
  ['invoices_issued_kpi_idx', 'invoices', ['status', 'issue_date', 'currency', 'total_minor']],
];

export async function up(db: Kysely<any>): Promise<void> {
  await createIndexes(db, ADDED);
  await replaceIndexes(db, REPLACED);
}

export async function down(db: Kysely<any>): Promise<void> {
  await restoreIndexes(db, REPLACED);
  await dropIndexes(db, ADDED);
}
