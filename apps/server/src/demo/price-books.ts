import * as core from '@openltc/core';
import type { Ctx } from '@openltc/core';

/**
 * The demo company's price books: the CNY list (the default book of CNY, so every demo quote is priced
 * from it and the quote builder shows it) with volume tiers on seats, graduated tiers on sensor kits,
 * gateways and implementation days; and a USD list for export customers (the default book of
 * USD, offered on USD quotes). Prices exclude VAT, as the catalogue's list prices do. Creating them
 * consumes no random numbers, so the rest of the demo stays as it was for a given seed.
 */
type Entry = { scheme: 'per_unit'; unitPriceMinor: number } | { scheme: 'graduated' | 'volume'; tiers: Array<{ upTo: string | null; unitPriceMinor: number }> };

/**
 * CNY entries by SKU (fen); products not named here are priced per unit at their list price. The first
 * band of every tiered entry is the list price and reaches beyond the quantities the demo's quotes ask
 * for, so the demo's amounts (and with them its random sequence) are those of the list prices; a user
 * quoting 100 seats or sensor kits sees the tiers at work.
 */
const CNY_TIERS: Record<string, Entry> = {
  // Seats: the whole order at the price of the band it reaches.
  'SW-CRM-SEAT': { scheme: 'volume', tiers: [{ upTo: '99', unitPriceMinor: 360_000 }, { upTo: '499', unitPriceMinor: 324_000 }, { upTo: null, unitPriceMinor: 288_000 }] },
  // Hardware in quantity: each unit at the price of its own band.
  'HW-SENSOR-8': { scheme: 'graduated', tiers: [{ upTo: '99', unitPriceMinor: 128_000 }, { upTo: '499', unitPriceMinor: 118_000 }, { upTo: null, unitPriceMinor: 108_000 }] },
  'HW-GW-100': { scheme: 'graduated', tiers: [{ upTo: '99', unitPriceMinor: 480_000 }, { upTo: null, unitPriceMinor: 440_000 }] },
  // Implementation days: beyond 49 days at a project rate.
  'SV-IMPL-DAY': { scheme: 'graduated', tiers: [{ upTo: '49', unitPriceMinor: 250_000 }, { upTo: null, unitPriceMinor: 225_000 }] },
};

/** USD prices (cents) by SKU: the CNY list price converted at about 7.1 and rounded to a price point. */
const USD_PRICES: Record<string, number> = {
  'HW-SRV-R740': 1_219_000,
  'HW-GW-100': 67_900,
  'HW-SENSOR-8': 17_900,
  'HW-TAB-11': 44_900,
  'SW-MES-STD': 2_549_000,
  'SW-CRM-SEAT': 49_900,
  'SW-BI-PRO': 959_000,
  'SV-IMPL-DAY': 35_000,
  'SV-TRAIN': 211_000,
  'SV-SUPPORT-GOLD': 679_000,
  'SV-CONSULT': 84_900,
  'HW-CABLE-KIT': 7_900,
};

export interface DemoPriceBooks {
  cny: string;
  usd: string;
}

export async function seedPriceBooks(sys: Ctx, products: ReadonlyArray<{ id: string; sku: string; listPriceMinor: number }>): Promise<DemoPriceBooks> {
  const cny = await core.createPriceBook(sys, {
    name: '2026 标准价目表 Standard list (CNY)',
    currency: 'CNY',
    isDefault: true,
    entries: products.map((p) => ({ productId: p.id, ...(CNY_TIERS[p.sku] ?? { scheme: 'per_unit' as const, unitPriceMinor: p.listPriceMinor }) })),
  });
  const usd = await core.createPriceBook(sys, {
    name: 'Export list 2026 (USD)',
    currency: 'USD',
    isDefault: true,
    entries: products
      .filter((p) => USD_PRICES[p.sku] !== undefined)
      .map((p) => (p.sku === 'SW-CRM-SEAT' ? { productId: p.id, scheme: 'volume' as const, tiers: [{ upTo: '99', unitPriceMinor: 49_900 }, { upTo: null, unitPriceMinor: 44_900 }] } : { productId: p.id, scheme: 'per_unit' as const, unitPriceMinor: USD_PRICES[p.sku]! })),
  });
  return { cny: cny.id, usd: usd.id };
}
