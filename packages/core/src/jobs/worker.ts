import type { Db, Dialect } from '@openltc/db';
import { newId } from '../platform/ids.ts';
import { enqueueRecurring, type Recurring } from './recurring.ts';

/**
 * The job worker: claims due jobs with a lease, runs their handler, and on failure retries with
 * exponential backoff until `maxAttempts`, after which the job is `dead` (kept for inspection and
 * manual retry). A crashed worker's lease expires and another worker takes the job over.
 * On PostgreSQL several workers share the table (`FOR UPDATE SKIP LOCKED`); on SQLite there is one writer.
 */
export type JobHandler = (payload: any, job: { id: string; attempts: number }) => Promise<void>;

export interface WorkerOptions {
  db: Db;
  dialect: Dialect;
  handlers: Record<string, JobHandler>;
  leaseMs?: number;
  pollMs?: number;
  batch?: number;
  /** Backoff before attempt n+1: base × 2^(n−1), capped. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  clock?: () => Date;
  /** Recurring tasks to enqueue once per slot (see recurring.ts); none by default. */
  recurring?: readonly Recurring[];
}

export interface RunResult {
  claimed: number;
  done: number;
  retried: number;
  dead: number;
}

export function backoffMs(attempt: number, base = 5_000, max = 3_600_000): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt - 1));
}

export class Worker {
  readonly id = newId('wrk');
  private lastRecurringMinute = -1;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private current: Promise<unknown> | null = null;

  constructor(private readonly o: WorkerOptions) {}

  private now(): Date {
    return this.o.clock ? this.o.clock() : new Date();
  }

  private leaseUntil(now: Date): string {
    return new Date(now.getTime() + (this.o.leaseMs ?? 60_000)).toISOString();
  }

  /**
   * Claims up to `batch` due jobs by setting a lease; returns the claimed rows. A job is due when it
   * is pending and its `runAt` has come, or when it is running under a lease that has run out (its
   * worker died). A job whose worker died on its last allowed attempt is not run again: it is `dead`.
   */
  async claim(): Promise<Array<{ id: string; type: string; payload: string; attempts: number; maxAttempts: number }>> {
    const now = this.now();
    const nowS = now.toISOString();
    const until = this.leaseUntil(now);
    const limit = this.o.batch ?? 10;
    const db = this.o.db;
    return db.transaction().execute(async (trx) => {
      await trx
        .updateTable('jobs')
        .set({
          status: 'dead',
          lockedBy: null,
          lockedUntil: null,
          lastError: 'the lease ran out on the last allowed attempt (the worker running it stopped or hung)',
          updatedAt: nowS,
        })
        .where('status', '=', 'running')
        .where('lockedUntil', '<', nowS)
        .where((eb) => eb('attempts', '>=', eb.ref('maxAttempts')))
        .execute();
      let q = trx
        .selectFrom('jobs')
        .select(['id'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('runAt', '<=', nowS)]),
            eb.and([eb('status', '=', 'running'), eb('lockedUntil', '<', nowS)]),
          ]),
        )
        .orderBy('runAt')
        .orderBy('id')
        .limit(limit);
      if (this.o.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (!ids.length) return [];
      // The condition is checked again in the UPDATE, so a job another worker claimed between our
      // SELECT and this statement is left alone even where rows are not locked by the SELECT.
      await trx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          lockedBy: this.id,
          lockedUntil: until,
          attempts: eb('attempts', '+', 1),
          updatedAt: nowS,
        }))
        .where('id', 'in', ids)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('runAt', '<=', nowS)]),
            eb.and([eb('status', '=', 'running'), eb('lockedUntil', '<', nowS)]),
          ]),
        )
        .execute();
      return trx
        .selectFrom('jobs')
        .select(['id', 'type', 'payload', 'attempts', 'maxAttempts'])
        .where('id', 'in', ids)
        .where('lockedBy', '=', this.id)
        .where('lockedUntil', '=', until)
        .orderBy('runAt')
        .orderBy('id')
        .execute();
    });
  }

  /** Extends our lease on a job before running it; false when the job is no longer ours. */
  private async renew(jobId: string): Promise<boolean> {
    const r = await this.o.db
      .updateTable('jobs')
      .set({ lockedUntil: this.leaseUntil(this.now()) })
      .where('id', '=', jobId)
      .where('status', '=', 'running')
      .where('lockedBy', '=', this.id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Runs fn while renewing the job's lease every third of the lease time, so a live worker keeps a
   * slow job and only a worker that died (or hung its event loop) loses it to another.
   */
  private async withHeartbeat(jobId: string, fn: () => Promise<void>): Promise<void> {
    const every = Math.max(10, Math.floor((this.o.leaseMs ?? 60_000) / 3));
    const beat = setInterval(() => {
      this.renew(jobId).then(
        (kept) => {
          if (!kept) this.o.log?.(`job ${jobId}: lease lost to another worker while running`);
        },
        (err) => this.o.log?.(`job ${jobId}: lease renewal failed: ${(err as Error).message}`),
      );
    }, every);
    beat.unref();
    try {
      await fn();
    } finally {
      clearInterval(beat);
    }
  }

  /** One pass: claim due jobs and run them. */
  async runOnce(): Promise<RunResult> {
    if (this.o.recurring?.length) {
      // Checked once per minute at most: the insert is idempotent, this only saves round trips.
      const minute = Math.floor(this.now().getTime() / 60_000);
      if (minute !== this.lastRecurringMinute) {
        await enqueueRecurring(this.o.db, this.now(), this.o.recurring);
        this.lastRecurringMinute = minute;
      }
    }
    const jobs = await this.claim();
    const res: RunResult = { claimed: jobs.length, done: 0, retried: 0, dead: 0 };
    for (const job of jobs) {
      const handler = this.o.handlers[job.type];
      // A job that waited behind others in the batch may have outlived its lease and been taken
      // over by another worker: skip it. Otherwise its lease starts afresh now.
      if (job !== jobs[0] && !(await this.renew(job.id))) continue;
      try {
        if (!handler) throw new Error(`no handler for job type ${job.type}`);
        await this.withHeartbeat(job.id, () => handler(JSON.parse(job.payload), { id: job.id, attempts: job.attempts }));
        await this.o.db
          .updateTable('jobs')
          .set({ status: 'done', lockedBy: null, lockedUntil: null, lastError: null, updatedAt: this.now().toISOString() })
          .where('id', '=', job.id)
          .where('lockedBy', '=', this.id)
          .execute();
        res.done++;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const dead = job.attempts >= job.maxAttempts;
        const runAt = new Date(
          this.now().getTime() + backoffMs(job.attempts, this.o.backoffBaseMs, this.o.backoffMaxMs),
        ).toISOString();
        await this.o.db
          .updateTable('jobs')
          .set({
            status: dead ? 'dead' : 'pending',
            ...(dead ? {} : { runAt }),
            lockedBy: null,
            lockedUntil: null,
            lastError: message.slice(0, 2000),
            updatedAt: this.now().toISOString(),
          })
          .where('id', '=', job.id)
          .where('lockedBy', '=', this.id)
          .execute();
        if (dead) res.dead++;
        else res.retried++;
        this.o.log?.(`job ${job.id} (${job.type}) failed: ${message}`, { attempt: job.attempts, dead });
      }
    }
    return res;
  }

  /** Runs until stop(): polls, and drains quickly while there is work. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped || this.running) return;
      this.running = true;
      let claimed = 0;
      try {
        this.current = this.runOnce();
        claimed = ((await this.current) as RunResult).claimed;
      } catch (err) {
        this.o.log?.(`worker pass failed: ${(err as Error).message}`);
      } finally {
        this.running = false;
        this.current = null;
      }
      if (!this.stopped) this.timer = setTimeout(tick, claimed ? 0 : (this.o.pollMs ?? 1000));
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.current) await this.current.catch(() => undefined);
  }
}
