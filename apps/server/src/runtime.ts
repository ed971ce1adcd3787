import { createDatabase, migrateToLatest, type DatabaseHandle } from '@openltc/db';
import {
  ensureDefaultPipeline,
  ensureLegalEntity,
  emailHandler,
  expireEndedContracts,
  expireLapsedQuotes,
  purgeExpired,
  RECURRING,
  runTaskDue,
  TASK_DUE_JOB,
  type TaskDuePayload,
  runDunning,
  runBilling,
  listLegalEntities,
  SYSTEM,
  Worker,
  type JobHandler,
} from '@openltc/core';
import * as core from '@openltc/core';
import type { Config } from './config.ts';

/** Opens the database, applies migrations and seeds what every installation needs. */
export async function openDatabase(cfg: Config): Promise<DatabaseHandle> {
  const handle = createDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  await migrateToLatest(handle);
  await ensureDefaultPipeline(handle.db);
  await ensureLegalEntity(handle.db);
  return handle;
}

export function jobHandlers(cfg: Config, handle: DatabaseHandle): Record<string, JobHandler> {
  return {
    'email.send': emailHandler({ smtpUrl: cfg.smtpUrl, from: cfg.mailFrom }),
    // A lead import too big to run in its request, or one whose run stopped: runs or resumes the batch.
    [core.IMPORT_JOB]: core.leadImportJobHandler(handle),
    // Hourly: quotes past their validity and contracts past their end date move to expired, each with
    // its event; expired sessions and day-old idempotency keys are purged.
    'sweep.expire_documents': async (_payload, job) => {
      const ctx = { db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: job.id };
      await expireLapsedQuotes(ctx);
      await expireEndedContracts(ctx);
      await purgeExpired(handle.db, new Date());
    },
    // Daily: the billing run of each legal entity for its business date, as the system. Idempotent and
    // restart-safe: a retried job bills nothing twice and skips nothing.
    'billing.run': async (_payload, job) => {
      const ctx = { db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: job.id };
      for (const le of await listLegalEntities(handle.db)) {
        const run = await runBilling(ctx, { legalEntityId: le.id });
        if (run.status === 'failed') throw new Error(`billing run ${run.id} failed: ${run.error}`);
      }
    },
    // Daily: the dunning run for today in each legal entity's time zone, as the system. Idempotent:
    // a retried or repeated run on the same date sends nothing twice.
    'collections.dunning_run': async (_payload, job) => {
      await runDunning({ db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: job.id });
    },
    // At a task's due time: an email to its assignee, if it is still open, still due then and still theirs.
    [TASK_DUE_JOB]: async (payload, job) => {
      await runTaskDue({ db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: job.id }, payload as TaskDuePayload);
    },
  };
}

export function createWorker(handle: DatabaseHandle, cfg: Config, log?: (m: string) => void): Worker {
  return new Worker({ db: handle.db, dialect: handle.dialect, handlers: jobHandlers(cfg, handle), recurring: RECURRING, log });
}
