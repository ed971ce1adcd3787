import { describe, expect, it } from 'vitest';
import { dunningEscalationEmail, dunningNoticeEmail, ratePercent, type NoticeFacts } from './emails.ts';

const facts = (over: Partial<NoticeFacts> = {}): NoticeFacts => ({
  invoiceNumber: 'INV-2026-000123',
  accountName: '华东贸易 East Trading',
  currency: 'CNY',
  outstandingMinor: 1_234_567,
  daysPastDue: 31,
  dueDate: '2026-03-01',
  feeMinor: 0,
  interestMinor: 0,
  interestFrom: null,
  interestThrough: null,
  annualRate: null,
  level: 1,
  template: 'reminder_friendly',
  from: '我的公司 My Company',
  ...over,
});

describe('dunning emails', () => {
  it('writes annual rates as exact percentages', () => {
    expect(['0.1825', '0.12', '0.125', '1', '0.05', '0.00000001', '0'].map(ratePercent)).toEqual(['18.25', '12', '12.5', '100', '5', '0.000001', '0']);
  });

  it('puts the customer’s language first and lists only the charges there are', () => {
    const zh = dunningNoticeEmail(facts(), { email: 'ap@x.example', name: '王会计' }, 'zh');
    expect(zh.subject).toBe('付款提醒 INV-2026-000123 / Payment reminder INV-2026-000123');
    expect(zh.text.indexOf('王会计，您好')).toBeLessThan(zh.text.indexOf('Dear 王会计'));
    expect(zh.text).toContain('未付金额：12345.67 CNY');
    expect(zh.text).not.toMatch(/催款费|Late fee|合计应付|Total now due/);
    const en = dunningNoticeEmail(
      facts({ template: 'final_notice', feeMinor: 5000, interestMinor: 1234, interestFrom: '2026-03-01', interestThrough: '2026-04-01', annualRate: '0.1825' }),
      { email: 'ap@x.example', name: 'Ann' },
      'en',
    );
    expect(en.subject).toBe('Final notice INV-2026-000123 / 最终催款通知 INV-2026-000123');
    expect(en.text).toContain('Late interest (18.25% a year, 2026-03-01 to 2026-04-01): 12.34 CNY\nTotal now due: 12408.01 CNY');
    expect(en.text).toContain('催款费：50.00 CNY');
  });

  it('reads an administrator’s own template name as a plain reminder', () => {
    const m = dunningNoticeEmail(facts({ template: 'custom_soft' }), { email: 'a@x.example', name: 'A' }, 'en');
    expect(m.subject).toBe('Payment reminder INV-2026-000123 / 付款提醒 INV-2026-000123');
    expect(m.text).toContain('The invoice below is overdue.');
  });

  it('addresses an escalation to the manager with the owner and the figures', () => {
    const m = dunningEscalationEmail(facts({ level: 4, daysPastDue: 60, interestMinor: 100 }), { email: 'mgr@x.example', name: 'Wu', locale: 'en' }, 'Rep Li');
    expect(m.to).toBe('mgr@x.example');
    expect(m.subject).toBe('Collections escalation: 华东贸易 East Trading INV-2026-000123 / 催款升级：华东贸易 East Trading INV-2026-000123');
    expect(m.text).toContain('Account owner: Rep Li\nAmount outstanding: 12345.67 CNY\nLate interest: 1.00 CNY');
  });
});
