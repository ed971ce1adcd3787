// A billing run in a process of its own, for W3's kill-and-restart check: it opens the benchmark's
// database from the environment, runs billing in small chunks and tells its parent after each
// committed chunk; the parent kills it (SIGKILL) in the middle of the run.
import { createDatabase } from '@openltc/db';
import { runBilling, SYSTEM } from '@openltc/core';

const handle = createDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.LTC_DATA_DIR });
const ctx = { db: handle.db, dialect: handle.dialect, user: SYSTEM, requestId: 'bench-w3-child' };
const run = await runBilling(ctx, { asOf: process.env.W3_AS_OF! }, {
  chunkSize: Number(process.env.W3_CHUNK),
  onChunk: (r) => process.send?.({ type: 'chunk', chunks: r.chunks, invoices: r.invoicesCreated }),
});
process.send?.({ type: 'done', run });
await handle.close();
