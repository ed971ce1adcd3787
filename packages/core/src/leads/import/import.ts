import type { Db, Dialect, LeadImportBatchTable, LeadTable } from '@openltc/db';
import { z } from 'zod';
import { inTx, type Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { nowIso } from '../../platform/clock.ts';
import {
  AppError,
  fieldError,
  forbidden,
  notFound,
  validationError,
  type FieldError,
} from '../../platform/errors.ts';
import { can, scopeOf, SYSTEM, type Principal } from '../../platform/permissions.ts';
import { diff, recordEvent } from '../../platform/events.ts';
import { id } from '../../platform/schema.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { principalFor } from '../../identity/users.ts';
import { activeScoringRules } from '../scoring-rules.ts';
import { compileScoring, scoreLead, type CompiledScore, type ScorableLead } from '../scoring.ts';
import { bulkInsertValues } from '../../platform/bulk-insert.ts';
import { findByKeys, keyColumns, KEY_COLS, refreshDedupeKeys, type Known } from './dedupe-index.ts';
import { decodeText, parseCsv, toCsv } from './csv.ts';
import {
  autoMapping,
  companyKey,
  dedupeKeys,
  emailKey,
  IMPORT_FIELDS,
  phoneKey,
  isImportTarget,
  type ImportTarget,
  type MatchedOn,
} from './mapping.ts';
import { checkRow, checkWithSchema, rowObject, type LeadFields } from './rows.ts';

/**
 * Lead import from a CSV or Excel file. The file is read and kept with its batch; every row is
 * validated exactly like `POST /leads` (the same schema), deduplicated within the file and against
 * the database (normalized email, phone, company + name; an in-memory index loaded once), scored
 * by the rules, and written in chunks: one transaction per chunk holds the chunk's leads, their
 * `created` events (request id = the batch), the row issues and the batch's progress. A run that
 * dies resumes after the last committed chunk; `leads (import_batch_id, import_row_no)` is unique,
 * so no row is ever imported twice. Small files run in the request; big ones in the worker.
 */
export const IMPORT_JOB = 'leads.import';
/** Files up to this many rows are imported in the request; bigger ones by the worker. */
export const INLINE_MAX_ROWS = 2_000;
export const MAX_ROWS = 500_000;
export const MAX_FILE_BYTES = 40 * 1024 * 1024;
const DEFAULT_CHUNK = 5_000;
/** Leads (and their events) per write inside a chunk's transaction. */
const FLUSH_ROWS = 500;
const ENTITY = 'lead_import';

export const ImportAssignment = z.discriminatedUnion('mode', [
  z
    .object({ mode: z.literal('me') })
    .strict()
    .describe('Every lead owned by the importing user'),
  z
    .object({ mode: z.literal('none') })
    .strict()
    .describe('No owner: the leads go to the shared pool'),
  z.object({ mode: z.literal('user'), userId: id('usr') }).strict(),
  z
    .object({ mode: z.literal('round_robin'), userIds: z.array(id('usr')).min(1).max(200) })
    .strict()
    .describe('Row n goes to userIds[n mod count]'),
]);
export type ImportAssignment = z.infer<typeof ImportAssignment>;

const fileFields = {
  fileName: z.string().trim().min(1).max(200),
  content: z
    .string()
    .min(1)
    .max(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 4)
    .describe('The file (CSV or .xlsx), base64'),
  encoding: z
    .enum(['auto', 'utf-8', 'gbk'])
    .default('auto')
    .describe('CSV text encoding; auto tells UTF-8 (with or without BOM) from GBK'),
};
export const LeadImportPreview = z.object(fileFields).strict();
export const LeadImportCreate = z
  .object({
    ...fileFields,
    mapping: z
      .record(z.string(), z.string().nullable())
      .optional()
      .describe(
        'Header → lead field (name, company, title, email, phone, region, industry, source, campaign, notes or customFields.<key>) or null to skip; guessed from the headers when left out',
      ),
    dedupe: z
      .enum(['skip', 'update'])
      .default('skip')
      .describe('A row matching an existing lead: skip it, or fill that lead’s fields from it'),
    assignment: ImportAssignment.default({ mode: 'me' }),
  })
  .strict();
export type LeadImportCreate = z.input<typeof LeadImportCreate>;
export const ImportIssueQuery = z
  .object({
    kind: z.enum(['error', 'duplicate', 'updated']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    afterRow: z.coerce.number().int().min(0).optional(),
  })
  .strict();
export const ImportListQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).optional() })
  .strict();

// --- Reading the file --------------------------------------------------------------------------

export interface ParsedFile {
  format: 'csv' | 'xlsx';
  encoding: string;
  headers: string[];
  rows: string[][];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as Record<string, any>;
    if ('result' in o) return cellText(o.result); // formula
    if ('text' in o) return String(o.text); // hyperlink
    if (Array.isArray(o.richText)) return o.richText.map((p: any) => p.text).join('');
    return '';
  }
  return String(v);
}

async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as any);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (cells.some((c) => c.trim() !== '')) rows.push(cells);
  });
  return rows;
}

/** Reads a CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK) or an Excel .xlsx file into headers and rows. */
export async function readImportFile(
  fileName: string,
  bytes: Uint8Array,
  encoding: 'auto' | 'utf-8' | 'gbk' = 'auto',
): Promise<ParsedFile> {
  if (bytes.length > MAX_FILE_BYTES)
    throw fieldError(
      'content',
      `the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it`,
      'file_too_large',
    );
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const isOle = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (isOle || /\.xls$/i.test(fileName))
    throw fieldError(
      'content',
      'old Excel .xls files are not read; save the sheet as .xlsx or CSV (UTF-8) and upload that',
      'unsupported_format',
    );
  let format: ParsedFile['format'];
  let enc: string;
  let all: string[][];
  if (isZip) {
    format = 'xlsx';
    enc = 'xlsx';
    try {
      all = await readXlsx(bytes);
    } catch (e) {
      throw fieldError(
        'content',
        `the Excel file cannot be read: ${(e as Error).message}`,
        'unreadable_file',
      );
    }
  } else {
    format = 'csv';
    let text: string;
    try {
      ({ text, encoding: enc } = decodeText(bytes, encoding));
    } catch (e) {
      throw fieldError('encoding', (e as Error).message, 'bad_encoding');
    }
    all = parseCsv(text);
  }
  if (!all.length) throw fieldError('content', 'the file has no rows', 'empty_file');
  const seen = new Map<string, number>();
  const headers = all[0]!.map((h, i) => {
    const base = h.replace(/^\ufeff/, '').trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
  const rows = all.slice(1);
  if (rows.length > MAX_ROWS)
    throw fieldError(
      'content',
      `the file has ${rows.length} rows; at most ${MAX_ROWS} per import`,
      'too_many_rows',
    );
  return { format, encoding: enc, headers, rows };
}

function bytesOf(b64: string): Uint8Array {
  const buf = Buffer.from(b64, 'base64');
  if (!buf.length) throw fieldError('content', 'the file is empty or not base64', 'empty_file');
  return buf;
}

// --- Permission --------------------------------------------------------------------------------

/** Who may import: those who may write every lead (marketing, administrators). */
export function assertCanImport(p: Principal): void {
  if (!can(p, 'lead', 'write') || scopeOf(p, 'lead') !== 'all')
    throw forbidden('import leads (marketing and administrators import)');
}

// --- Preview -----------------------------------------------------------------------------------

export async function previewLeadImport(ctx: Ctx, input: z.input<typeof LeadImportPreview>) {
  assertCanImport(ctx.user);
  const data = LeadImportPreview.parse(input);
  const f = await readImportFile(data.fileName, bytesOf(data.content), data.encoding);
  return {
    fileName: data.fileName,
    format: f.format,
    encoding: f.encoding,
    headers: f.headers,
    mapping: autoMapping(f.headers),
    sample: f.rows.slice(0, 10),
    totalRows: f.rows.length,
    fields: [...IMPORT_FIELDS],
    inline: f.rows.length <= INLINE_MAX_ROWS,
  };
}

// --- The batch ---------------------------------------------------------------------------------

export interface LeadImportDto {
  id: string;
  fileName: string;
  format: string;
  encoding: string;
  status: string;
  dedupe: string;
  assignment: ImportAssignment;
  headers: string[];
  mapping: Record<string, ImportTarget | null>;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  duplicates: number;
  errors: number;
  failure: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  job: { id: string; status: string; attempts: number; lastError: string | null } | null;
  version: number;
}

async function batchDto(db: Db, b: BatchSummary): Promise<LeadImportDto> {
  const job = b.jobId
    ? await db
        .selectFrom('jobs')
        .select(['id', 'status', 'attempts', 'lastError'])
        .where('id', '=', b.jobId)
        .executeTakeFirst()
    : undefined;
  return {
    id: b.id,
    fileName: b.fileName,
    format: b.format,
    encoding: b.encoding,
    // A run the worker gave up on (its job dead after every retry) is a failed import, resumable by retrying the job.
    status:
      job?.status === 'dead' && (b.status === 'pending' || b.status === 'running') ? 'failed' : b.status,
    dedupe: b.dedupe,
    assignment: JSON.parse(b.mode),
    headers: JSON.parse(b.headers),
    mapping: JSON.parse(b.mapping),
    totalRows: b.totalRows,
    processedRows: b.processedRows,
    created: b.createdCount,
    updated: b.updatedCount,
    duplicates: b.duplicateCount,
    errors: b.errorCount,
    failure: b.failure ?? (job?.status === 'dead' ? job.lastError : null),
    createdBy: b.createdBy,
    createdAt: b.createdAt,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    job: job ?? null,
    version: b.version,
  };
}

function checkMapping(
  headers: string[],
  given: Record<string, string | null> | undefined,
): Record<string, ImportTarget | null> {
  const mapping = given ?? autoMapping(headers);
  const errors: FieldError[] = [];
  const used = new Map<string, string>();
  for (const [h, t] of Object.entries(mapping)) {
    if (!headers.includes(h))
      errors.push({ path: `mapping.${h}`, message: `the file has no column "${h}"`, code: 'unknown_column' });
    if (t === null) continue;
    if (!isImportTarget(t))
      errors.push({
        path: `mapping.${h}`,
        message: `"${t}" is not a lead field (${IMPORT_FIELDS.join(', ')}, customFields.<key>)`,
        code: 'unknown_field',
      });
    else if (used.has(t))
      errors.push({
        path: `mapping.${h}`,
        message: `columns "${used.get(t)}" and "${h}" both fill ${t}`,
        code: 'mapped_twice',
      });
    else used.set(t, h);
  }
  if (!used.has('name'))
    errors.push({
      path: 'mapping',
      message: 'map a column to name (姓名): every lead needs one',
      code: 'name_unmapped',
    });
  if (errors.length) throw validationError(errors, 'the column mapping is not usable');
  return Object.fromEntries(headers.map((h) => [h, (mapping[h] ?? null) as ImportTarget | null]));
}

async function checkAssignment(ctx: Ctx, a: ImportAssignment): Promise<void> {
  const ids = a.mode === 'user' ? [a.userId] : a.mode === 'round_robin' ? a.userIds : [];
  if (!ids.length) return;
  const users = await ctx.db.selectFrom('users').select(['id', 'active']).where('id', 'in', ids).execute();
  const active = new Set(users.filter((u) => u.active).map((u) => u.id));
  const missing = ids.filter((i) => !active.has(i));
  if (missing.length)
    throw fieldError(
      'assignment',
      `user ${missing.join(', ')} does not exist or is inactive`,
      'unknown_reference',
    );
}

export interface RunOptions {
  /** Rows per transaction (default 5000; 1 with `rowByRow`). */
  chunkSize?: number;
  /**
   * The reference path, for tests and diagnosis: every row validated by the API's zod schema and
   * scored rule by rule, and written in a transaction of its own. The same leads, events and issues
   * as the fast path, row by row.
   */
  rowByRow?: boolean;
  /** Called inside each chunk's transaction after its rows are written, before commit (progress; an error rolls the chunk back). */
  onChunk?: (processedRows: number) => void | Promise<void>;
}

/**
 * Reads the file, records the batch and its job, then runs small files at once (the job stays as a
 * safety net and finds the batch done) and leaves big ones to the worker. Returns the batch.
 */
export async function createLeadImport(
  ctx: Ctx,
  input: LeadImportCreate,
  opts: RunOptions & { inlineMaxRows?: number } = {},
): Promise<LeadImportDto> {
  assertCanImport(ctx.user);
  const data = LeadImportCreate.parse(input);
  const f = await readImportFile(data.fileName, bytesOf(data.content), data.encoding);
  const mapping = checkMapping(f.headers, data.mapping);
  await checkAssignment(ctx, data.assignment);
  const inline = f.rows.length <= (opts.inlineMaxRows ?? INLINE_MAX_ROWS);
  const batchId = newId('limp');
  await inTx(ctx, async (tx) => {
    const now = nowIso();
    // An inline run's job waits a minute: it only runs if this process dies before finishing.
    const jobId = await enqueue(
      tx,
      IMPORT_JOB,
      { batchId },
      { runAt: inline ? new Date(Date.now() + 60_000).toISOString() : undefined, maxAttempts: 10 },
    );
    const row: LeadImportBatchTable = {
      id: batchId,
      fileName: data.fileName,
      format: f.format,
      encoding: f.encoding,
      status: 'pending',
      mode: JSON.stringify(data.assignment),
      dedupe: data.dedupe,
      ownerId: data.assignment.mode === 'user' ? data.assignment.userId : null,
      headers: JSON.stringify(f.headers),
      mapping: JSON.stringify(mapping),
      totalRows: f.rows.length,
      processedRows: 0,
      createdCount: 0,
      updatedCount: 0,
      duplicateCount: 0,
      errorCount: 0,
      jobId,
      failure: null,
      createdBy: tx.user.id,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      version: 1,
    };
    await tx.db.insertInto('leadImportBatches').values(row).execute();
    await tx.db
      .insertInto('leadImportFiles')
      .values({ batchId, rows: JSON.stringify(f.rows) })
      .execute();
    await recordEvent(tx, {
      entityType: ENTITY,
      entityId: batchId,
      action: 'created',
      after: {
        fileName: row.fileName,
        format: row.format,
        encoding: row.encoding,
        totalRows: row.totalRows,
        dedupe: row.dedupe,
        assignment: data.assignment,
        mapping,
      },
    });
  });
  if (!inline) return getLeadImport(ctx, batchId);
  // The rows just read go to the run as they are (the batch keeps the same rows for a resumed run).
  const dto = await runLeadImport({ db: ctx.db, dialect: ctx.dialect }, batchId, opts, f.rows);
  if (dto.status === 'done' && dto.job)
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'done', updatedAt: nowIso() })
      .where('id', '=', dto.job.id)
      .where('status', '=', 'pending')
      .execute();
  return getLeadImport(ctx, batchId);
}

/** The batch's columns (its file's rows live in `lead_import_files`: megabytes, read by the run and the error report). */
const SUMMARY = [
  'id',
  'fileName',
  'format',
  'encoding',
  'status',
  'mode',
  'dedupe',
  'ownerId',
  'headers',
  'mapping',
  'totalRows',
  'processedRows',
  'createdCount',
  'updatedCount',
  'duplicateCount',
  'errorCount',
  'jobId',
  'failure',
  'createdBy',
  'createdAt',
  'updatedAt',
  'startedAt',
  'finishedAt',
  'version',
] as const;
type BatchSummary = LeadImportBatchTable;

async function loadBatch(db: Db, batchId: string): Promise<BatchSummary> {
  const b = await db
    .selectFrom('leadImportBatches')
    .select(SUMMARY)
    .where('id', '=', batchId)
    .executeTakeFirst();
  if (!b) throw notFound(ENTITY, batchId);
  return b;
}

async function batchRows(db: Db, batchId: string): Promise<string[][]> {
  const r = await db
    .selectFrom('leadImportFiles')
    .select('rows')
    .where('batchId', '=', batchId)
    .executeTakeFirstOrThrow();
  return JSON.parse(r.rows);
}

export async function getLeadImport(ctx: Ctx, batchId: string): Promise<LeadImportDto> {
  assertCanImport(ctx.user);
  return batchDto(ctx.db, await loadBatch(ctx.db, batchId));
}

export async function listLeadImports(ctx: Ctx, q: z.input<typeof ImportListQuery> = {}) {
  assertCanImport(ctx.user);
  const { limit } = ImportListQuery.parse(q);
  const rows = await ctx.db
    .selectFrom('leadImportBatches')
    .select(SUMMARY)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit ?? 50)
    .execute();
  return { items: await Promise.all(rows.map((b) => batchDto(ctx.db, b))) };
}

/** The batch's issues by row: errors per field, duplicates with what they matched, updated leads. */
export async function listLeadImportIssues(
  ctx: Ctx,
  batchId: string,
  q: z.input<typeof ImportIssueQuery> = {},
) {
  assertCanImport(ctx.user);
  const { kind, limit = 200, afterRow = 0 } = ImportIssueQuery.parse(q);
  await loadBatch(ctx.db, batchId);
  let qb = ctx.db
    .selectFrom('leadImportIssues as i')
    .leftJoin('leads as l', 'l.id', 'i.matchedLeadId')
    .select([
      'i.rowNo',
      'i.kind',
      'i.field',
      'i.code',
      'i.message',
      'i.matchedLeadId',
      'i.matchedRowNo',
      'i.matchedOn',
      'l.name as matchedName',
      'l.company as matchedCompany',
      'l.email as matchedEmail',
      'l.phone as matchedPhone',
    ])
    .where('i.batchId', '=', batchId)
    .where('i.rowNo', '>', afterRow);
  if (kind) qb = qb.where('i.kind', '=', kind);
  // Whole rows per page: a row's issues are never split across pages.
  const rows = await qb
    .orderBy('i.rowNo')
    .orderBy('i.field')
    .limit(limit + 50)
    .execute();
  let items = rows;
  if (rows.length > limit) {
    const cut = rows[limit - 1]!.rowNo;
    items = rows.filter((r) => r.rowNo <= cut);
  }
  const more = items.length < rows.length;
  return {
    items: items.map((r) => ({
      rowNo: r.rowNo,
      kind: r.kind,
      field: r.field || null,
      code: r.code,
      message: r.message,
      matchedOn: r.matchedOn,
      matchedRowNo: r.matchedRowNo,
      matchedLead: r.matchedLeadId
        ? {
            id: r.matchedLeadId,
            name: r.matchedName,
            company: r.matchedCompany,
            email: r.matchedEmail,
            phone: r.matchedPhone,
          }
        : null,
    })),
    nextAfterRow: more ? items[items.length - 1]!.rowNo : null,
  };
}

/**
 * The error report: every row that was not imported (errors and duplicates) with its original
 * cells, then the row number, what happened and the problems by field — fix the cells and import
 * the report itself again (the extra columns are not mapped).
 */
export async function leadImportErrorReport(
  ctx: Ctx,
  batchId: string,
): Promise<{ filename: string; csv: string }> {
  assertCanImport(ctx.user);
  const b = await loadBatch(ctx.db, batchId);
  const headers: string[] = JSON.parse(b.headers);
  const mapping: Record<string, string | null> = JSON.parse(b.mapping);
  const column = new Map(
    Object.entries(mapping)
      .filter(([, t]) => t)
      .map(([h, t]) => [t!, h]),
  );
  const rows = await batchRows(ctx.db, batchId);
  const issues = await ctx.db
    .selectFrom('leadImportIssues')
    .selectAll()
    .where('batchId', '=', batchId)
    .where('kind', 'in', ['error', 'duplicate'])
    .orderBy('rowNo')
    .orderBy('field')
    .execute();
  const byRow = new Map<number, typeof issues>();
  for (const i of issues) byRow.set(i.rowNo, [...(byRow.get(i.rowNo) ?? []), i]);
  const out: unknown[][] = [[...headers, '行号 row', '结果 result', '问题 problems']];
  for (const [rowNo, list] of byRow) {
    const cells = rows[rowNo - 2] ?? [];
    const problems = list
      .map((i) => {
        const where = i.field ? `${column.get(i.field) ?? i.field} (${i.field}): ` : '';
        const match = i.matchedLeadId
          ? ` [${i.matchedLeadId}]`
          : i.matchedRowNo
            ? ` [row ${i.matchedRowNo}]`
            : '';
        return `${where}${i.message}${match}`;
      })
      .join('; ');
    out.push([...headers.map((_, j) => cells[j] ?? ''), rowNo, list[0]!.kind, problems]);
  }
  const base = b.fileName.replace(/\.(csv|xlsx|txt)$/i, '');
  return { filename: `${base}-errors.csv`, csv: toCsv(out) };
}

// --- The run -----------------------------------------------------------------------------------

const LEAD_COLS: readonly string[] = [
  'id',
  'name',
  'company',
  'title',
  'email',
  'phone',
  'region',
  'industry',
  'source',
  'campaign',
  'status',
  'score',
  'score_reasons',
  'notes',
  'custom_fields',
  'owner_id',
  'team_id',
  'created_at',
  'updated_at',
  'created_by',
  'version',
  'import_batch_id',
  'import_row_no',
];
const EVENT_COLS: readonly string[] = [
  'id',
  'occurred_at',
  'actor_id',
  'request_id',
  'entity_type',
  'entity_id',
  'action',
  'before',
  'after',
];
const ISSUE_COLS: readonly string[] = [
  'id',
  'batch_id',
  'row_no',
  'kind',
  'field',
  'code',
  'message',
  'matched_lead_id',
  'matched_row_no',
  'matched_on',
];

/** The lead fields an update by import may change: every field a file column can fill. */
const EDITABLE = IMPORT_FIELDS;

/**
 * Runs (or resumes) a batch: the worker's job handler and the inline path both come here. Idempotent:
 * a finished batch returns as it is; a half-done one continues after its last committed row.
 */
export async function runLeadImport(
  handle: { db: Db; dialect: Dialect },
  batchId: string,
  opts: RunOptions = {},
  fileRows?: string[][],
): Promise<LeadImportDto> {
  const { db, dialect } = handle;
  let b = await loadBatch(db, batchId);
  if (b.status === 'done' || b.status === 'failed') return batchDto(db, b);
  const user = b.createdBy === SYSTEM.id ? SYSTEM : await principalFor(db, b.createdBy, 'system');
  const fail = async (message: string) => {
    await db
      .updateTable('leadImportBatches')
      .set({ status: 'failed', failure: message, finishedAt: nowIso(), updatedAt: nowIso() })
      .where('id', '=', batchId)
      .execute();
    return batchDto(db, await loadBatch(db, batchId));
  };
  if (!user) return fail('the user who started the import is no longer active');
  try {
    assertCanImport(user);
  } catch {
    return fail('the user who started the import may no longer import leads');
  }
  const ctx: Ctx = { db, dialect, user: { ...user, via: 'system' }, requestId: batchId };
  if (b.status === 'pending') {
    await db
      .updateTable('leadImportBatches')
      .set({ status: 'running', startedAt: b.startedAt ?? nowIso(), updatedAt: nowIso() })
      .where('id', '=', batchId)
      .execute();
    b = await loadBatch(db, batchId);
  }

  const rows = fileRows ?? (await batchRows(db, batchId));
  const headers: string[] = JSON.parse(b.headers);
  const mapping: Record<string, ImportTarget | null> = JSON.parse(b.mapping);
  const targets = headers.map((h) => mapping[h] ?? null);
  const assignment: ImportAssignment = JSON.parse(b.mode);
  const update = b.dedupe === 'update';
  const rules = await activeScoringRules(ctx);

  // Owners and their teams, resolved once.
  // The command line imports as the system: "me" is then no owner.
  const ownerIds =
    assignment.mode === 'me'
      ? user.id === SYSTEM.id
        ? []
        : [user.id]
      : assignment.mode === 'user'
        ? [assignment.userId]
        : assignment.mode === 'round_robin'
          ? assignment.userIds
          : [];
  const teams = new Map<string, string | null>();
  if (ownerIds.length)
    for (const u of await db
      .selectFrom('users')
      .select(['id', 'teamId'])
      .where('id', 'in', ownerIds)
      .execute())
      teams.set(u.id, u.teamId);
  const ownerFor = (rowNo: number): string | null =>
    ownerIds.length ? ownerIds[rowNo % ownerIds.length]! : null;

  // The dedupe index: the database's keys are looked up a chunk at a time through their indexes
  // (dedupe-index.ts); `index` holds the keys this run has written, applied once their chunk commits.
  const index = new Map<string, Known>();
  // Leads this batch updated in an earlier run (a resumed batch): their file row, for "the same … as row n".
  const updatedBy = new Map<string, number>();
  if (update)
    for (const d of await db
      .selectFrom('leadImportIssues')
      .select(['rowNo', 'matchedLeadId'])
      .where('batchId', '=', batchId)
      .where('kind', '=', 'updated')
      .execute())
      updatedBy.set(d.matchedLeadId!, d.rowNo);

  const rowByRow = opts.rowByRow === true;
  const chunkSize = opts.chunkSize ?? (rowByRow ? 1 : DEFAULT_CHUNK);
  // Validation: a hand-written check of the mapped fields, the schema only for the rows it refuses
  // (their issues are then exactly the API's); the reference path asks the schema for every row.
  const check = rowByRow ? checkWithSchema : checkRow;
  // Scoring: the rules compiled once for the whole file; the reference path interprets them per lead.
  const NO_SCORE: CompiledScore = { score: 0, reasons: [], reasonsJson: '[]' };
  const score: (lead: ScorableLead) => CompiledScore = !rules.length
    ? () => NO_SCORE
    : rowByRow
      ? (lead) => {
          const r = scoreLead(rules, lead);
          return { ...r, reasonsJson: JSON.stringify(r.reasons) };
        }
      : compileScoring(rules);
  let processed = b.processedRows;
  while (processed < rows.length) {
    const end = Math.min(rows.length, processed + chunkSize);
    const now = nowIso();
    // The leads and events not yet written, value after value (no array per row): LEAD_COLS / EVENT_COLS wide.
    let leadValues: unknown[] = [];
    let eventValues: unknown[] = [];
    let keyValues: unknown[] = [];
    const flush = async (tx: Ctx) => {
      await bulkInsertValues(tx, 'leads', LEAD_COLS, leadValues);
      await bulkInsertValues(tx, 'events', EVENT_COLS, eventValues);
      await bulkInsertValues(tx, 'lead_dedupe_keys', KEY_COLS, keyValues);
      leadValues = [];
      eventValues = [];
      keyValues = [];
    };
    // Update events and row issues, flat like the leads (EVENT_COLS / ISSUE_COLS values per row).
    const eventRows: unknown[] = [];
    const issueRows: unknown[] = [];
    const updates: Array<{ rowNo: number; leadId: string; data: LeadFields; on: MatchedOn }> = [];
    let created = 0;
    let duplicates = 0;
    let errors = 0;
    const issue = (
      rowNo: number,
      kind: string,
      field: string,
      code: string,
      message: string,
      m?: { leadId?: string | null; rowNo?: number | null; on?: string | null },
    ) =>
      issueRows.push(
        newId('limi'),
        batchId,
        rowNo,
        kind,
        field,
        code,
        message,
        m?.leadId ?? null,
        m?.rowNo ?? null,
        m?.on ?? null,
      );
    // Keys this chunk adds, applied to the index only once the chunk commits.
    const added: Array<[string, Known]> = [];
    const pending = new Map<string, Known>();
    let stored = new Map<string, Known>();
    const lookup = (key: string) => {
      const k = pending.get(key) ?? index.get(key) ?? stored.get(key);
      if (k && k.rowNo === undefined && updatedBy.has(k.leadId))
        return { leadId: k.leadId, rowNo: updatedBy.get(k.leadId)! };
      return k;
    };

    await db.transaction().execute(async (trx) => {
      const tx: Ctx = { ...ctx, db: trx as unknown as Db, inTx: true };
      // Claim the chunk: only the run that still sees the committed progress may write it.
      const claim = await tx.db
        .updateTable('leadImportBatches')
        .set({ processedRows: end, updatedAt: nowIso() })
        .where('id', '=', batchId)
        .where('processedRows', '=', processed)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1)
        throw new AppError(409, 'import_moved_on', 'Conflict', `import ${batchId} is being run elsewhere`);
      // The leads written or changed outside an import since the last look get their keys first.
      await refreshDedupeKeys(tx);
      // Then FLUSH_ROWS rows at a time: checked, their keys looked up in the database at once (through
      // the key indexes), then deduplicated, scored and queued for writing. Leads are written every
      // FLUSH_ROWS, so a chunk never holds more than that many rows' values and checks in memory (they
      // die young: fewer objects for the collector to copy).
      const checks = new Array<ReturnType<typeof check>>(FLUSH_ROWS);
      const keysOf = new Array<ReturnType<typeof dedupeKeys>>(FLUSH_ROWS);
      for (let from = processed; from < end; from += FLUSH_ROWS) {
        const to = Math.min(end, from + FLUSH_ROWS);
        const wanted = new Set<string>();
        for (let i = from; i < to; i++) {
          const checked = (checks[i - from] = check(rowObject(rows[i]!, targets)));
          if (!checked.ok) continue;
          const keys = (keysOf[i - from] = dedupeKeys(checked.data));
          for (const [, key] of keys) if (!index.has(key) && !pending.has(key)) wanted.add(key);
        }
        stored = await findByKeys(tx, wanted, batchId);
        for (let i = from; i < to; i++) {
          const rowNo = i + 2; // as the spreadsheet numbers it: the header is row 1
          const checked = checks[i - from]!;
          if (!checked.ok) {
            for (const iss of checked.issues) issue(rowNo, 'error', iss.field, 'invalid', iss.message);
            errors++;
            continue;
          }
          const d = checked.data;
          const keys = keysOf[i - from]!;
          let match: { on: MatchedOn; k: Known } | null = null;
          for (const [on, key] of keys) {
            const k = lookup(key);
            if (k) {
              match = { on, k };
              break;
            }
          }
          if (match) {
            const { on, k } = match;
            if (k.rowNo !== undefined) {
              issue(rowNo, 'duplicate', on, 'duplicate_in_file', `the same ${on} as row ${k.rowNo}`, {
                leadId: k.leadId,
                rowNo: k.rowNo,
                on,
              });
              duplicates++;
            } else if (!update) {
              issue(rowNo, 'duplicate', on, 'duplicate_existing', `a lead with this ${on} exists`, {
                leadId: k.leadId,
                on,
              });
              duplicates++;
            } else {
              updates.push({ rowNo, leadId: k.leadId, data: d, on });
              for (const [, key] of keys) pending.set(key, { leadId: k.leadId, rowNo });
            }
            continue;
          }
          const ownerId = ownerFor(rowNo);
          const teamId = ownerId ? (teams.get(ownerId) ?? null) : null;
          const leadId = newId('lead');
          const customFields = d.customFields ?? {};
          const s = score(d);
          const email = d.email?.toLowerCase() ?? null;
          leadValues.push(
            leadId,
            d.name,
            d.company ?? null,
            d.title ?? null,
            email,
            d.phone ?? null,
            d.region ?? null,
            d.industry ?? null,
            d.source ?? null,
            d.campaign ?? null,
            'new',
            s.score,
            s.reasonsJson,
            d.notes ?? null,
            JSON.stringify(customFields),
            ownerId,
            teamId,
            now,
            now,
            user.id,
            1,
            batchId,
            rowNo,
          );
          const after = {
            id: leadId,
            name: d.name,
            company: d.company ?? null,
            title: d.title ?? null,
            email,
            phone: d.phone ?? null,
            region: d.region ?? null,
            industry: d.industry ?? null,
            source: d.source ?? null,
            campaign: d.campaign ?? null,
            status: 'new',
            score: s.score,
            scoreReasons: s.reasons,
            notes: d.notes ?? null,
            customFields,
            ownerId,
            teamId,
            createdAt: now,
            createdBy: user.id,
            importBatchId: batchId,
            importRowNo: rowNo,
          };
          eventValues.push(
            newId('evt'),
            now,
            user.id,
            batchId,
            'lead',
            leadId,
            'created',
            null,
            JSON.stringify(after),
          );
          const [emailKey, phoneKey, personKey] = keyColumns(keys);
          keyValues.push(leadId, emailKey, phoneKey, personKey);
          created++;
          if (leadValues.length >= FLUSH_ROWS * LEAD_COLS.length) await flush(tx);
          const k: Known = { leadId, rowNo };
          for (const [, key] of keys) pending.set(key, k);
        }
      }
      for (const e of pending) added.push(e);
      let updated = 0;
      if (updates.length) {
        const before = await tx.db
          .selectFrom('leads')
          .selectAll()
          .where('id', 'in', [...new Set(updates.map((u) => u.leadId))])
          .execute();
        const byId = new Map(before.map((l) => [l.id, l]));
        for (const u of updates) {
          const cur = byId.get(u.leadId)!;
          if (cur.status === 'converted') {
            issue(
              u.rowNo,
              'duplicate',
              u.on,
              'duplicate_converted',
              `matches a converted lead by ${u.on}; converted leads are not changed`,
              { leadId: u.leadId, on: u.on },
            );
            duplicates++;
            continue;
          }
          const patch: Partial<LeadTable> = {};
          for (const f of EDITABLE) {
            const v = f === 'email' ? u.data.email?.toLowerCase() : u.data[f];
            if (v === undefined || v === null || v === cur[f]) continue;
            // The same phone, email or company written another way is not a change.
            if (f === 'phone' && phoneKey(v) !== null && phoneKey(v) === phoneKey(cur.phone)) continue;
            if (f === 'email' && emailKey(v) === emailKey(cur.email)) continue;
            if (f === 'company' && companyKey(v) !== null && companyKey(v) === companyKey(cur.company))
              continue;
            (patch as any)[f] = v;
          }
          if (u.data.customFields) {
            const merged = { ...JSON.parse(cur.customFields || '{}'), ...u.data.customFields };
            const text = JSON.stringify(merged);
            if (text !== cur.customFields) patch.customFields = text;
          }
          const next = { ...cur, ...patch };
          if (rules.length) {
            const s = scoreLead(rules, { ...next, customFields: JSON.parse(next.customFields || '{}') });
            const reasons = JSON.stringify(s.reasons);
            if (s.score !== cur.score || reasons !== cur.scoreReasons) {
              patch.score = s.score;
              patch.scoreReasons = reasons;
            }
          }
          if (!Object.keys(patch).length) {
            issue(
              u.rowNo,
              'duplicate',
              u.on,
              'unchanged',
              `matches an existing lead by ${u.on}, which already has these values`,
              { leadId: u.leadId, on: u.on },
            );
            duplicates++;
            continue;
          }
          const res = await tx.db
            .updateTable('leads')
            .set({ ...patch, version: cur.version + 1, updatedAt: now })
            .where('id', '=', cur.id)
            .where('version', '=', cur.version)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) {
            issue(
              u.rowNo,
              'error',
              '',
              'conflict',
              'the matching lead was edited at the same moment; import this row again',
              { leadId: u.leadId, on: u.on },
            );
            errors++;
            continue;
          }
          const after = { ...cur, ...patch, version: cur.version + 1 };
          byId.set(cur.id, after);
          const dd = diff(
            {
              ...cur,
              customFields: JSON.parse(cur.customFields),
              scoreReasons: JSON.parse(cur.scoreReasons),
            },
            {
              ...after,
              customFields: JSON.parse(after.customFields),
              scoreReasons: JSON.parse(after.scoreReasons),
            },
          );
          eventRows.push(
            newId('evt'),
            now,
            user.id,
            batchId,
            'lead',
            cur.id,
            'updated',
            JSON.stringify(dd?.before ?? {}),
            JSON.stringify({ ...(dd?.after ?? {}), importBatchId: batchId, importRowNo: u.rowNo }),
          );
          issue(
            u.rowNo,
            'updated',
            u.on,
            'updated',
            `updated the lead matching by ${u.on}: ${Object.keys(dd?.after ?? {}).join(', ')}`,
            { leadId: u.leadId, on: u.on },
          );
          updated++;
        }
      }
      await flush(tx);
      await bulkInsertValues(tx, 'events', EVENT_COLS, eventRows);
      await bulkInsertValues(tx, 'lead_import_issues', ISSUE_COLS, issueRows);
      await tx.db
        .updateTable('leadImportBatches')
        .set((eb) => ({
          createdCount: eb('createdCount', '+', created),
          updatedCount: eb('updatedCount', '+', updated),
          duplicateCount: eb('duplicateCount', '+', duplicates),
          errorCount: eb('errorCount', '+', errors),
        }))
        .where('id', '=', batchId)
        .execute();
      await opts.onChunk?.(end);
    });
    for (const [key, k] of added) index.set(key, k);
    processed = end;
  }

  const finished = nowIso();
  await inTx(ctx, async (tx) => {
    await tx.db
      .updateTable('leadImportBatches')
      .set((eb) => ({
        status: 'done',
        finishedAt: finished,
        updatedAt: finished,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', batchId)
      .where('status', '=', 'running')
      .execute();
    const f = await loadBatch(tx.db, batchId);
    await recordEvent(tx, {
      entityType: ENTITY,
      entityId: batchId,
      action: 'completed',
      after: {
        created: f.createdCount,
        updated: f.updatedCount,
        duplicates: f.duplicateCount,
        errors: f.errorCount,
        totalRows: f.totalRows,
      },
    });
  });
  return batchDto(db, await loadBatch(db, batchId));
}

/** The worker's handler for `leads.import` jobs. */
export function leadImportJobHandler(handle: { db: Db; dialect: Dialect }) {
  return async (payload: { batchId: string }) => {
    await runLeadImport(handle, payload.batchId);
  };
}
