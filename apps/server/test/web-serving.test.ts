import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { freshDatabase } from '@openltc/testing';
import { buildApp } from '@openltc/server/app';
import { loadConfig } from '@openltc/server/config';

/** The server serves the built web app: files as they are, app routes as index.html, nothing else. */
describe('serving the web app', () => {
  let app: FastifyInstance;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const web = fs.mkdtempSync(path.join(os.tmpdir(), 'ltc-web-'));
    fs.mkdirSync(path.join(web, 'assets'));
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>OpenLTC</title><div id="root"></div>');
    fs.writeFileSync(path.join(web, 'assets', 'app-1.js'), 'console.log(1)');
    const handle = await freshDatabase('sqlite');
    drop = handle.drop;
    const config = { ...loadConfig({ LTC_DATA_DIR: web, LTC_WEB_DIR: web, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv), worker: false };
    app = await buildApp({ handle, config, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('answers app routes with index.html and files as themselves', async () => {
    for (const url of ['/', '/leads', '/orders/ord_01M80000000000000000000000?tab=lines']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('<div id="root">');
    }
    const js = await app.inject({ url: '/assets/app-1.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('gives a 404 problem, not HTML, for a missing asset or an unknown API route', async () => {
    for (const url of ['/assets/app-0-from-an-old-build.js', '/favicon.ico', '/api/v1/nothing-here']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });
});
