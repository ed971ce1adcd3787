import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `ltc fx set | import | list` as an operator runs them, against a temporary SQLite data folder. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;

function ltc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LTC_DATA_DIR: dir, LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' };
  for (const k of ['DATABASE_URL', 'SMTP_URL', 'PORT', 'HOST', 'LTC_WORKER', 'SESSION_SECRET']) delete env[k];
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', ...args], { cwd: ROOT, env, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    ),
  );
}

describe('ltc fx (SQLite)', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-fx-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sets a rate, replaces it, imports a file and lists a pair; a float-looking rate is refused with exit code 1', async () => {
    expect(await ltc(['fx', 'set', 'USD', 'CNY', '7.1234', '--date', '2026-11-02'])).toMatchObject({ code: 0, stdout: 'set USD/CNY 7.1234 from 2026-11-02 (manual, version 1)\n' });
    expect((await ltc(['fx', 'set', 'usd', 'cny', '7.1300', '--date', '2026-11-02', '--source', 'PBOC'])).stdout).toBe('updated USD/CNY 7.13 from 2026-11-02 (PBOC, version 2)\n');
    const file = path.join(dir, 'rates.csv');
    fs.writeFileSync(file, 'base,quote,rate,date\nEUR,CNY,7.8,2026-11-02\nUSD,CNY,7.2,2026-11-03\n');
    expect((await ltc(['fx', 'import', file])).stdout).toBe('rates: 2 created, 0 updated, 0 unchanged\n');
    const list = await ltc(['fx', 'list', '--pair', 'CNY/USD']);
    expect(list.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['2026-11-03', 'USD/CNY', '7.2'],
      ['2026-11-02', 'USD/CNY', '7.13'],
    ]);
    const bad = await ltc(['fx', 'set', 'USD', 'CNY', '7,1', '--date', '2026-11-02']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('rate: a decimal rate such as 7.1234')]);
  });

  it('revalues a month once per legal entity (with nothing in a foreign currency: checked, nothing posted); a second run posts nothing; a bad month is refused', async () => {
    const first = await ltc(['fx', 'revalue', '--period', '2025-12']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^2025-12 le_\w+ .+: checked, nothing to revalue \(no open foreign-currency item at 2025-12-31\); nothing posted\n$/);
    const again = await ltc(['fx', 'revalue', '--period', '2025-12']);
    expect(again.stdout).toMatch(/^2025-12 le_\w+ .+: checked on .+, nothing to revalue/);
    const bad = await ltc(['fx', 'revalue', '--period', '2025-13']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('a month like 2026-10')]);
  });
});
