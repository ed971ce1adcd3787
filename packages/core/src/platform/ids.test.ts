import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newId } from './ids.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const value = (digits: string) => [...digits].reduce((v, c) => v * 32n + BigInt(ALPHABET.indexOf(c)), 0n);

describe('ids', () => {
  it('encode the millisecond, then count up by one within it, across every carry', () => {
    const ms = Date.UTC(2030, 0, 1);
    let prev = newId('t', ms);
    expect(prev).toMatch(/^t_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(value(prev.slice(2, 12))).toBe(BigInt(ms));
    for (let i = 0; i < 70_000; i++) {
      const id = newId('t', ms);
      expect(id.slice(0, 12)).toBe(prev.slice(0, 12));
      if (value(id.slice(12)) !== value(prev.slice(12)) + 1n && value(id.slice(12)) !== 0n)
        throw new Error(`${id} does not follow ${prev}`);
      prev = id;
    }
  });

  it('property: strictly increasing whatever the clock says (same, later or earlier milliseconds), any prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 300 }), (steps) => {
        let now = Date.UTC(2031, 0, 1);
        let prev = newId('x', now).slice(2);
        for (const s of steps) {
          now += s;
          const id = newId(s % 2 ? 'lead' : 'evt', now);
          const body = id.slice(id.indexOf('_') + 1);
          expect(body.length).toBe(26);
          expect(body > prev).toBe(true);
          prev = body;
        }
      }),
    );
  });
  it('a new millisecond draws fresh random digits, across refills of the random pool, every digit used at every place', () => {
    let ms = Date.UTC(2032, 0, 1);
    const parts = new Set<string>();
    const seen = Array.from({ length: 16 }, () => new Set<string>());
    // 2,000 ids × 16 bytes is several 4 KiB pools.
    for (let i = 0; i < 2_000; i++) {
      const r = newId('t', (ms += 1)).slice(12);
      parts.add(r);
      [...r].forEach((c, j) => seen[j]!.add(c));
    }
    expect(parts.size).toBe(2_000);
    for (const s of seen) expect(s.size).toBe(32);
  });
});
