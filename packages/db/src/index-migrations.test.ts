import { describe, expect, it } from 'vitest';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Migration,
} from 'kysely';
import * as m012 from './migrations/012_indexes_at_scale.ts';
import * as m015 from './migrations/015_kpi_indexes.ts';
import { migrations } from './migrations/index.ts';

/** The statements a migration's up and down run, compiled for a dialect without a database. */
async function statements(m: Migration, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const out: string[] = [];
  const pg = dialect === 'postgres';
  const db = new Kysely<any>({
    dialect: {
      createAdapter: () => (pg ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (d) => (pg ? new PostgresIntrospector(d) : new SqliteIntrospector(d)),
      createQueryCompiler: () => (pg ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (e) => void out.push(e.query.sql),
  });
  await m.up(db);
  await m.down!(db);
  return out;
}

/**
 * Migrations 012 and 015 share their index helpers (migrations/index-helpers.ts): the statements they
 * run must stay exactly those they ran before the helpers were taken out, since databases already
 * migrated recorded them by name. The lists below were compiled from the migrations as first written.
 */
const M012 = [
  'create index "orders_fulfilled_at_idx" on "orders" ("fulfilled_at")',
  'create index "deliveries_accepted_at_idx" on "deliveries" ("accepted_at")',
  'create index "payments_received_on_idx" on "payments" ("received_on")',
  'create index "payment_allocations_created_at_idx" on "payment_allocations" ("created_at")',
  'create index "opportunities_closed_at_idx" on "opportunities" ("closed_at")',
  'create index "opps_status_close_idx" on "opportunities" ("status", "expected_close_date", "id")',
  'drop index "opps_status_idx"',
  'create index "invoices_status_due_idx" on "invoices" ("status", "due_date", "id")',
  'drop index "invoices_status_idx"',
  'create index "opps_stage_created_idx" on "opportunities" ("pipeline_id", "stage_id", "created_at", "id")',
  'drop index "opps_stage_idx"',
  'create index "opps_status_idx" on "opportunities" ("status", "expected_close_date")',
  'drop index "opps_status_close_idx"',
  'create index "invoices_status_idx" on "invoices" ("status", "due_date")',
  'drop index "invoices_status_due_idx"',
  'create index "opps_stage_idx" on "opportunities" ("pipeline_id", "stage_id")',
  'drop index "opps_stage_created_idx"',
  'drop index "orders_fulfilled_at_idx"',
  'drop index "deliveries_accepted_at_idx"',
  'drop index "payments_received_on_idx"',
  'drop index "payment_allocations_created_at_idx"',
  'drop index "opportunities_closed_at_idx"',
];
const M015 = [
  'create index "leads_converted_kpi_idx" on "leads" ("status", "created_at", "converted_at", "converted_opportunity_id")',
  'create index "opps_closed_kpi_idx" on "opportunities" ("status", "closed_at", "currency", "amount_minor", "created_at", "owner_id", "team_id")',
  'create index "opps_open_pipeline_idx" on "opportunities" ("status", "currency", "expected_close_date", "amount_minor", "probability", "owner_id", "team_id")',
  'create index "invoices_issued_kpi_idx" on "invoices" ("status", "issue_date", "currency", "total_minor")',
  'create index "orders_fulfilled_kpi_idx" on "orders" ("fulfilled_at", "confirmed_at")',
  'drop index "orders_fulfilled_at_idx"',
  'create index "deliveries_accepted_kpi_idx" on "deliveries" ("accepted_at", "shipped_at")',
  'drop index "deliveries_accepted_at_idx"',
  'create index "payments_received_kpi_idx" on "payments" ("received_on", "status", "currency", "amount_minor")',
  'drop index "payments_received_on_idx"',
  'create index "allocations_created_invoice_idx" on "payment_allocations" ("created_at", "invoice_id")',
  'drop index "payment_allocations_created_at_idx"',
  'create index "allocations_invoice_created_idx" on "payment_allocations" ("invoice_id", "created_at")',
  'drop index "allocations_invoice_idx"',
  'create index "orders_fulfilled_at_idx" on "orders" ("fulfilled_at")',
  'drop index "orders_fulfilled_kpi_idx"',
  'create index "deliveries_accepted_at_idx" on "deliveries" ("accepted_at")',
  'drop index "deliveries_accepted_kpi_idx"',
  'create index "payments_received_on_idx" on "payments" ("received_on")',
  'drop index "payments_received_kpi_idx"',
  'create index "payment_allocations_created_at_idx" on "payment_allocations" ("created_at")',
  'drop index "allocations_created_invoice_idx"',
  'create index "allocations_invoice_idx" on "payment_allocations" ("invoice_id")',
  'drop index "allocations_invoice_created_idx"',
  'drop index "leads_converted_kpi_idx"',
  'drop index "opps_closed_kpi_idx"',
  'drop index "opps_open_pipeline_idx"',
  'drop index "invoices_issued_kpi_idx"',
];

describe('index migrations 012 and 015', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`run the statements they always ran (${dialect})`, async () => {
      expect(await statements(m012, dialect)).toEqual(M012);
      expect(await statements(m015, dialect)).toEqual(M015);
    });
  }

  it('are registered under their recorded names', () => {
    expect(migrations['012_indexes_at_scale']).toBe(m012);
    expect(migrations['015_kpi_indexes']).toBe(m015);
  });
});
