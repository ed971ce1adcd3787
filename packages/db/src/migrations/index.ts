import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';

/** Every migration, in order. Names are stable: they are recorded in the database. */
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
};
