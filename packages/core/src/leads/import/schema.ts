import { z } from 'zod';
import type { Ctx } from '../../platform/context.ts';
import { assertCan } from '../../platform/permissions.ts';
import {
  CUSTOM_FIELD_TARGET,
  OPERATOR_VALUE,
  SCORING_FIELDS,
  SCORING_OPERATORS,
  type OperatorValue,
} from '../scoring.ts';
import { EMPLOYEES_TARGET, IMPORT_FIELDS, type ImportField } from './mapping.ts';
import { stringSchema } from './rows.ts';
import { INLINE_MAX_ROWS, LeadImportPreview, MAX_FILE_BYTES } from './import.ts';

/**
 * What the lead import page and the scoring rule editor offer, as the server knows it: the lead fields
 * a column may fill (with their label keys, kinds, limits, and whether rules may score them), the
 * suggested custom fields, the CSV encodings, and the scoring operators with the value each takes. The
 * web app reads this instead of keeping copies of the server's lists.
 */
const FieldKind = z.enum(['text', 'email', 'phone']);
const ValueKind = z.enum(['none', 'list', 'number', 'text']);

export const LeadImportSchemaDto = z.object({
  fields: z
    .array(
      z.object({
        key: z.enum(IMPORT_FIELDS),
        labelKey: z.string().describe('The web app’s translation key of the field’s label'),
        kind: FieldKind,
        required: z.boolean().describe('Every lead needs it: a column must be mapped to it'),
        maxLength: z.number().int().nullable(),
        scorable: z.boolean().describe('Scoring rules may test it'),
      }),
    )
    .describe('Lead fields a column may fill, in the order the page offers them'),
  customFields: z.object({
    pattern: z.string().describe('A custom field target (`customFields.<key>`) matches this regular expression'),
    suggested: z.array(z.object({ key: z.string(), labelKey: z.string(), kind: z.enum(['text', 'number']) })),
  }),
  encodings: z.array(z.object({ key: z.string(), labelKey: z.string().nullable(), label: z.string().nullable() })),
  maxFileBytes: z.number().int(),
  inlineMaxRows: z.number().int().describe('Files up to this many rows are imported within the request'),
  scoring: z.object({
    fields: z.array(z.string()).describe('Lead fields a rule may test (besides `customFields.<key>`)'),
    operators: z.array(z.object({ key: z.enum(SCORING_OPERATORS), labelKey: z.string(), value: ValueKind })),
  }),
});
export type LeadImportSchemaDto = z.infer<typeof LeadImportSchemaDto>;

const KIND: Partial<Record<ImportField, z.infer<typeof FieldKind>>> = { email: 'email', phone: 'phone' };
const ENCODING_LABEL: Record<string, { labelKey: string | null; label: string | null }> = {
  auto: { labelKey: 'leadImport.encodingAuto', label: null },
  'utf-8': { labelKey: null, label: 'UTF-8' },
  gbk: { labelKey: null, label: 'GBK / GB18030' },
};

function build(): LeadImportSchemaDto {
  const scorable = new Set<string>(SCORING_FIELDS);
  const encodings = (LeadImportPreview.shape.encoding.unwrap() as z.ZodEnum).options as string[];
  return {
    fields: IMPORT_FIELDS.map((key) => ({
      key,
      labelKey: `field.${key}`,
      kind: KIND[key] ?? 'text',
      required: key === 'name',
      maxLength: stringSchema(key).maxLength,
      scorable: scorable.has(key),
    })),
    customFields: {
      pattern: CUSTOM_FIELD_TARGET.source,
      suggested: [{ key: EMPLOYEES_TARGET, labelKey: 'leadImport.employees', kind: 'number' }],
    },
    encodings: encodings.map((key) => ({ key, ...(ENCODING_LABEL[key] ?? { labelKey: null, label: key }) })),
    maxFileBytes: MAX_FILE_BYTES,
    inlineMaxRows: INLINE_MAX_ROWS,
    scoring: {
      fields: [...SCORING_FIELDS],
      operators: SCORING_OPERATORS.map((key) => ({
        key,
        labelKey: `leadScoring.op.${key}`,
        value: OPERATOR_VALUE[key] satisfies OperatorValue,
      })),
    },
  };
}

let cached: LeadImportSchemaDto | undefined;

/** The import and scoring schema; anyone who may read leads may read it (it holds no data). */
export function leadImportSchema(ctx: Ctx): LeadImportSchemaDto {
  assertCan(ctx.user, 'lead', 'read');
  return (cached ??= build());
}
