import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkRuleValue, clampScore, ruleMatches, scoreLead, type ScoringRule } from './scoring.ts';

const rule = (over: Partial<ScoringRule>): ScoringRule => ({
  id: over.id ?? 'lsr_1',
  name: over.name ?? 'rule',
  field: 'source',
  operator: 'eq',
  value: null,
  points: 10,
  active: true,
  ...over,
});

describe('scoring rules', () => {
  const rules: ScoringRule[] = [
    rule({ id: 'r1', name: '展会来源', field: 'source', operator: 'eq', value: '展会', points: 20 }),
    rule({
      id: 'r2',
      name: 'Target industry',
      field: 'industry',
      operator: 'in',
      value: ['制造业', 'Software'],
      points: 10,
    }),
    rule({ id: 'r3', name: 'Has email', field: 'email', operator: 'present', points: 5 }),
    rule({
      id: 'r4',
      name: 'Big company',
      field: 'customFields.employees',
      operator: 'gte',
      value: 500,
      points: 15,
    }),
  ];

  it('adds the points of the matching rules and names them as reasons, in rule order', () => {
    const r = scoreLead(rules, {
      source: '展会',
      industry: 'software',
      email: 'a@b.cn',
      customFields: { employees: '1,200' },
    });
    expect(r.score).toBe(50);
    expect(r.reasons.map((x) => x.ruleId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(
      scoreLead(rules, { source: '官网', industry: null, email: '', customFields: { employees: 499 } }),
    ).toEqual({ score: 0, reasons: [] });
  });

  it('compares text the way people type it: trimmed, any case, full-width folded', () => {
    expect(ruleMatches(rules[1]!, { industry: '  SOFTWARE ' })).toBe(true);
    expect(
      ruleMatches(rule({ field: 'source', operator: 'eq', value: 'Expo' }), { source: 'ｅｘｐｏ' }),
    ).toBe(true);
    expect(ruleMatches(rules[3]!, { customFields: { employees: '５００' } })).toBe(true);
    expect(ruleMatches(rules[3]!, { customFields: { employees: 'many' } })).toBe(false);
    expect(
      ruleMatches(rule({ field: 'company', operator: 'contains', value: '科技' }), {
        company: '云栈科技有限公司',
      }),
    ).toBe(true);
    expect(
      ruleMatches(rule({ field: 'region', operator: 'not_in', value: ['华东'] }), { region: null }),
    ).toBe(true);
    expect(ruleMatches(rule({ field: 'region', operator: 'absent' }), { region: '  ' })).toBe(true);
  });

  it('never lets an inactive rule count', () => {
    expect(scoreLead([rule({ operator: 'present', active: false })], { source: 'x' }).score).toBe(0);
  });

  it('clamps the sum to 0–100', () => {
    expect(
      scoreLead(
        [
          rule({ operator: 'present', points: 80 }),
          rule({ id: 'b', field: 'name', operator: 'present', points: 80 }),
        ],
        { source: 'x', name: 'y' },
      ).score,
    ).toBe(100);
    expect(scoreLead([rule({ operator: 'present', points: -30 })], { source: 'x' })).toEqual({
      score: 0,
      reasons: [{ ruleId: 'lsr_1', name: 'rule', points: -30 }],
    });
  });

  it('checks that each operator gets the value it needs', () => {
    expect(checkRuleValue('present', null)).toBeNull();
    expect(checkRuleValue('present', 'x')).not.toBeNull();
    expect(checkRuleValue('in', [])).not.toBeNull();
    expect(checkRuleValue('in', ['a'])).toBeNull();
    expect(checkRuleValue('gte', 'ten')).not.toBeNull();
    expect(checkRuleValue('gte', '10')).toBeNull();
    expect(checkRuleValue('eq', '')).not.toBeNull();
  });

  it('property: score = Σ points of the matching rules, clamped to 0–100; reasons are exactly those rules', () => {
    const values = fc.constantFrom('展会', 'web', 'Expo', '', null, '500', '12', '制造业');
    const arbRule = fc.record({
      id: fc.uuid(),
      name: fc.string(),
      field: fc.constantFrom('source', 'industry', 'email', 'customFields.employees'),
      operator: fc.constantFrom(
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
      ),
      value: fc.oneof(
        values,
        fc.array(fc.constantFrom('展会', 'web', '制造业'), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1000 }),
      ),
      points: fc.integer({ min: -100, max: 100 }),
      active: fc.boolean(),
    }) as fc.Arbitrary<ScoringRule>;
    const arbLead = fc.record({
      source: values,
      industry: values,
      email: values,
      customFields: fc.record({ employees: values }),
    });
    fc.assert(
      fc.property(fc.array(arbRule, { maxLength: 12 }), arbLead, (rs, lead) => {
        const res = scoreLead(rs, lead);
        const matching = rs.filter((r) => ruleMatches(r, lead));
        const sum = matching.reduce((s, r) => s + r.points, 0);
        expect(res.score).toBe(Math.min(100, Math.max(0, sum)));
        expect(res.score).toBe(clampScore(res.reasons.reduce((s, r) => s + r.points, 0)));
        expect(res.reasons.map((r) => r.ruleId)).toEqual(matching.map((r) => r.id));
        expect(res.reasons.every((r) => rs.find((x) => x.id === r.ruleId)!.active)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
