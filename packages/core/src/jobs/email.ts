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

export function emailHandler(cfg: MailConfig) {
  const transport = cfg.smtpUrl ? nodemailer.createTransport(cfg.smtpUrl) : null;
  return async (p: EmailPayload) => {
    if (!transport) throw new Error('SMTP is not configured (set SMTP_URL)');
    await transport.sendMail({ from: cfg.from, to: p.to, subject: p.subject, text: p.text, html: p.html });
  };
}
