/**
 * How big each workload runs. `large` is the size the performance budget speaks of; `medium` is a
 * tenth, `small` a thousandth; `tiny` is for the smoke test that keeps the benchmarks from rotting.
 */
export type SizeName = 'tiny' | 'small' | 'medium' | 'large';

export interface Size {
  name: SizeName;
  /** W1: concurrent virtual users, cycles in all, and a time limit for the measured loop. */
  w1: { users: number; cycles: number; maxSeconds: number };
  /** W4 data set. */
  data: { leads: number; opportunities: number; invoices: number; events: number; teams: number; repsPerTeam: number };
  /** W4: timed repetitions of each list query. */
  repeats: number;
  /** W5: cycles of W1 load while the memory is sampled, and how long the server rests before. */
  w5Cycles: number;
  restMs: number;
  /** W3: billing schedule items the billing run invoices. */
  w3: { items: number };
  /** W2: rows of the lead import file. */
  w2: { rows: number };
  /** W6: demo company leads, rows the list is loaded to, measured repetitions of each page. */
  w6: { leads: number; rows: number; repeats: number };
}

export const SIZES: Record<SizeName, Size> = {
  tiny: {
    name: 'tiny',
    w3: { items: 40 },
    w1: { users: 1, cycles: 2, maxSeconds: 30 },
    data: { leads: 300, opportunities: 90, invoices: 60, events: 1500, teams: 3, repsPerTeam: 2 },
    repeats: 2,
    w5Cycles: 2,
    restMs: 200,
    w6: { leads: 120, rows: 100, repeats: 1 },
    w2: { rows: 500 },
  },
  small: {
    name: 'small',
    w3: { items: 2_000 },
    w1: { users: 4, cycles: 40, maxSeconds: 60 },
    data: { leads: 1_000, opportunities: 300, invoices: 200, events: 5_000, teams: 4, repsPerTeam: 4 },
    repeats: 20,
    w5Cycles: 40,
    restMs: 3000,
    w6: { leads: 1_000, rows: 1_000, repeats: 3 },
    w2: { rows: 10_000 },
  },
  medium: {
    name: 'medium',
    w3: { items: 20_000 },
    w1: { users: 8, cycles: 200, maxSeconds: 90 },
    data: { leads: 100_000, opportunities: 30_000, invoices: 20_000, events: 500_000, teams: 10, repsPerTeam: 8 },
    repeats: 40,
    w5Cycles: 100,
    restMs: 3000,
    w6: { leads: 10_000, rows: 10_000, repeats: 5 },
    w2: { rows: 100_000 },
  },
  large: {
    name: 'large',
    w3: { items: 200_000 },
    w1: { users: 8, cycles: 300, maxSeconds: 120 },
    data: { leads: 1_000_000, opportunities: 300_000, invoices: 200_000, events: 5_000_000, teams: 20, repsPerTeam: 10 },
    repeats: 40,
    w5Cycles: 150,
    restMs: 3000,
    w6: { leads: 10_000, rows: 10_000, repeats: 5 },
    w2: { rows: 1_000_000 },
  },
};
