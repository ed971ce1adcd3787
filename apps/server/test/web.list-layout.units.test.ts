// The column chooser's pure layout helpers (apps/web/src/lib/listLayout.ts), without a browser.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { layoutOfView, moveKey, orderedKeys } from '../../web/src/lib/listLayout.ts';

const keys = fc.uniqueArray(
  fc.constantFrom<string>('name', 'company', 'email', 'phone', 'status', 'source', 'owner', 'created'),
  { minLength: 1 },
);

describe('list column layout', () => {
  it('orders every column of the list exactly once: arranged keys first, new ones last, unknown ones dropped', () => {
    fc.assert(
      fc.property(
        keys,
        fc.uniqueArray(fc.constantFrom<string>('name', 'email', 'gone', 'owner', 'status')),
        (all, order) => {
          const out = orderedKeys(all, order);
          expect([...out].sort()).toEqual([...all].sort());
          const known = order.filter((k) => all.includes(k));
          expect(out.slice(0, known.length)).toEqual(known);
          expect(out.slice(known.length)).toEqual(all.filter((k) => !order.includes(k)));
        },
      ),
    );
    expect(orderedKeys(['name', 'company', 'email', 'region'], ['company', 'gone', 'name'])).toEqual([
      'company',
      'name',
      'email',
      'region',
    ]);
  });

  it('moves a key by one place, keeping the others; at the ends it stays', () => {
    fc.assert(
      fc.property(keys, fc.nat(), fc.constantFrom<-1 | 1>(-1, 1), (order, n, by) => {
        const key = order[n % order.length]!;
        const out = moveKey(order, key, by);
        expect([...out].sort()).toEqual([...order].sort());
        const i = order.indexOf(key);
        const j = i + by;
        if (j < 0 || j >= order.length) expect(out).toEqual(order);
        else {
          expect(out[j]).toBe(key);
          expect(out[i]).toBe(order[j]);
          expect(moveKey(out, key, by === 1 ? -1 : 1)).toEqual(order);
        }
      }),
    );
  });

  it('turns a saved view’s columns into the layout that shows exactly them, in their order', () => {
    fc.assert(
      fc.property(
        keys,
        fc.uniqueArray(fc.constantFrom<string>('name', 'company', 'email', 'gone')),
        (all, columns) => {
          const { order, hidden } = layoutOfView(all, columns);
          const shown = columns.filter((k) => all.includes(k));
          const visible = orderedKeys(all, order).filter((k) => !hidden.includes(k));
          expect(visible).toEqual(shown.length ? shown : all);
        },
      ),
    );
  });
});
