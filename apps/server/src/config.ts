import path from 'node:path';

/** Configuration from the environment; every variable is documented in the README. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string | undefined;
  sessionTtlHours: number;
  /** Run the job worker inside the server process (default on). */
  worker: boolean;
  webDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.LTC_DATA_DIR ?? 'data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'OpenLTC <no-reply@localhost>',
    sessionSecret: env.SESSION_SECRET || undefined,
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 12),
    worker: (env.LTC_WORKER ?? 'on') !== 'off',
    webDir: path.resolve(env.LTC_WEB_DIR ?? 'apps/web/dist'),
  };
}
