import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from '../platform/errors.ts';
import { canDelete, checkFields, DELETE_WINDOW_MINUTES, isOverdue, later, touchInstant } from './activity.rules.ts';
import { ACTIVITY_TYPES } from './activity.schema.ts';
import { taskAssignedEmail, taskDueEmail } from './reminders.ts';

const now = new Date('2026-11-23T08:00:00.000Z');
const fields = (f: () => void) => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return (e.extra.fields ?? []).map((x) => `${x.path}:${x.code}`).sort();
    throw e;
  }
  return [];
};

describe('fields by activity type', () => {
  it('a call takes outcome, direction and duration; a note takes none of them', () => {
    expect(fields(() => checkFields('call', { outcome: 'no_answer', direction: 'outbound', durationMinutes: 3 }, now, true))).toEqual([]);
    expect(fields(() => checkFields('note', { outcome: 'connected', direction: 'inbound', durationMinutes: 3 }, now, true))).toEqual([
      'direction:not_for_type',
      'durationMinutes:not_for_type',
      'outcome:not_for_type',
    ]);
    expect(fields(() => checkFields('email', { direction: 'inbound' }, now, true))).toEqual([]);
    expect(fields(() => checkFields('meeting', { durationMinutes: 60, outcome: 'busy' }, now, true))).toEqual(['outcome:not_for_type']);
  });

  it('a task needs a due time and has no occurred time; the others have no due time or assignee', () => {
    expect(fields(() => checkFields('task', {}, now, true))).toEqual(['dueAt:required']);
    expect(fields(() => checkFields('task', {}, now, false))).toEqual([]);
    expect(fields(() => checkFields('task', { dueAt: now.toISOString(), occurredAt: now.toISOString() }, now, true))).toEqual(['occurredAt:not_for_type']);
    expect(fields(() => checkFields('call', { dueAt: now.toISOString(), assigneeId: 'usr_x' }, now, true))).toEqual(['assigneeId:not_for_type', 'dueAt:not_for_type']);
  });

  it('a call cannot be logged in the future (a few minutes of clock skew allowed); a meeting may be planned ahead', () => {
    const in4 = new Date(now.getTime() + 4 * 60_000).toISOString();
    const in6 = new Date(now.getTime() + 6 * 60_000).toISOString();
    expect(fields(() => checkFields('call', { occurredAt: in4 }, now, true))).toEqual([]);
    expect(fields(() => checkFields('call', { occurredAt: in6 }, now, true))).toEqual(['occurredAt:in_future']);
    expect(fields(() => checkFields('meeting', { occurredAt: '2027-01-05T02:00:00.000Z' }, now, true))).toEqual([]);
  });
});

describe('overdue, deletion window, last touched', () => {
  it('only an open task past its due time is overdue', () => {
    expect(isOverdue({ type: 'task', status: 'open', dueAt: '2026-11-23T07:59:59.999Z' }, now)).toBe(true);
    expect(isOverdue({ type: 'task', status: 'open', dueAt: '2026-11-23T08:00:00.000Z' }, now)).toBe(false);
    expect(isOverdue({ type: 'task', status: 'done', dueAt: '2026-11-01T00:00:00.000Z' }, now)).toBe(false);
    expect(isOverdue({ type: 'call', status: 'done', dueAt: null }, now)).toBe(false);
  });

  it('the author may delete within the window, nobody else and never after', () => {
    const at = (minAgo: number) => new Date(now.getTime() - minAgo * 60_000).toISOString();
    expect(canDelete({ createdBy: 'usr_a', createdAt: at(1) }, 'usr_a', now)).toBe(true);
    expect(canDelete({ createdBy: 'usr_a', createdAt: at(DELETE_WINDOW_MINUTES - 0.01) }, 'usr_a', now)).toBe(true);
    expect(canDelete({ createdBy: 'usr_a', createdAt: at(DELETE_WINDOW_MINUTES) }, 'usr_a', now)).toBe(false);
    expect(canDelete({ createdBy: 'usr_a', createdAt: at(1) }, 'usr_b', now)).toBe(false);
    expect(canDelete({ createdBy: null, createdAt: at(1) }, 'usr_a', now)).toBe(false);
  });

  it('what has happened touches its parent; open tasks and planned meetings do not', () => {
    expect(touchInstant({ type: 'call', status: 'done', occurredAt: '2026-11-22T01:00:00.000Z' }, now)).toBe('2026-11-22T01:00:00.000Z');
    expect(touchInstant({ type: 'task', status: 'open', occurredAt: null }, now)).toBeNull();
    expect(touchInstant({ type: 'meeting', status: 'done', occurredAt: '2026-12-01T01:00:00.000Z' }, now)).toBeNull();
  });

  it('last touched only moves forward, whatever order activities arrive in', () => {
    const instant = fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (xs) => {
        const folded = xs.reduce<string | null>((acc, x) => later(acc, x), null);
        expect(folded).toBe(xs.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)));
      }),
    );
  });

  it('every type is checked', () => {
    for (const t of ACTIVITY_TYPES) expect(() => checkFields(t, {}, now, t !== 'task')).not.toThrow();
  });
});

describe('task due email', () => {
  it('names the task and its record in both languages, the assignee’s first', () => {
    const task = { id: 'act_1', subject: '回电确认预算', dueAt: '2026-11-24T02:00:00.000Z', parentType: 'lead', parentId: 'lead_1', parentName: '王芳' };
    const zh = taskDueEmail(task, { email: 'li@example.cn', name: '李雷', locale: 'zh-CN' });
    expect(zh.to).toBe('li@example.cn');
    expect(zh.subject).toBe('任务到期：回电确认预算 / Task due: 回电确认预算');
    expect(zh.text).toContain('/leads/lead_1');
    expect(zh.text).toContain('线索：王芳');
    const en = taskDueEmail(task, { email: 'li@example.cn', name: 'Li', locale: 'en' });
    expect(en.subject.startsWith('Task due:')).toBe(true);
    const given = taskAssignedEmail(task, { email: 'li@example.cn', name: 'Li', locale: 'en' }, 'Han Meimei');
    expect(given.subject).toBe('New task: 回电确认预算 / 新任务：回电确认预算');
    expect(given.text).toContain('Han Meimei gave you the task');
  });
});
