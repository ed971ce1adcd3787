import pg from 'pg';
import copyStreams, { type CopyStreamQuery } from 'pg-copy-streams';

/**
 * `COPY … FROM STDIN` through Kysely, on the connection (and so in the transaction) the query runs
 * on. Kysely hands a compiled query to the pg client as `query(sql, parameters)`; this client sees a
 * `copy <table> (<columns>) from stdin` statement with exactly one parameter — the data, in COPY's
 * text format: a string, a Buffer, or an array of them sent in turn — and streams the data instead
 * (PostgreSQL itself never takes parameters on COPY, so no other statement can look like this).
 * The result is `{ command: 'COPY', rowCount }`; an error of the server (a constraint, a bad value)
 * rejects the query like any other statement, and the transaction is then aborted as usual.
 *
 * `copyText` (packages/core, platform/bulk-insert.ts) writes the data.
 */
const COPY_FROM_STDIN = /^\s*copy\s[^;]*\sfrom\s+stdin\b[^;]*$/i;

export type CopyData = string | Buffer | ReadonlyArray<string | Buffer>;

export function isCopyFromStdin(text: unknown, values: unknown): values is [CopyData] {
  return typeof text === 'string' && Array.isArray(values) && values.length === 1 && COPY_FROM_STDIN.test(text);
}

export class CopyClient extends pg.Client {
  override query(config: any, values?: any, callback?: any): any {
    if (callback === undefined && isCopyFromStdin(config, values)) return this.copyIn(config, values[0]);
    return (super.query as (...a: unknown[]) => unknown)(config, values, callback);
  }

  private copyIn(text: string, data: CopyData): Promise<pg.QueryResult> {
    return new Promise((resolve, reject) => {
      const stream = (super.query as (q: unknown) => CopyStreamQuery)(copyStreams.from(text));
      stream.on('error', reject);
      stream.on('finish', () =>
        resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [], fields: [], oid: 0 } as pg.QueryResult),
      );
      const parts = typeof data === 'string' || Buffer.isBuffer(data) ? [data] : data;
      for (const p of parts) if (p.length) stream.write(p);
      stream.end();
    });
  }
}
