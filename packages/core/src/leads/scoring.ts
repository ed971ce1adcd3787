import { z } from 'zod';

/**
 * Lead scoring by rules an administrator configures: each rule is a condition on one lead field and
 * the points it adds (or takes away). A lead's score is the sum of the points of the rules it
 * matches, clamped to 0–100; the matching rules are kept as the reasons. Pure: no I/O, so the same
 * evaluator serves create, update, import and the rule editor's preview.
 */
export const SCORING_FIELDS = [
  'name',
  'company',
  'title',
  'email',
  'phone',
  'region',
  'industry',
  'source',
  'campaign',
] as const;
export const SCORING_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'present',
  'absent',
  'gte',
  'gt',
  'lte',
  'lt',
] as const;
export type ScoringOperator = (typeof SCORING_OPERATORS)[number];

/** What value each operator compares with: none, a list of texts, a number, or one text (or number). */
export type OperatorValue = 'none' | 'list' | 'number' | 'text';
export const OPERATOR_VALUE: Readonly<Record<ScoringOperator, OperatorValue>> = {
  eq: 'text',
  neq: 'text',
  in: 'list',
  not_in: 'list',
  contains: 'text',
  present: 'none',
  absent: 'none',
  gte: 'number',
  gt: 'number',
  lte: 'number',
  lt: 'number',
};

/** A custom field as a scoring or import target: `customFields.<key>`, the key of letters, digits, _, - or CJK. */
export const CUSTOM_FIELD_TARGET = /^customFields\.[\w\u4e00-\u9fff-]{1,60}$/;

export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

/** A field a rule may test: a lead field, or a custom field as `customFields.<key>`. */
export const scoringField = z
  .string()
  .trim()
  .refine(
    (f) =>
      (SCORING_FIELDS as readonly string[]).includes(f) || CUSTOM_FIELD_TARGET.test(f),
    {
      message: `one of ${SCORING_FIELDS.join(', ')} or customFields.<key>`,
    },
  );

export type RuleValue = string | number | string[] | null;

export interface ScoringRule {
  id: string;
  name: string;
  field: string;
  operator: ScoringOperator;
  value: RuleValue;
  points: number;
  active: boolean;
}

export interface ScoreReason {
  ruleId: string;
  name: string;
  points: number;
}

export interface ScoreResult {
  score: number;
  reasons: ScoreReason[];
}

/** What a rule can look at: the lead's fields and its custom fields. */
export interface ScorableLead {
  [field: string]: unknown;
  customFields?: Record<string, unknown> | null | undefined;
}

/** ASCII and CJK unified ideographs only: text NFKC leaves as it is (the common case, checked cheaply). */
const NFKC_STABLE = /^[\t\n\r -~\u4e00-\u9fff]*$/;

/** Unicode NFKC (full-width letters and digits folded), skipped where it cannot change the text. */
export function nfkc(s: string): string {
  return NFKC_STABLE.test(s) ? s : s.normalize('NFKC');
}

/** Text as people type it: full-width forms folded (NFKC), trimmed, case-insensitive. */
export function normText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return nfkc(String(v)).trim().toLowerCase();
}

/** A rule's value normalized once, not once per lead (imports score many leads with the same rules). */
interface Prepared {
  text: string;
  set: Set<string> | null;
  limit: number | null;
}
const prepared = new WeakMap<ScoringRule, Prepared>();
function prep(rule: ScoringRule): Prepared {
  let p = prepared.get(rule);
  if (!p) {
    const v = rule.value;
    p = {
      text: normText(Array.isArray(v) ? null : v),
      set: Array.isArray(v) ? new Set(v.map(normText)) : null,
      limit: toNumber(v),
    };
    prepared.set(rule, p);
  }
  return p;
}

/** A number from a cell such as "1,200", "１２００" or 500; null when it is not one. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = nfkc(v).trim().replace(/[,\s]/g, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

function fieldValue(lead: ScorableLead, field: string): unknown {
  if (field.startsWith('customFields.')) return lead.customFields?.[field.slice('customFields.'.length)];
  return lead[field];
}

/** Whether one rule's condition holds for the lead (inactive rules never match). */
export function ruleMatches(rule: ScoringRule, lead: ScorableLead): boolean {
  if (!rule.active) return false;
  const raw = fieldValue(lead, rule.field);
  const text = normText(raw);
  const v = prep(rule);
  switch (rule.operator) {
    case 'present':
      return text !== '';
    case 'absent':
      return text === '';
    case 'eq':
      return text !== '' && text === v.text;
    case 'neq':
      return text !== v.text;
    case 'contains':
      return text !== '' && v.text !== '' && text.includes(v.text);
    case 'in':
      return text !== '' && v.set !== null && v.set.has(text);
    case 'not_in':
      return v.set !== null && !v.set.has(text);
    case 'gte':
    case 'gt':
    case 'lte':
    case 'lt': {
      const n = toNumber(raw);
      const limit = v.limit;
      if (n === null || limit === null) return false;
      return rule.operator === 'gte'
        ? n >= limit
        : rule.operator === 'gt'
          ? n > limit
          : rule.operator === 'lte'
            ? n <= limit
            : n < limit;
    }
  }
}

export function clampScore(n: number): number {
  return Math.min(SCORE_MAX, Math.max(SCORE_MIN, Math.round(n)));
}

/** The score of a lead under the rules (in their order) and the rules that gave it. */
export function scoreLead(rules: readonly ScoringRule[], lead: ScorableLead): ScoreResult {
  const reasons: ScoreReason[] = [];
  let sum = 0;
  for (const r of rules) {
    if (!ruleMatches(r, lead)) continue;
    sum += r.points;
    reasons.push({ ruleId: r.id, name: r.name, points: r.points });
  }
  return { score: clampScore(sum), reasons };
}

/** A score with its reasons as stored (`leads.score_reasons`), shared by every lead that matched the same rules. */
export interface CompiledScore extends ScoreResult {
  reasonsJson: string;
}

/**
 * The rules compiled once into one function, for scoring many leads with the same rules (an import):
 * each rule's value normalized and its operator chosen ahead, inactive rules dropped, and the result
 * of each combination of matched rules built once (the returned objects are shared: read only).
 * Gives the same score and reasons as `scoreLead` for every lead.
 */
export function compileScoring(rules: readonly ScoringRule[]): (lead: ScorableLead) => CompiledScore {
  const active = rules.filter((r) => r.active);
  const tests = active.map(compileRule);
  const reasons = active.map((r) => Object.freeze({ ruleId: r.id, name: r.name, points: r.points }));
  const build = (matched: number[]): CompiledScore => {
    const rs = matched.map((i) => reasons[i]!);
    return Object.freeze({
      score: clampScore(matched.reduce((sum, i) => sum + active[i]!.points, 0)),
      reasons: rs,
      reasonsJson: JSON.stringify(rs),
    });
  };
  if (active.length > 30) {
    return (lead) => {
      const matched: number[] = [];
      for (let i = 0; i < tests.length; i++) if (tests[i]!(lead)) matched.push(i);
      return build(matched);
    };
  }
  const byMask = new Map<number, CompiledScore>();
  return (lead) => {
    let mask = 0;
    for (let i = 0; i < tests.length; i++) if (tests[i]!(lead)) mask |= 1 << i;
    let r = byMask.get(mask);
    if (!r) {
      const matched: number[] = [];
      for (let i = 0; i < tests.length; i++) if (mask & (1 << i)) matched.push(i);
      r = build(matched);
      byMask.set(mask, r);
    }
    return r;
  };
}

/** One active rule as a test of a lead, the same condition as `ruleMatches`. */
function compileRule(rule: ScoringRule): (lead: ScorableLead) => boolean {
  const custom = rule.field.startsWith('customFields.') ? rule.field.slice('customFields.'.length) : null;
  const field = rule.field;
  const get = custom !== null ? (l: ScorableLead) => l.customFields?.[custom] : (l: ScorableLead) => l[field];
  const v = prep(rule);
  const text = v.text;
  const set = v.set;
  const limit = v.limit;
  switch (rule.operator) {
    case 'present':
      return (l) => normText(get(l)) !== '';
    case 'absent':
      return (l) => normText(get(l)) === '';
    case 'eq':
      return (l) => {
        const t = normText(get(l));
        return t !== '' && t === text;
      };
    case 'neq':
      return (l) => normText(get(l)) !== text;
    case 'contains':
      if (text === '') return () => false;
      return (l) => {
        const t = normText(get(l));
        return t !== '' && t.includes(text);
      };
    case 'in':
      if (set === null) return () => false;
      return (l) => {
        const t = normText(get(l));
        return t !== '' && set.has(t);
      };
    case 'not_in':
      if (set === null) return () => false;
      return (l) => !set.has(normText(get(l)));
    case 'gte':
    case 'gt':
    case 'lte':
    case 'lt': {
      if (limit === null) return () => false;
      const op = rule.operator;
      return (l) => {
        const n = toNumber(get(l));
        if (n === null) return false;
        return op === 'gte' ? n >= limit : op === 'gt' ? n > limit : op === 'lte' ? n <= limit : n < limit;
      };
    }
  }
}

/** The value a rule's operator needs, or the reason it is wrong. */
export function checkRuleValue(operator: ScoringOperator, value: RuleValue): string | null {
  switch (OPERATOR_VALUE[operator]) {
    case 'none':
      return value === null || value === undefined ? null : 'present and absent take no value';
    case 'list':
      return Array.isArray(value) &&
        value.length > 0 &&
        value.every((x) => typeof x === 'string' && x.trim() !== '')
        ? null
        : 'a non-empty list of values';
    case 'number':
      return toNumber(value) === null ? 'a number' : null;
    default:
      return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number'
        ? null
        : 'a value to compare with';
  }
}
