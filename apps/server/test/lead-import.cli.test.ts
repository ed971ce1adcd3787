import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@openltc/db';

/** `ltc import leads FILE` as an operator runs it, against a temporary SQLite data folder. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-import-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ltc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LTC_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    NODE_NO_WARNINGS: '1',
  };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'apps/server/src/cli.ts', ...args],
      { cwd: ROOT, env, timeout: 30_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('ltc import leads', () => {
  it('imports a CSV, then skips the same rows as duplicates and writes the error report', async () => {
    const file = path.join(dir, '展会.csv');
    fs.writeFileSync(
      file,
      '\ufeff姓名,公司,手机,邮箱\n张三,云栈科技,13800000001,zs@yz.cn\n李四,云栈科技,13800000002,bad@@mail\n',
    );
    const first = await ltc(['import', 'leads', file]);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.stdout).toMatch(/2 rows — 1 created, 0 updated, 0 duplicates, 1 errors/);
    const report = path.join(dir, '展会-errors.csv');
    expect(fs.readFileSync(report, 'utf8')).toContain('李四,云栈科技,13800000002,bad@@mail,3,error,');

    const second = await ltc([
      'import',
      'leads',
      file,
      '--dedupe',
      'update',
      '--report',
      path.join(dir, 'r.csv'),
    ]);
    expect(second.stdout).toMatch(/2 rows — 0 created, 0 updated, 1 duplicates, 1 errors/);
    expect(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8')).toContain('which already has these values');

    const bad = await ltc(['import', 'leads', file, '--dedupe', 'merge']);
    expect(bad.code).not.toBe(0);

    const h = createDatabase({ dataDir: dir });
    const leads = await h.db.selectFrom('leads').select(['name', 'ownerId', 'importBatchId']).execute();
    await h.close();
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ name: '张三', ownerId: null });
  });
});
