import type { Ctx } from '../platform/context.ts';
import { enqueue } from '../jobs/outbox.ts';
import type { EmailPayload } from '../jobs/email.ts';
import type { Recipient } from '../notifications/lead-assigned.ts';

/**
 * "Your task is due": when a task is created (or its due time or assignee changes, or it is reopened)
 * a `activities.task_due` job is enqueued to run at the due time. When it runs, it tells the assignee
 * by email only if the task is still open, still due then and still theirs; a task that was moved
 * or completed meanwhile lets its old job pass silently. Both languages in every message, the
 * assignee's locale first.
 */
export const TASK_DUE_JOB = 'activities.task_due';

export interface TaskDuePayload {
  activityId: string;
  dueAt: string;
  assigneeId: string;
}

export interface DueTask {
  id: string;
  subject: string;
  dueAt: string;
  parentType: string;
  parentId: string;
  parentName: string | null;
}

const SEGMENT: Record<string, string> = { lead: 'leads', opportunity: 'opportunities', account: 'accounts', contact: 'contacts' };
const ZH_PARENT: Record<string, string> = { lead: '线索', opportunity: '商机', account: '客户', contact: '联系人' };

/** The message itself: pure, so its wording is tested without a database. */
export function taskDueEmail(task: DueTask, to: Recipient): EmailPayload {
  const path = `/${SEGMENT[task.parentType] ?? task.parentType}/${task.parentId}`;
  const on = task.parentName ?? task.parentId;
  const zh = {
    subject: `任务到期：${task.subject}`,
    text: [`${to.name}，您好：`, '', `任务「${task.subject}」已到期（${task.dueAt}）。`, `${ZH_PARENT[task.parentType] ?? task.parentType}：${on}`, `查看：${path}`].join('\n'),
  };
  const en = {
    subject: `Task due: ${task.subject}`,
    text: [`Hello ${to.name},`, '', `Your task "${task.subject}" is due (${task.dueAt}).`, `On ${task.parentType}: ${on}`, `Open: ${path}`].join('\n'),
  };
  const [first, second] = to.locale === 'en' ? [en, zh] : [zh, en];
  return { to: to.email, subject: `${first.subject} / ${second.subject}`, text: `${first.text}\n\n---\n\n${second.text}\n` };
}

/** Runs one `activities.task_due` job. Returns the email job id, or null when nothing is to be sent. */
export async function runTaskDue(ctx: Ctx, payload: TaskDuePayload): Promise<string | null> {
  const a = await ctx.db.selectFrom('activities').selectAll().where('id', '=', payload.activityId).executeTakeFirst();
  if (!a || a.type !== 'task' || a.status !== 'open' || a.dueAt !== payload.dueAt || a.assigneeId !== payload.assigneeId) return null;
  const to = await ctx.db.selectFrom('users').select(['email', 'name', 'locale', 'active']).where('id', '=', payload.assigneeId).executeTakeFirst();
  if (!to || !to.active) return null;
  const table = ({ lead: 'leads', opportunity: 'opportunities', account: 'accounts', contact: 'contacts' } as const)[a.parentType as 'lead'];
  const parent = table ? await (ctx.db as any).selectFrom(table).select('name').where('id', '=', a.parentId).executeTakeFirst() : null;
  return enqueue(ctx, 'email.send', taskDueEmail({ ...a, dueAt: a.dueAt!, parentName: parent?.name ?? null }, to));
}

/** "A task was given to you": pure, like the due reminder. */
export function taskAssignedEmail(task: DueTask, to: Recipient, assignedBy: string): EmailPayload {
  const path = `/${SEGMENT[task.parentType] ?? task.parentType}/${task.parentId}`;
  const on = task.parentName ?? task.parentId;
  const zh = {
    subject: `新任务：${task.subject}`,
    text: [`${to.name}，您好：`, '', `${assignedBy} 给您分配了任务「${task.subject}」，截止 ${task.dueAt}。`, `${ZH_PARENT[task.parentType] ?? task.parentType}：${on}`, `查看：${path}`].join('\n'),
  };
  const en = {
    subject: `New task: ${task.subject}`,
    text: [`Hello ${to.name},`, '', `${assignedBy} gave you the task "${task.subject}", due ${task.dueAt}.`, `On ${task.parentType}: ${on}`, `Open: ${path}`].join('\n'),
  };
  const [first, second] = to.locale === 'en' ? [en, zh] : [zh, en];
  return { to: to.email, subject: `${first.subject} / ${second.subject}`, text: `${first.text}\n\n---\n\n${second.text}\n` };
}

/**
 * Tells the assignee of an open task by email when someone else gave it to them (nobody is told
 * about what they did themselves), in the transaction that assigns it. Returns the job id or null.
 */
export async function notifyTaskAssigned(
  ctx: Ctx,
  task: { id: string; type: string; status: string; subject: string; dueAt: string | null; parentType: string; parentId: string; assigneeId: string | null },
  previousAssigneeId: string | null,
  parentName: string | null,
): Promise<string | null> {
  if (task.type !== 'task' || task.status !== 'open' || !task.assigneeId || !task.dueAt) return null;
  if (task.assigneeId === previousAssigneeId || task.assigneeId === ctx.user.id) return null;
  const to = await ctx.db.selectFrom('users').select(['email', 'name', 'locale', 'active']).where('id', '=', task.assigneeId).executeTakeFirst();
  if (!to || !to.active) return null;
  return enqueue(ctx, 'email.send', taskAssignedEmail({ ...task, dueAt: task.dueAt, parentName }, to, ctx.user.name));
}
