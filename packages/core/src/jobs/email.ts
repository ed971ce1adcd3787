import nodemailer from 'nodemailer';

/**
 * The `email.send` job: one message over SMTP. The transport comes from SMTP_URL
 * (e.g. smtp://user:pass@mail.example.com:587); without it email jobs fail and retry, visibly.
 */
export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface MailConfig {
  smtpUrl?: string | undefined;
  from: string;
}

/**
 * Timeouts well inside the worker's lease (60 s), so a stalled mail server fails the attempt
 * (and it is retried) instead of outliving the lease and letting a second worker send it again.
 * A query parameter in SMTP_URL (e.g. `?socketTimeout=45000`) overrides them.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

function transportUrl(smtpUrl: string): string {
  const u = new URL(smtpUrl);
  for (const [k, v] of Object.entries(SMTP_TIMEOUTS)) if (!u.searchParams.has(k)) u.searchParams.set(k, String(v));
  return u.toString();
}

export function emailHandler(cfg: MailConfig) {
  const transport = cfg.smtpUrl ? nodemailer.createTransport(transportUrl(cfg.smtpUrl)) : null;
  return async (p: EmailPayload) => {
    if (!transport) throw new Error('SMTP is not configured (set SMTP_URL)');
    await transport.sendMail({ from: cfg.from, to: p.to, subject: p.subject, text: p.text, html: p.html });
  };
}
