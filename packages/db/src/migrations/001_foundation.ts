import type { Kysely, CreateTableBuilder } from 'kysely';

/**
 * The foundation schema: identity, CRM, catalog, the lead→cash documents with their line-level
 * links, number series, the event log, the job outbox and idempotency keys.
 * Written once for both SQLite and PostgreSQL: only portable types (text, integer, bigint).
 */
type Tb = CreateTableBuilder<any, any>;

const owned = (t: Tb): Tb =>
  t
    .addColumn('owner_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1));

const totals = (t: Tb): Tb =>
  t
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('tax_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('total_minor', 'bigint', (c) => c.notNull().defaultTo(0));

const pricedLine = (t: Tb): Tb =>
  t
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('qty_milli', 'bigint', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('discount_rate', 'text', (c) => c.notNull().defaultTo('0'))
    .addColumn('tax_rate', 'text', (c) => c.notNull())
    .addColumn('net_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull());

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('legal_entities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('rounding_mode', 'text', (c) => c.notNull())
    .addColumn('tax_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('teams.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await owned(
    db.schema
      .createTable('leads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('company', 'text')
      .addColumn('title', 'text')
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('region', 'text')
      .addColumn('industry', 'text')
      .addColumn('source', 'text')
      .addColumn('campaign', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('disqualify_reason', 'text')
      .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('notes', 'text')
      .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('converted_account_id', 'text')
      .addColumn('converted_contact_id', 'text')
      .addColumn('converted_opportunity_id', 'text')
      .addColumn('converted_at', 'text'),
  ).execute();

  await owned(
    db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('industry', 'text')
      .addColumn('region', 'text')
      .addColumn('tax_id', 'text')
      .addColumn('address', 'text')
      .addColumn('website', 'text')
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('credit_limit_minor', 'bigint')
      .addColumn('lead_id', 'text')
      .addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}')),
  ).execute();

  await owned(
    db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('lead_id', 'text'),
  ).execute();

  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .execute();

  await owned(
    db.schema
      .createTable('opportunities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('contact_id', 'text')
      .addColumn('lead_id', 'text')
      .addColumn('pipeline_id', 'text', (c) => c.notNull().references('pipelines.id'))
      .addColumn('stage_id', 'text', (c) => c.notNull().references('pipeline_stages.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('probability', 'integer', (c) => c.notNull())
      .addColumn('expected_close_date', 'text')
      .addColumn('lost_reason', 'text')
      .addColumn('closed_at', 'text'),
  ).execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sku', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('list_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('tax_rate', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await owned(
    totals(
      db.schema
        .createTable('quotes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('version_no', 'integer', (c) => c.notNull())
        .addColumn('opportunity_id', 'text', (c) => c.notNull().references('opportunities.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text')
        .addColumn('notes', 'text')
        .addColumn('superseded_by_id', 'text')
        .addColumn('reject_reason', 'text')
        .addColumn('decline_reason', 'text'),
    ),
  )
    .addUniqueConstraint('quotes_number_version_uq', ['number', 'version_no'])
    .execute();

  await pricedLine(
    db.schema.createTable('quote_lines').addColumn('quote_id', 'text', (c) => c.notNull().references('quotes.id')),
  ).execute();

  await owned(
    db.schema
      .createTable('contracts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('quote_id', 'text', (c) => c.references('quotes.id'))
      .addColumn('opportunity_id', 'text')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('total_minor', 'bigint', (c) => c.notNull())
      .addColumn('start_date', 'text')
      .addColumn('end_date', 'text')
      .addColumn('signed_at', 'text')
      .addColumn('signed_by', 'text')
      .addColumn('return_reason', 'text')
      .addColumn('termination_reason', 'text'),
  ).execute();

  await owned(
    totals(
      db.schema
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('quote_id', 'text', (c) => c.references('quotes.id'))
        .addColumn('contract_id', 'text', (c) => c.references('contracts.id'))
        .addColumn('opportunity_id', 'text')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('order_date', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('fulfilled_at', 'text')
        .addColumn('cancel_reason', 'text'),
    ),
  ).execute();

  await pricedLine(
    db.schema
      .createTable('order_lines')
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('quote_line_id', 'text'),
  ).execute();

  await owned(
    db.schema
      .createTable('deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('carrier', 'text')
      .addColumn('tracking_no', 'text')
      .addColumn('shipped_at', 'text')
      .addColumn('delivered_at', 'text')
      .addColumn('accepted_at', 'text')
      .addColumn('accepted_by', 'text'),
  ).execute();

  await db.schema
    .createTable('delivery_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id'))
    .addColumn('order_line_id', 'text', (c) => c.notNull().references('order_lines.id'))
    .addColumn('qty_milli', 'bigint', (c) => c.notNull())
    .execute();

  await owned(
    totals(
      db.schema
        .createTable('invoices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text')
        .addColumn('legal_entity_id', 'text', (c) => c.notNull().references('legal_entities.id'))
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
        .addColumn('delivery_id', 'text', (c) => c.references('deliveries.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('issue_date', 'text')
        .addColumn('due_date', 'text')
        .addColumn('payment_terms_days', 'integer', (c) => c.notNull().defaultTo(30))
        .addColumn('issued_at', 'text'),
    ),
  )
    .addUniqueConstraint('invoices_entity_number_uq', ['legal_entity_id', 'number'])
    .execute();

  await pricedLine(
    db.schema
      .createTable('invoice_lines')
      .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
      .addColumn('order_line_id', 'text', (c) => c.notNull().references('order_lines.id'))
      .addColumn('delivery_line_id', 'text', (c) => c.references('delivery_lines.id')),
  ).execute();

  await owned(
    db.schema
      .createTable('payments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('amount_minor', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('received_on', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('reference', 'text'),
  ).execute();

  await db.schema
    .createTable('payment_allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('number_series')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('next_value', 'bigint', (c) => c.notNull())
    .addColumn('padding', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('number_series_pk', ['key', 'scope'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('request_id', 'text')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal', 'key'])
    .execute();

  // Indexes for every list, scope check and link walk. List indexes end in (created_at, id): lists
  // order by (sort column, id) (platform/list.ts), so a page is read from the index, never sorted.
  const idx: Array<[string, string, string[]]> = [
    ['leads_status_idx', 'leads', ['status', 'created_at', 'id']],
    ['leads_team_idx', 'leads', ['team_id', 'created_at', 'id']],
    ['leads_owner_idx', 'leads', ['owner_id', 'created_at', 'id']],
    ['leads_created_idx', 'leads', ['created_at', 'id']],
    ['leads_email_idx', 'leads', ['email']],
    ['accounts_team_idx', 'accounts', ['team_id', 'created_at', 'id']],
    ['accounts_name_idx', 'accounts', ['name']],
    ['contacts_account_idx', 'contacts', ['account_id']],
    ['opps_account_idx', 'opportunities', ['account_id']],
    ['opps_team_idx', 'opportunities', ['team_id', 'created_at', 'id']],
    ['opps_stage_idx', 'opportunities', ['pipeline_id', 'stage_id']],
    ['opps_status_idx', 'opportunities', ['status', 'expected_close_date']],
    ['opps_lead_idx', 'opportunities', ['lead_id']],
    ['opps_owner_idx', 'opportunities', ['owner_id', 'created_at', 'id']],
    ['opps_created_idx', 'opportunities', ['created_at', 'id']],
    ['opps_status_created_idx', 'opportunities', ['status', 'created_at', 'id']],
    ['quotes_opp_idx', 'quotes', ['opportunity_id']],
    ['quotes_team_idx', 'quotes', ['team_id', 'created_at', 'id']],
    ['quote_lines_quote_idx', 'quote_lines', ['quote_id', 'line_no']],
    ['contracts_quote_idx', 'contracts', ['quote_id']],
    ['contracts_team_idx', 'contracts', ['team_id', 'created_at', 'id']],
    ['orders_quote_idx', 'orders', ['quote_id']],
    ['orders_contract_idx', 'orders', ['contract_id']],
    ['orders_team_idx', 'orders', ['team_id', 'created_at', 'id']],
    ['orders_status_idx', 'orders', ['status', 'created_at', 'id']],
    ['orders_created_idx', 'orders', ['created_at', 'id']],
    ['order_lines_order_idx', 'order_lines', ['order_id', 'line_no']],
    ['deliveries_order_idx', 'deliveries', ['order_id']],
    ['delivery_lines_delivery_idx', 'delivery_lines', ['delivery_id']],
    ['delivery_lines_order_line_idx', 'delivery_lines', ['order_line_id']],
    ['invoices_order_idx', 'invoices', ['order_id']],
    ['invoices_status_idx', 'invoices', ['status', 'due_date']],
    ['invoices_team_idx', 'invoices', ['team_id', 'created_at', 'id']],
    ['invoices_owner_idx', 'invoices', ['owner_id', 'created_at', 'id']],
    ['invoices_account_idx', 'invoices', ['account_id', 'created_at', 'id']],
    ['invoices_created_idx', 'invoices', ['created_at', 'id']],
    ['invoices_status_created_idx', 'invoices', ['status', 'created_at', 'id']],
    ['invoice_lines_invoice_idx', 'invoice_lines', ['invoice_id']],
    ['invoice_lines_order_line_idx', 'invoice_lines', ['order_line_id']],
    ['payments_account_idx', 'payments', ['account_id']],
    ['payments_team_idx', 'payments', ['team_id', 'created_at', 'id']],
    ['allocations_payment_idx', 'payment_allocations', ['payment_id']],
    ['allocations_invoice_idx', 'payment_allocations', ['invoice_id']],
    ['events_entity_idx', 'events', ['entity_type', 'entity_id', 'id']],
    ['events_time_idx', 'events', ['occurred_at']],
    ['jobs_due_idx', 'jobs', ['status', 'run_at']],
    ['users_team_idx', 'users', ['team_id']],
  ];
  for (const [name, table, cols] of idx) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted; restore a backup instead.');
}
