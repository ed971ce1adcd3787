import type { EmailPayload } from '../jobs/email.ts';
import { formatMinor } from '../payments/payments.ts';

/**
 * Dunning messages, pure so their wording is tested without a database. Every message carries both
 * languages (zh and en); `locale` decides which comes first. The four default templates have their
 * own wording; a template name an administrator invented reads like a plain reminder.
 */
export interface NoticeFacts {
  invoiceNumber: string;
  accountName: string;
  currency: string;
  outstandingMinor: number;
  daysPastDue: number;
  dueDate: string;
  feeMinor: number;
  interestMinor: number;
  interestFrom: string | null;
  interestThrough: string | null;
  annualRate: string | null;
  level: number;
  template: string;
  /** Who sends it (the legal entity's name). */
  from: string;
}

interface Wording {
  subject: string;
  opening: string;
  closing: string;
}

const ZH: Record<string, Wording> = {
  reminder_friendly: { subject: '付款提醒', opening: '温馨提示：以下发票已过付款期限，可能是我们的提醒来得稍早，如您已安排付款请忽略本邮件。', closing: '如有任何疑问，欢迎随时与我们联系。' },
  reminder_firm: { subject: '逾期付款通知', opening: '以下发票已逾期，至今尚未收到款项。请尽快安排付款。', closing: '如款项已支付，请将付款凭证回复给我们。' },
  final_notice: { subject: '最终催款通知', opening: '这是关于以下逾期发票的最终通知。按合同约定，逾期款项将计收滞纳金，新订单将暂停处理，直至款项结清。', closing: '请立即安排付款，或与我们联系商定付款计划。' },
  escalation: { subject: '逾期账款已升级处理', opening: '以下发票严重逾期，您的账户已移交我方管理层跟进处理。', closing: '请立即与我们联系，以免采取进一步措施。' },
};
const EN: Record<string, Wording> = {
  reminder_friendly: { subject: 'Payment reminder', opening: 'A friendly reminder: the invoice below is past its due date. If you have already arranged payment, please ignore this message.', closing: 'If you have any questions, please contact us.' },
  reminder_firm: { subject: 'Overdue payment notice', opening: 'The invoice below is overdue and we have not received payment. Please arrange payment promptly.', closing: 'If you have paid, please reply with the remittance details.' },
  final_notice: { subject: 'Final notice', opening: 'This is our final notice about the overdue invoice below. As agreed, late interest is charged and new orders are on hold until it is settled.', closing: 'Please pay now or contact us to agree a payment plan.' },
  escalation: { subject: 'Overdue account escalated', opening: 'The invoice below is seriously overdue and your account has been escalated to our management.', closing: 'Please contact us immediately to avoid further action.' },
};
const GENERIC_ZH: Wording = { subject: '付款提醒', opening: '以下发票已逾期，请尽快安排付款。', closing: '如有任何疑问，欢迎随时与我们联系。' };
const GENERIC_EN: Wording = { subject: 'Payment reminder', opening: 'The invoice below is overdue. Please arrange payment promptly.', closing: 'If you have any questions, please contact us.' };

/** An annual decimal rate as a percentage, exactly: "0.1825" → "18.25". */
export function ratePercent(rate: string): string {
  const [i = '0', f = ''] = rate.split('.');
  const digits = f.padEnd(2, '0');
  const frac = digits.slice(2).replace(/0+$/, '');
  const whole = String(Number(`${i}${digits.slice(0, 2)}`));
  return frac ? `${whole}.${frac}` : whole;
}

function lines(lang: 'zh' | 'en', f: NoticeFacts, greeting: string): { subject: string; text: string } {
  const w = (lang === 'zh' ? ZH : EN)[f.template] ?? (lang === 'zh' ? GENERIC_ZH : GENERIC_EN);
  const amt = (m: number) => formatMinor(m, f.currency);
  const out: string[] = [greeting, '', w.opening, ''];
  if (lang === 'zh') {
    out.push(`发票号：${f.invoiceNumber}`, `到期日：${f.dueDate}`, `逾期天数：${f.daysPastDue} 天`, `未付金额：${amt(f.outstandingMinor)}`);
    if (f.feeMinor > 0) out.push(`催款费：${amt(f.feeMinor)}`);
    if (f.interestMinor > 0)
      out.push(`滞纳金（年利率 ${ratePercent(f.annualRate ?? '0')}%，${f.interestFrom} 至 ${f.interestThrough}）：${amt(f.interestMinor)}`);
    if (f.feeMinor > 0 || f.interestMinor > 0) out.push(`合计应付：${amt(f.outstandingMinor + f.feeMinor + f.interestMinor)}`);
  } else {
    out.push(`Invoice: ${f.invoiceNumber}`, `Due date: ${f.dueDate}`, `Days overdue: ${f.daysPastDue}`, `Amount outstanding: ${amt(f.outstandingMinor)}`);
    if (f.feeMinor > 0) out.push(`Late fee: ${amt(f.feeMinor)}`);
    if (f.interestMinor > 0)
      out.push(`Late interest (${ratePercent(f.annualRate ?? '0')}% a year, ${f.interestFrom} to ${f.interestThrough}): ${amt(f.interestMinor)}`);
    if (f.feeMinor > 0 || f.interestMinor > 0) out.push(`Total now due: ${amt(f.outstandingMinor + f.feeMinor + f.interestMinor)}`);
  }
  out.push('', w.closing, '', f.from);
  return { subject: `${w.subject} ${f.invoiceNumber}`, text: out.join('\n') };
}

function bilingual(zh: { subject: string; text: string }, en: { subject: string; text: string }, to: string, locale: string): EmailPayload {
  const [first, second] = locale === 'en' ? [en, zh] : [zh, en];
  return { to, subject: `${first.subject} / ${second.subject}`, text: `${first.text}\n\n---\n\n${second.text}\n` };
}

/** The notice to a customer's contact. */
export function dunningNoticeEmail(f: NoticeFacts, to: { email: string; name: string }, locale: string): EmailPayload {
  return bilingual(lines('zh', f, `${to.name}，您好：`), lines('en', f, `Dear ${to.name},`), to.email, locale);
}

/** The escalation to the account owner's manager: the same figures, addressed internally. */
export function dunningEscalationEmail(f: NoticeFacts, to: { email: string; name: string; locale: string }, ownerName: string | null): EmailPayload {
  const who = ownerName ?? '—';
  const zh = {
    subject: `催款升级：${f.accountName} ${f.invoiceNumber}`,
    text: [
      `${to.name}，您好：`,
      '',
      `客户「${f.accountName}」的发票 ${f.invoiceNumber} 已逾期 ${f.daysPastDue} 天，催款已升级至第 ${f.level} 级，请跟进。`,
      `客户负责人：${who}`,
      `未付金额：${formatMinor(f.outstandingMinor, f.currency)}`,
      ...(f.feeMinor > 0 ? [`催款费：${formatMinor(f.feeMinor, f.currency)}`] : []),
      ...(f.interestMinor > 0 ? [`滞纳金：${formatMinor(f.interestMinor, f.currency)}`] : []),
    ].join('\n'),
  };
  const en = {
    subject: `Collections escalation: ${f.accountName} ${f.invoiceNumber}`,
    text: [
      `Hello ${to.name},`,
      '',
      `Invoice ${f.invoiceNumber} of ${f.accountName} is ${f.daysPastDue} days overdue and dunning has reached level ${f.level}. Please follow up.`,
      `Account owner: ${who}`,
      `Amount outstanding: ${formatMinor(f.outstandingMinor, f.currency)}`,
      ...(f.feeMinor > 0 ? [`Late fee: ${formatMinor(f.feeMinor, f.currency)}`] : []),
      ...(f.interestMinor > 0 ? [`Late interest: ${formatMinor(f.interestMinor, f.currency)}`] : []),
    ].join('\n'),
  };
  return bilingual(zh, en, to.email, to.locale);
}
