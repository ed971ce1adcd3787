import type { Ctx } from '../platform/context.ts';
import { enqueue } from '../jobs/outbox.ts';
import type { EmailPayload } from '../jobs/email.ts';

/**
 * "A lead was assigned to you": an `email.send` job to the lead's new owner, written in the
 * transaction that assigns the lead (so a rolled-back assignment sends nothing). Both languages
 * are in every message; the owner's `locale` decides which comes first.
 */
export interface AssignedLead {
  id: string;
  name: string;
  company: string | null;
  ownerId: string | null;
}

export interface Recipient {
  email: string;
  name: string;
  locale: string;
}

export const leadPath = (id: string): string => `/leads/${id}`;

/** The message itself: pure, so its wording is tested without a database. */
export function leadAssignedEmail(lead: Omit<AssignedLead, 'ownerId'>, to: Recipient, assignedBy: string): EmailPayload {
  const who = lead.company ? `${lead.name} (${lead.company})` : lead.name;
  const zh = {
    subject: `新线索分配给您：${who}`,
    text: [
      `${to.name}，您好：`,
      '',
      `${assignedBy} 将线索「${who}」分配给了您。`,
      `线索编号：${lead.id}`,
      `查看：${leadPath(lead.id)}`,
    ].join('\n'),
  };
  const en = {
    subject: `New lead assigned to you: ${who}`,
    text: [
      `Hello ${to.name},`,
      '',
      `${assignedBy} assigned the lead "${who}" to you.`,
      `Lead id: ${lead.id}`,
      `Open: ${leadPath(lead.id)}`,
    ].join('\n'),
  };
  const [first, second] = to.locale === 'en' ? [en, zh] : [zh, en];
  return {
    to: to.email,
    subject: `${first.subject} / ${second.subject}`,
    text: `${first.text}\n\n---\n\n${second.text}\n`,
  };
}

/**
 * Enqueues the notification when the lead now has an owner who is neither its previous owner nor
 * the person making the change (nobody is told about what they just did themselves).
 * Returns the job id, or null when no one needs to be told.
 */
export async function notifyLeadAssigned(ctx: Ctx, lead: AssignedLead, previousOwnerId: string | null): Promise<string | null> {
  if (!lead.ownerId || lead.ownerId === previousOwnerId || lead.ownerId === ctx.user.id) return null;
  const owner = await ctx.db
    .selectFrom('users')
    .select(['email', 'name', 'locale', 'active'])
    .where('id', '=', lead.ownerId)
    .executeTakeFirst();
  if (!owner || !owner.active) return null;
  return enqueue(ctx, 'email.send', leadAssignedEmail(lead, owner, ctx.user.name));
}
