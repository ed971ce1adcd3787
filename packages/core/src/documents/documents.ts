import { z } from 'zod';
import type { Db, LegalEntityTable } from '@openltc/db';
import type { Ctx } from '../platform/context.ts';
import { businessDate } from '../platform/clock.ts';
import { getQuote } from '../quotes/quotes.ts';
import { getInvoice } from '../billing/invoices.ts';
import { legalEntityFor } from '../billing/legal-entities.ts';
import type { Party } from './common.ts';
import { DOCUMENT_LOCALES, isDocLocale, type DocLocale } from './format.ts';
import { buildQuotePdf, quotePdfFilename } from './quote-pdf.ts';
import { buildInvoicePdf, invoicePdfFilename } from './invoice-pdf.ts';

/** `?lang=` of the PDF endpoints; without it the document is in the caller's own language. */
export const PdfQuery = z
  .object({ lang: z.enum(DOCUMENT_LOCALES).optional().describe("the document's language; default: the caller's locale") })
  .strict();

export interface PdfFile {
  filename: string;
  pdf: Buffer;
  locale: DocLocale;
}

/** The language to print in: the one asked for, else the user's locale, else Chinese. */
async function documentLocale(ctx: Ctx, lang: DocLocale | undefined): Promise<DocLocale> {
  if (lang) return lang;
  const u = await ctx.db.selectFrom('users').select('locale').where('id', '=', ctx.user.id).executeTakeFirst();
  return isDocLocale(u?.locale) ? u.locale : 'zh-CN';
}

const sellerOf = (le: LegalEntityTable): Party => ({ name: le.name, taxId: le.taxId, address: null });

/**
 * The customer as printed on the document. The document itself was loaded through its visibility
 * check, and its customer's name, tax id and address are part of it, so they are read by id here
 * (the caller may see an invoice without having the account in their own scope).
 */
async function customerOf(db: Db, accountId: string): Promise<Party> {
  const a = await db.selectFrom('accounts').select(['name', 'taxId', 'address']).where('id', '=', accountId).executeTakeFirst();
  return a ? { name: a.name, taxId: a.taxId, address: a.address } : { name: accountId, taxId: null, address: null };
}

/**
 * A quote version as a PDF, seen by whoever may see the quote (404 otherwise). The seller is the
 * quote's legal entity (the first one for quotes from before quotes had one).
 */
export async function quotePdf(ctx: Ctx, id: string, lang?: DocLocale): Promise<PdfFile> {
  const quote = await getQuote(ctx, id);
  const [locale, le, customer, owner] = await Promise.all([
    documentLocale(ctx, lang),
    legalEntityFor(ctx.db, quote.legalEntityId),
    customerOf(ctx.db, quote.accountId),
    quote.ownerId ? ctx.db.selectFrom('users').select(['name', 'email']).where('id', '=', quote.ownerId).executeTakeFirst() : undefined,
  ]);
  const pdf = await buildQuotePdf(
    {
      quote,
      seller: sellerOf(le),
      customer,
      salesRep: owner ? { name: owner.name, email: owner.email } : null,
      date: businessDate(new Date(quote.createdAt), le.timezone),
    },
    locale,
  );
  return { filename: quotePdfFilename(quote), pdf, locale };
}

/** An invoice as a PDF (a draft is marked as such), seen by whoever may see the invoice (404 otherwise). */
export async function invoicePdf(ctx: Ctx, id: string, lang?: DocLocale): Promise<PdfFile> {
  const invoice = await getInvoice(ctx, id);
  const [locale, le, customer, order] = await Promise.all([
    documentLocale(ctx, lang),
    legalEntityFor(ctx.db, invoice.legalEntityId),
    customerOf(ctx.db, invoice.accountId),
    ctx.db.selectFrom('orders').select('number').where('id', '=', invoice.orderId).executeTakeFirst(),
  ]);
  const pdf = await buildInvoicePdf({ invoice, seller: sellerOf(le), customer, orderNumber: order?.number ?? null }, locale);
  return { filename: invoicePdfFilename(invoice), pdf, locale };
}
