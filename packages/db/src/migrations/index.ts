import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_credit_notes_and_receivables.ts';
import * as m003 from './003_ledger.ts';
import * as m004 from './004_collections.ts';
import * as m005 from './005_tax_codes_and_price_books.ts';
import * as m006 from './006_billing_schedules.ts';
import * as m007 from './007_revenue.ts';
import * as m008 from './008_fx_and_fees.ts';
import * as m009 from './009_lead_import_and_scoring.ts';
import * as m010 from './010_activities.ts';
import * as m011 from './011_settings_and_views.ts';
import * as m012 from './012_indexes_at_scale.ts';
import * as m013 from './013_money_gaps.ts';
import * as m014 from './014_fx_revaluations.ts';
import * as m015 from './015_kpi_indexes.ts';
import * as m016 from './016_auth_version.ts';
import * as m017 from './017_list_layouts.ts';
import * as m018 from './018_lead_import_files.ts';
import * as m019 from './019_invoice_paid_dates.ts';
import * as m021 from './021_user_preferences.ts';
import * as m022 from './022_activity_search.ts';
import * as m023 from './023_lead_dedupe_keys.ts';

/** Every migration, in order. Names are stable: they are recorded in the database. */
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_credit_notes_and_receivables': m002,
  '003_ledger': m003,
  '004_collections': m004,
  '005_tax_codes_and_price_books': m005,
  '006_billing_schedules': m006,
  '007_revenue': m007,
  '008_fx_and_fees': m008,
  '009_lead_import_and_scoring': m009,
  '010_activities': m010,
  '011_settings_and_views': m011,
  '012_indexes_at_scale': m012,
  '013_money_gaps': m013,
  '014_fx_revaluations': m014,
  '015_kpi_indexes': m015,
  '016_auth_version': m016,
  '017_list_layouts': m017,
  '018_lead_import_files': m018,
  '019_invoice_paid_dates': m019,
  '021_user_preferences': m021,
  '022_activity_search': m022,
  '023_lead_dedupe_keys': m023,
};
