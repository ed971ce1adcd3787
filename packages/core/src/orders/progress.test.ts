import { describe, expect, it } from 'vitest';
import { orderProgress } from './progress.ts';

describe('order progress', () => {
  const lines = [
    { id: 'a', qtyMilli: 10_000, totalMinor: 90_000 },
    { id: 'b', qtyMilli: 1_000, totalMinor: 10_000 },
  ];

  it('weighs delivered lines by amount, not by count', () => {
    const p = orderProgress(100_000, lines, new Map([['b', 1_000]]), 0, 0);
    expect(p.deliveredPct).toBe(10);
    expect(orderProgress(100_000, lines, new Map([['a', 5_000]]), 0, 0).deliveredPct).toBe(45);
    expect(orderProgress(100_000, lines, new Map([['a', 10_000], ['b', 1_000]]), 0, 0).deliveredPct).toBe(100);
  });

  it('reports billed and paid shares of the order total with one decimal', () => {
    const p = orderProgress(300_000, [{ id: 'a', qtyMilli: 3_000, totalMinor: 300_000 }], new Map(), 100_000, 33_333);
    expect(p).toEqual({ deliveredPct: 0, billedMinor: 100_000, billedPct: 33.3, paidMinor: 33_333, paidPct: 11.1 });
  });

  it('falls back to quantities for a free order', () => {
    const free = [
      { id: 'a', qtyMilli: 3_000, totalMinor: 0 },
      { id: 'b', qtyMilli: 1_000, totalMinor: 0 },
    ];
    expect(orderProgress(0, free, new Map([['a', 1_000]]), 0, 0).deliveredPct).toBe(25);
  });
});
