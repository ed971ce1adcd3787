import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SCORING_OPERATORS, compileScoring, scoreLead, type ScoringRule } from './scoring.ts';

/** The compiled scorer an import uses gives exactly what the interpreted one gives, lead by lead. */
describe('compiled scoring rules', () => {
  const values = fc.constantFrom(
    '展会',
    ' 展会 ',
    'web',
    'WEB',
    'Expo',
    '',
    null,
    '500',
    '１２００',
    '1,200',
    '12',
    '制造业',
    'ＡＢＣ',
  );
  const arbRule = fc.record({
    id: fc.uuid(),
    name: fc.string(),
    field: fc.constantFrom(
      'source',
      'industry',
      'email',
      'name',
      'customFields.employees',
      'customFields.级别',
    ),
    operator: fc.constantFrom(...SCORING_OPERATORS),
    value: fc.oneof(
      values,
      fc.array(fc.constantFrom('展会', 'web', '制造业', 'abc'), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: -10, max: 2000 }),
      fc.double({ min: -10, max: 2000, noNaN: true }),
    ),
    points: fc.integer({ min: -100, max: 100 }),
    active: fc.boolean(),
  }) as fc.Arbitrary<ScoringRule>;
  const arbLead = fc.record(
    {
      name: values,
      source: values,
      industry: values,
      email: values,
      customFields: fc.option(fc.record({ employees: fc.oneof(values, fc.integer()), 级别: values }), {
        nil: undefined,
      }),
    },
    { requiredKeys: ['name'] },
  );

  it('property: the same score, reasons and stored reasons JSON as scoreLead, for any rules and leads', () => {
    fc.assert(
      fc.property(
        fc.array(arbRule, { maxLength: 40 }),
        fc.array(arbLead, { minLength: 1, maxLength: 20 }),
        (rules, leads) => {
          const score = compileScoring(rules);
          for (const lead of leads) {
            const want = scoreLead(rules, lead);
            const got = score(lead);
            expect(got.score).toBe(want.score);
            expect(got.reasons).toEqual(want.reasons);
            expect(got.reasonsJson).toBe(JSON.stringify(want.reasons));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores a lead as the rules stood when compiled, and shares the result of the same matches', () => {
    const rules: ScoringRule[] = [
      {
        id: 'r1',
        name: '展会 +20',
        field: 'source',
        operator: 'eq',
        value: '展会',
        points: 20,
        active: true,
      },
      { id: 'r2', name: 'off', field: 'source', operator: 'present', value: null, points: 50, active: false },
      {
        id: 'r3',
        name: '≥ 500 +15',
        field: 'customFields.employees',
        operator: 'gte',
        value: 500,
        points: 15,
        active: true,
      },
    ];
    const score = compileScoring(rules);
    const a = score({ name: 'a', source: '展会', customFields: { employees: '１,２００' } });
    expect(a).toMatchObject({
      score: 35,
      reasonsJson: JSON.stringify([
        { ruleId: 'r1', name: '展会 +20', points: 20 },
        { ruleId: 'r3', name: '≥ 500 +15', points: 15 },
      ]),
    });
    expect(score({ name: 'b', source: ' 展会', customFields: { employees: 800 } })).toBe(a);
    expect(score({ name: 'c' })).toMatchObject({ score: 0, reasons: [], reasonsJson: '[]' });
  });
});
