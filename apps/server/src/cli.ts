import { Command, InvalidArgumentError } from 'commander';
import { ZodError } from 'zod';
import { backupSqlite } from '@openltc/db';
import {
  AppError,
  createApiToken,
  createLeadImport,
  createUser,
  leadImportErrorReport,
  ledgerCsv,
  ledgerExportRows,
  ledgerReconciliation,
  ledgerTrialBalance,
  notFound,
  rebuildJournal,
  receivablesAging,
  ROLES,
  runDunning,
  setFxRate,
  bulkSetFxRates,
  listFxRates,
  closeRevenuePeriod,
  revenueReport,
  runBilling,
  SYSTEM,
  type Ctx,
  type Role,
} from '@openltc/core';
import { loadConfig } from './config.ts';
import { createWorker, openDatabase } from './runtime.ts';

/** `ltc`: the command line for operators. Run as `npm run ltc -- <command>`. */
const program = new Command('ltc').description('OpenLTC command line').showHelpAfterError();

async function withDb<T>(fn: (ctx: Ctx, h: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const cfg = loadConfig();
  const h = await openDatabase(cfg);
  try {
    return await fn({ db: h.db, dialect: h.dialect, user: SYSTEM, requestId: `cli-${Date.now()}` }, h);
  } finally {
    await h.close();
  }
}

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() => withDb(async (_ctx, h) => console.log(`database is up to date (${h.dialect} ${h.location})`)));

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .requiredOption('--password <password>', 'at least 8 characters')
  .option('--role <role>', `one of ${ROLES.join(', ')}`, (v) => {
    if (!(ROLES as readonly string[]).includes(v)) throw new InvalidArgumentError(`role must be one of ${ROLES.join(', ')}`);
    return v;
  }, 'admin')
  .option('--team <teamId>')
  .action((o) =>
    withDb(async (ctx) => {
      const u = await createUser(ctx, { email: o.email, name: o.name, password: o.password, role: o.role as Role, teamId: o.team ?? null });
      console.log(`created ${u.role} ${u.email} (${u.id})`);
    }),
  );

const token = program.command('token').description('manage API tokens');
token
  .command('create')
  .description('create an API token for a user; prints the secret once')
  .requiredOption('--email <email>')
  .option('--name <name>', 'what the token is for', 'cli')
  .action((o) =>
    withDb(async (ctx) => {
      const u = await ctx.db.selectFrom('users').select('id').where('email', '=', String(o.email).toLowerCase()).executeTakeFirst();
      if (!u) throw notFound('user with email', String(o.email));
      const t = await createApiToken(ctx, u.id, o.name);
      console.log(t.token);
    }),
  );

program
  .command('demo')
  .description('load the demo company (12 months of history) into an empty database')
  .option('--leads <n>', 'number of leads', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 200_000) throw new InvalidArgumentError('a whole number from 1 to 200000');
    return n;
  }, 3000)
  .option('--seed <n>', 'random seed (same seed, same company)', (v) => Number(v), 20261123)
  .action((o) =>
    withDb(async (_ctx, h) => {
      const { loadDemoData } = await import('./demo/demo.ts');
      const started = Date.now();
      const res = await loadDemoData(h, { leads: o.leads, seed: o.seed, log: (m) => console.log(m) });
      console.log(`demo company loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(res.counts)}`);
      console.log(`sign in as any of these users with the password ${res.password}:`);
      for (const u of res.users) console.log(`  ${u.role.padEnd(14)} ${u.email}  ${u.name}`);
    }),
  );

const ledger = program.command('ledger').description('the journal');
ledger
  .command('rebuild')
  .description('post journal entries for documents that have none (databases from before the journal); safe to run again')
  .action(() =>
    withDb(async (ctx) => {
      const r = await rebuildJournal(ctx);
      console.log(
        `journal: ${r.entriesAfter - r.entriesBefore} entries posted (invoices ${r.invoices}, credit notes ${r.creditNotes}, payment events ${r.paymentEntries}, revenue ${r.revenueEntries}); ${r.entriesAfter} entries in all`,
      );
    }),
  );

/** Amounts in minor units as decimal strings with two places (the CLI prints CNY-style amounts). */
const amount = (minor: number) => {
  const a = BigInt(Math.abs(minor));
  return `${minor < 0 ? '-' : ''}${(a / 100n).toLocaleString('en-US')}.${String(a % 100n).padStart(2, '0')}`;
};
const dateOption = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('a date like 2026-11-30');
  return v;
};

ledger
  .command('trial-balance')
  .description('debits, credits and balance per account, as of a date (default today)')
  .option('--as-of <date>', 'YYYY-MM-DD', dateOption)
  .action((o) =>
    withDb(async (ctx) => {
      const tb = await ledgerTrialBalance(ctx, o.asOf ? { asOf: o.asOf } : {});
      console.log(`trial balance as of ${tb.asOf}`);
      for (const c of tb.currencies) {
        for (const r of c.rows)
          console.log(`  ${r.accountCode.padEnd(8)} ${r.accountName.padEnd(28)} ${amount(r.debitMinor).padStart(18)} ${amount(r.creditMinor).padStart(18)} ${amount(r.balanceMinor).padStart(18)}`);
        console.log(`  ${'total'.padEnd(37)} ${amount(c.debitMinor).padStart(18)} ${amount(c.creditMinor).padStart(18)}  ${c.currency}`);
      }
    }),
  );
ledger
  .command('reconcile')
  .description('compare the journal with the AR aging, revenue, VAT and cash reports; exits 1 on any difference')
  .option('--as-of <date>', 'YYYY-MM-DD', dateOption)
  .action((o) =>
    withDb(async (ctx) => {
      const r = await ledgerReconciliation(ctx, o.asOf ? { asOf: o.asOf } : {});
      let off = 0;
      const walk = (x: unknown): void => {
        if (Array.isArray(x)) return x.forEach(walk);
        if (x && typeof x === 'object') {
          const c = x as Record<string, unknown>;
          if (typeof c.differenceMinor === 'number' && typeof c.label === 'string') {
            console.log(`  ${String(c.label).padEnd(40)} ledger ${amount(c.ledgerMinor as number).padStart(18)}  report ${amount(c.reportMinor as number).padStart(18)}  difference ${amount(c.differenceMinor)}`);
            if (c.differenceMinor !== 0) off++;
          } else Object.values(c).forEach(walk);
        }
      };
      walk(r);
      console.log(off ? `${off} difference(s)` : 'reconciled: every difference is 0');
      if (off) process.exitCode = 1;
    }),
  );
ledger
  .command('export')
  .description('journal lines for an ERP, CSV (default) or JSON, to standard output')
  .option('--from <date>', 'YYYY-MM-DD', dateOption)
  .option('--to <date>', 'YYYY-MM-DD', dateOption)
  .option('--format <format>', 'csv or json', 'csv')
  .action((o) =>
    withDb(async (ctx) => {
      const { format, rows } = await ledgerExportRows(ctx, { from: o.from, to: o.to, format: o.format });
      process.stdout.write(format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : ledgerCsv(rows));
    }),
  );

program
  .command('dunning')
  .description('run dunning now (the worker also runs it daily); running the same day twice creates nothing twice')
  .option('--date <date>', 'run date YYYY-MM-DD (default today)', dateOption)
  .action((o) =>
    withDb(async (ctx) => {
      const r = await runDunning(ctx, o.date ? { runDate: o.date } : {});
      for (const run of r.runs) {
        console.log(`${run.runDate} (${run.legalEntityId}): ${run.notices.length} new notice(s), ${run.skipped.length} skipped`);
        for (const n of run.notices)
          console.log(`  ${String(n.invoiceNumber).padEnd(16)} level ${n.level}  ${String(n.daysPastDue).padStart(4)} days  ${amount(n.outstandingMinor).padStart(16)}  ${n.status}`);
      }
    }),
  );

const fx = program.command('fx').description('exchange rates (units of QUOTE per one BASE, exact decimals)');
fx.command('set')
  .description('set the rate of a pair from a date, e.g. `fx set USD CNY 7.1234 --date 2026-11-02`; the same pair and date again replaces it')
  .argument('<base>', 'currency, e.g. USD')
  .argument('<quote>', 'currency, e.g. CNY')
  .argument('<rate>', 'units of quote per one base, e.g. 7.1234')
  .option('--date <date>', 'effective date YYYY-MM-DD (default today)', dateOption)
  .option('--source <source>', 'where the rate comes from', 'manual')
  .action((base: string, quote: string, rate: string, o) =>
    withDb(async (ctx) => {
      const { today } = await import('@openltc/core');
      const r = await setFxRate(ctx, { base: base.toUpperCase(), quote: quote.toUpperCase(), rate, effectiveDate: o.date ?? today(), source: o.source });
      console.log(`${r.created ? 'set' : 'updated'} ${r.rate.base}/${r.rate.quote} ${r.rate.rate} from ${r.rate.effectiveDate} (${r.rate.source}, version ${r.rate.version})`);
    }),
  );
fx.command('import')
  .description('set many rates from a file of lines base,quote,rate,date[,source] (a header line is skipped); all or nothing')
  .argument('<file>', 'CSV file')
  .option('--source <source>', 'source of lines that name none', 'import')
  .action((file: string, o) =>
    withDb(async (ctx) => {
      const { readFileSync } = await import('node:fs');
      const r = await bulkSetFxRates(ctx, { text: readFileSync(file, 'utf8'), source: o.source });
      console.log(`rates: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`);
    }),
  );
fx.command('list')
  .description('the latest rates, newest effective date first')
  .option('--pair <pair>', 'e.g. USD/CNY (both directions)')
  .action((o) =>
    withDb(async (ctx) => {
      const page = await listFxRates(ctx, { limit: 200, ...(o.pair ? { pair: String(o.pair).toUpperCase() } : {}) });
      for (const r of page.items) console.log(`${r.effectiveDate}  ${r.base}/${r.quote}  ${r.rate.padStart(14)}  ${r.source}`);
    }),
  );
fx.command('revalue')
  .description('period-end revaluation of open foreign-currency receivables and customer advances at the closing rate, posted on the last day of the month and reversed on the next; once per legal entity and month')
  .requiredOption('--period <month>', 'YYYY-MM', (v: string) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new InvalidArgumentError('a month like 2026-10');
    return v;
  })
  .option('--legal-entity <id>', 'default: every legal entity')
  .option('--rerun', 'replace the month\'s run (void its entries, revalue again from the journal as it is now)')
  .action((o) =>
    withDb(async (ctx) => {
      const { runFxRevaluation } = await import('@openltc/core');
      const entities = o.legalEntity ? [o.legalEntity as string] : (await ctx.db.selectFrom('legalEntities').select('id').orderBy('id').execute()).map((l) => l.id);
      for (const legalEntityId of entities) {
        const { alreadyRun, revaluation: r } = await runFxRevaluation(ctx, { period: o.period, legalEntityId, ...(o.rerun ? { rerun: true } : {}) }, 'cli');
        const fc = r.functionalCurrency;
        if (r.outcome === 'nothing_to_revalue') {
          console.log(`${r.period} ${r.legalEntityId} ${r.legalEntityName}: checked${alreadyRun ? ` on ${r.createdAt}` : ''}, nothing to revalue (no open foreign-currency item at ${r.periodEnd}); nothing posted`);
          continue;
        }
        console.log(
          `${r.period} ${r.legalEntityId} ${r.legalEntityName}${alreadyRun ? ` already revalued on ${r.createdAt}: nothing posted again` : ''}: ${r.items} item(s), gain ${amount(r.gainMinor)} ${fc}, loss ${amount(r.lossMinor)} ${fc}, ${r.entries} journal entries (reversed on ${r.reversalDate})`,
        );
        for (const x of r.rates) console.log(`  closing rate ${x.currency}/${fc} ${x.rate} (effective ${x.effectiveDate})`);
        for (const l of r.lines)
          console.log(`  ${l.kind.padEnd(10)} ${l.documentRef.padEnd(24)} ${amount(l.balanceMinor).padStart(16)} ${l.currency}  carried ${amount(l.carryingMinor).padStart(16)}  revalued ${amount(l.revaluedMinor).padStart(16)}  difference ${amount(l.differenceMinor)}`);
      }
    }),
  );

const periodOption = (v: string) => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) throw new InvalidArgumentError('a month like 2026-10');
  return v;
};
const revenue = program.command('revenue').description('revenue recognition (IFRS 15)');
revenue
  .command('close')
  .description('close a month: recognise and post its revenue schedules, lock it; months close in order; closing again posts nothing')
  .requiredOption('--period <month>', 'YYYY-MM', periodOption)
  .option('--legal-entity <id>', 'default: the first legal entity')
  .action((o) =>
    withDb(async (ctx) => {
      const r = await closeRevenuePeriod(ctx, { period: o.period, ...(o.legalEntity ? { legalEntityId: o.legalEntity } : {}) });
      if (r.alreadyClosed) console.log(`${r.period} was already closed on ${r.closed.closedAt}: nothing posted again (${r.entries} missing entries repaired)`);
      else console.log(`${r.period} closed: ${r.lines} schedule line(s) recognised, ${r.entries} journal entries; ${r.recognised.map((x) => `${amount(x.amountMinor)} ${x.currency}`).join(', ') || 'nothing to recognise'}`);
    }),
  );
revenue
  .command('report')
  .description('revenue recognised by month, deferred and unbilled at each month end')
  .option('--from <month>', 'YYYY-MM', periodOption)
  .option('--to <month>', 'YYYY-MM', periodOption)
  .action((o) =>
    withDb(async (ctx) => {
      const r = await revenueReport(ctx, { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
      console.log(`revenue ${r.from} – ${r.to}, closed through ${r.closedThrough ?? 'none'}`);
      console.log(`  ${'month'.padEnd(8)} ${'cur'.padEnd(4)} ${'recognised'.padStart(16)} ${'scheduled'.padStart(16)} ${'at billing'.padStart(14)} ${'deferred'.padStart(16)} ${'unbilled'.padStart(16)}`);
      for (const p of r.byPeriod)
        console.log(
          `  ${p.period.padEnd(8)} ${p.currency.padEnd(4)} ${amount(p.recognisedMinor).padStart(16)} ${amount(p.scheduledMinor).padStart(16)} ${amount(p.atBillingMinor).padStart(14)} ${amount(p.deferredMinor).padStart(16)} ${amount(p.unbilledMinor).padStart(16)}${p.closed ? '  closed' : ''}`,
        );
    }),
  );

const billing = program.command('billing').description('billing schedules');
billing
  .command('run')
  .description('invoice every billing schedule item due up to a date (the worker also runs it daily); idempotent and safe to run again after a crash')
  .option('--as-of <date>', 'YYYY-MM-DD (default today)', dateOption)
  .option('--legal-entity <id>', 'only this legal entity')
  .option('--chunk-size <n>', 'items per transaction', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
    return n;
  })
  .action((o) =>
    withDb(async (ctx) => {
      const run = await runBilling(ctx, { ...(o.asOf ? { asOf: o.asOf } : {}), ...(o.legalEntity ? { legalEntityId: o.legalEntity } : {}) }, {
        chunkSize: o.chunkSize,
        onChunk: (r) => console.log(`  chunk ${r.chunks}: ${r.invoicesCreated} invoice(s) so far, last ${r.lastNumber ?? '-'}`),
      });
      console.log(`billing run ${run.id} as of ${run.asOf}: ${run.status}; ${run.invoicesCreated} invoice(s) ${run.firstNumber ?? ''}${run.lastNumber && run.lastNumber !== run.firstNumber ? ` … ${run.lastNumber}` : ''}, total ${amount(run.totalMinor)}, ${run.skipped} skipped`);
      if (run.status !== 'completed') {
        console.error(run.error ?? 'the run did not complete');
        process.exitCode = 1;
      }
    }),
  );

program
  .command('aging')
  .description('accounts receivable aging buckets as of a date (default today)')
  .option('--as-of <date>', 'YYYY-MM-DD', dateOption)
  .action((o) =>
    withDb(async (ctx) => {
      const a = await receivablesAging(ctx, o.asOf ? { asOf: o.asOf } : {});
      console.log(`receivables aging as of ${a.asOf} (${a.currency}, ${a.totals.invoiceCount} open invoices)`);
      for (const b of a.buckets) console.log(`  ${b.label.padEnd(24)} ${amount(a.totals.buckets[b.key] ?? 0).padStart(18)}`);
      console.log(`  ${'total'.padEnd(24)} ${amount(a.totals.totalMinor).padStart(18)}`);
    }),
  );

program
  .command('worker')
  .description('run the job worker alone (use LTC_WORKER=off on the servers)')
  .action(async () => {
    const cfg = loadConfig();
    const h = await openDatabase(cfg);
    const w = createWorker(h, cfg, (m) => console.error(m));
    w.start();
    console.log(`worker ${w.id} running on ${h.dialect}; Ctrl+C stops it`);
    const stop = async () => {
      await w.stop();
      await h.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

const imports = program.command('import').description('import records from files');
imports
  .command('leads')
  .description('import leads from a CSV (UTF-8 or GBK) or .xlsx file: validated, deduplicated and scored like the web import')
  .argument('<file>', 'the CSV or .xlsx file; headers in Chinese or English (姓名, 公司, 手机, 邮箱, 来源 …)')
  .option('--dedupe <mode>', 'skip: leave rows that match an existing lead out; update: fill that lead from the row', (v) => {
    if (v !== 'skip' && v !== 'update') throw new InvalidArgumentError('--dedupe is skip or update');
    return v;
  }, 'skip')
  .option('--owner <email>', 'owner of every imported lead (default: none, the shared pool)')
  .option('--encoding <encoding>', 'auto, utf-8 or gbk', 'auto')
  .option('--report <file>', 'where to write the error report (default: <file>-errors.csv when a row was not imported)')
  .action((file: string, o) =>
    withDb(async (ctx) => {
      const fs = await import('node:fs');
      const bytes = fs.readFileSync(file);
      let assignment: { mode: 'none' } | { mode: 'user'; userId: string } = { mode: 'none' };
      if (o.owner) {
        const u = await ctx.db.selectFrom('users').select('id').where('email', '=', String(o.owner).toLowerCase()).executeTakeFirst();
        if (!u) throw notFound('user', o.owner);
        assignment = { mode: 'user', userId: u.id };
      }
      const name = file.split(/[\\/]/).pop()!;
      const b = await createLeadImport(
        ctx,
        { fileName: name, content: bytes.toString('base64'), encoding: o.encoding, dedupe: o.dedupe, assignment },
        { inlineMaxRows: Number.MAX_SAFE_INTEGER, onChunk: (n) => void process.stderr.write(`\r${n} rows`) },
      );
      process.stderr.write('\n');
      console.log(`import ${b.id}: ${b.totalRows} rows — ${b.created} created, ${b.updated} updated, ${b.duplicates} duplicates, ${b.errors} errors`);
      if (b.duplicates + b.errors > 0) {
        const out = o.report ?? file.replace(/(\.[^.\\/]*)?$/, '-errors.csv');
        fs.writeFileSync(out, (await leadImportErrorReport(ctx, b.id)).csv);
        console.log(`rows not imported: ${out}`);
      }
    }),
  );

program
  .command('backup')
  .description('online backup of the SQLite database to a file')
  .argument('<file>', 'destination file')
  .action((file: string) =>
    withDb(async (_ctx, h) => {
      const r = await backupSqlite(h, file);
      console.log(`backed up ${r.pages} pages to ${file}`);
    }),
  );

program.parseAsync(process.argv).catch((err) => {
  if (err instanceof ZodError) console.error(err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
  else if (err instanceof AppError) {
    console.error(err.message);
    for (const f of err.extra.fields ?? []) console.error(`  ${f.path}: ${f.message}`);
  } else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
