import { CUSTOM_FIELD_TARGET, nfkc } from '../scoring.ts';

/**
 * Which lead field each column of an import file fills, guessed from the header in Chinese or
 * English (editable by the user), and the normalized keys duplicates are found by.
 */
export const IMPORT_FIELDS = [
  'name',
  'company',
  'title',
  'email',
  'phone',
  'region',
  'industry',
  'source',
  'campaign',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** A column fills a lead field, a custom field (`customFields.<key>`), or nothing (null). */
export type ImportTarget = ImportField | `customFields.${string}`;

const SYNONYMS: Record<ImportField, string[]> = {
  name: [
    '姓名',
    '名字',
    '联系人',
    '联系人姓名',
    '客户姓名',
    'name',
    'full name',
    'fullname',
    'contact',
    'contact name',
    'lead name',
    'person',
  ],
  company: [
    '公司',
    '公司名称',
    '单位',
    '企业',
    '企业名称',
    '客户名称',
    '客户',
    '工作单位',
    'company',
    'company name',
    'organization',
    'organisation',
    'account',
    'account name',
  ],
  title: ['职位', '职务', '头衔', 'title', 'job title', 'position', 'role'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'email address', 'mail'],
  phone: [
    '手机',
    '手机号',
    '手机号码',
    '电话',
    '联系电话',
    '电话号码',
    '移动电话',
    'phone',
    'mobile',
    'mobile phone',
    'phone number',
    'tel',
    'telephone',
    'cell',
  ],
  region: [
    '地区',
    '区域',
    '省份',
    '城市',
    '所在地',
    'region',
    'area',
    'province',
    'city',
    'territory',
    'location',
  ],
  industry: ['行业', '所属行业', 'industry', 'sector', 'vertical'],
  source: ['来源', '线索来源', '渠道', 'source', 'lead source', 'channel'],
  campaign: ['活动', '市场活动', '营销活动', 'campaign', 'utm campaign', 'utm_campaign'],
  notes: ['备注', '说明', '描述', 'notes', 'note', 'remarks', 'comments', 'description'],
};
/** The custom field head-count columns are mapped to (a suggested target of the import page). */
export const EMPLOYEES_TARGET = 'customFields.employees';
/** Headers that usually mean a company's head count: mapped to the custom field `employees`. */
const EMPLOYEES = [
  '公司规模',
  '员工数',
  '员工人数',
  '人数',
  '规模',
  'company size',
  'employees',
  'employee count',
  'headcount',
  'staff',
];

function headerKey(h: string): string {
  return h
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_*:：()（）]+/g, ' ')
    .trim();
}

const LOOKUP = new Map<string, ImportTarget>();
for (const [field, words] of Object.entries(SYNONYMS))
  for (const w of words) LOOKUP.set(headerKey(w), field as ImportField);
for (const w of EMPLOYEES) LOOKUP.set(headerKey(w), EMPLOYEES_TARGET);

/** The target a header most likely means, or null when it is not recognized. */
export function guessTarget(header: string): ImportTarget | null {
  return LOOKUP.get(headerKey(header)) ?? null;
}

/** Guesses a target for every header; a field is given to its first column only. */
export function autoMapping(headers: readonly string[]): Record<string, ImportTarget | null> {
  const used = new Set<string>();
  const out: Record<string, ImportTarget | null> = {};
  for (const h of headers) {
    const t = guessTarget(h);
    out[h] = t && !used.has(t) ? t : null;
    if (t) used.add(t);
  }
  return out;
}

export function isImportTarget(t: string): t is ImportTarget {
  return (
    (IMPORT_FIELDS as readonly string[]).includes(t) || CUSTOM_FIELD_TARGET.test(t)
  );
}

// --- Dedupe keys -------------------------------------------------------------------------------

/** An email as compared: trimmed, lower case; null when empty. */
export function emailKey(v: string | null | undefined): string | null {
  const s = v ? nfkc(v).trim().toLowerCase() : undefined;
  return s ? s : null;
}

/**
 * A phone as compared: digits only, without the China country code (+86, 0086, 86 before an
 * 11-digit mobile number); null when fewer than 5 digits remain.
 */
export function phoneKey(v: string | null | undefined): string | null {
  if (!v) return null;
  let d = nfkc(v).replace(/\D/g, '');
  if (d.startsWith('0086')) d = d.slice(4);
  else if (d.startsWith('86') && d.length === 13) d = d.slice(2);
  return d.length >= 5 ? d : null;
}

const LEGAL_SUFFIX_WORDS = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团公司',
  '集团',
  '公司',
  'co ltd',
  'co., ltd.',
  'company limited',
  'limited',
  'ltd',
  'inc',
  'llc',
  'corp',
  'corporation',
  'gmbh',
];

/**
 * A company name as compared: full-width folded, lower case, without punctuation, spaces and the
 * legal form (有限公司, Co., Ltd., Inc.), so "云栈科技有限公司" and "云栈科技（有限公司）" match.
 */
const LEGAL_SUFFIXES = LEGAL_SUFFIX_WORDS.map((suf) => {
  const k = suf.replace(/[.,]/g, '').trim();
  // Latin forms only as a whole word ("zinc" keeps its "inc").
  return { k, latin: /^[a-z ]+$/.test(k) };
});

export function companyKey(v: string | null | undefined): string | null {
  if (!v) return null;
  let s = nfkc(v)
    .toLowerCase()
    .replace(/[\s.,()（）【】[\]"'·&\-_/]+/g, ' ')
    .trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const { k, latin } of LEGAL_SUFFIXES) {
      const ok = latin ? s.endsWith(` ${k}`) : s.endsWith(k) && s.length > k.length;
      if (ok) {
        s = s.slice(0, -k.length).trim();
        changed = true;
      }
    }
  }
  s = s.replace(/\s+/g, '');
  return s || null;
}

/** A person's name as compared: folded, lower case, no spaces. */
export function nameKey(v: string | null | undefined): string | null {
  const s = v ? nfkc(v).toLowerCase().replace(/\s+/g, '') : undefined;
  return s ? s : null;
}

export type MatchedOn = 'email' | 'phone' | 'company';

/**
 * The keys a lead is found by: its email, its phone, and its company together with the person's
 * name (two people of one company are two leads; the same person at the same company is one).
 */
export function dedupeKeys(l: {
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  name?: string | null;
}): Array<[MatchedOn, string]> {
  const out: Array<[MatchedOn, string]> = [];
  const e = emailKey(l.email);
  if (e) out.push(['email', `e:${e}`]);
  const p = phoneKey(l.phone);
  if (p) out.push(['phone', `p:${p}`]);
  const c = companyKey(l.company);
  const n = nameKey(l.name);
  if (c && n) out.push(['company', `c:${c}|${n}`]);
  return out;
}
