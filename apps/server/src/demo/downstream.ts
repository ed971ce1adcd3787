import * as core from '@openltc/core';
import { formatQty, type Ctx } from '@openltc/core';
import type { Rand } from './random.ts';
import type { Cast, Sim } from './demo.ts';
import { seedPriceBooks, type DemoPriceBooks } from './price-books.ts';

/**
 * What 云栈科技 sells: hardware at 13 % VAT, software and services at 6 %. Revenue: hardware on
 * delivery (the server's standalone price is above its list price), yearly licences and support
 * ratably over 12 months, implementation days on customer acceptance, training and consulting on delivery.
 */
const PRODUCTS = [
  { sku: 'HW-SRV-R740', name: '边缘计算服务器 Edge Server R740', kind: 'goods', unit: '台', listPriceMinor: 8_600_000, sspMinor: 9_000_000, taxRate: '0.13' },
  { sku: 'HW-GW-100', name: '工业物联网网关 IoT Gateway G100', kind: 'goods', unit: '台', listPriceMinor: 480_000, taxRate: '0.13' },
  { sku: 'HW-SENSOR-8', name: '温湿度传感器套件 Sensor Kit (8 pcs)', kind: 'goods', unit: '套', listPriceMinor: 128_000, taxRate: '0.13' },
  { sku: 'HW-TAB-11', name: '车间平板终端 Shop-floor Tablet', kind: 'goods', unit: '台', listPriceMinor: 320_000, taxRate: '0.13' },
  { sku: 'SW-MES-STD', name: 'MES 制造执行系统 标准版 (年)', kind: 'digital', unit: '套·年', listPriceMinor: 18_000_000, revenueMethod: 'ratable', serviceMonths: 12, taxRate: '0.06' },
  { sku: 'SW-CRM-SEAT', name: 'CRM 用户许可 CRM Seat (year)', kind: 'digital', unit: '用户·年', listPriceMinor: 360_000, revenueMethod: 'ratable', serviceMonths: 12, taxRate: '0.06' },
  { sku: 'SW-BI-PRO', name: '数据分析平台 BI Pro (year)', kind: 'digital', unit: '套·年', listPriceMinor: 6_800_000, revenueMethod: 'ratable', serviceMonths: 12, taxRate: '0.06' },
  { sku: 'SV-IMPL-DAY', name: '实施服务 Implementation (day)', kind: 'service', unit: '人天', listPriceMinor: 250_000, revenueMethod: 'acceptance', taxRate: '0.06' },
  { sku: 'SV-TRAIN', name: '现场培训 On-site Training', kind: 'service', unit: '次', listPriceMinor: 1_500_000, revenueMethod: 'delivery', taxRate: '0.06' },
  { sku: 'SV-SUPPORT-GOLD', name: '金牌运维支持 Gold Support (year)', kind: 'service', unit: '年', listPriceMinor: 4_800_000, serviceMonths: 12, taxRate: '0.06' },
  { sku: 'SV-CONSULT', name: '数字化咨询 Digital Consulting (day)', kind: 'service', unit: '人天', listPriceMinor: 600_000, revenueMethod: 'delivery', taxRate: '0.06' },
  { sku: 'HW-CABLE-KIT', name: '布线与安装套件 Cabling Kit', kind: 'goods', unit: '套', listPriceMinor: 56_000, taxRate: '0.13' },
] as const;

export interface DemoCatalog {
  products: Array<{ id: string; kind: string; listPriceMinor: number }>;
  priceBooks: DemoPriceBooks;
}

export async function seedCatalog(sys: Ctx, _r: Rand): Promise<DemoCatalog> {
  const products: Array<DemoCatalog['products'][number] & { sku: string }> = [];
  for (const p of PRODUCTS) {
    const dto = await core.createProduct(sys, { ...p, currency: 'CNY', description: null });
    products.push({ id: dto.id, sku: p.sku, kind: p.kind, listPriceMinor: p.listPriceMinor });
  }
  return { products, priceBooks: await seedPriceBooks(sys, products) };
}

/** part × num / den of an amount in fen, rounded down, in integer arithmetic. */
const share = (minor: number, num: bigint, den: bigint) => Number(core.roundDiv(BigInt(minor) * num, den, 'down'));

const REJECT_REASONS = ['预算削减 Budget cut', '选择了竞品 Went with a competitor', '价格超出预期 Over budget'];
const DECLINE_REASONS = ['折扣过高，请重新报价 Discount too deep', '缺少实施服务 Add implementation days'];
const SIGNERS = ['张总 Zhang', '李总经理 GM Li', 'CFO Wang', '采购总监 Chen'];

function quoteLines(r: Rand, catalog: DemoCatalog) {
  const n = r.int(1, 4);
  const picked = new Set<number>();
  while (picked.size < n) picked.add(r.int(0, catalog.products.length - 1));
  return [...picked].map((i) => {
    const p = catalog.products[i]!;
    const qty = p.kind === 'service' ? r.int(2, 40) : p.listPriceMinor > 5_000_000 ? r.int(1, 3) : r.int(2, 60);
    return {
      productId: p.id,
      quantity: String(qty),
      ...(r.chance(0.4) ? { discountRate: r.pick(['0.05', '0.08', '0.1', '0.15']) } : {}),
    };
  });
}

/**
 * Quote → (contract) → order → deliveries → invoices → payments for one opportunity, as far as
 * its simulated time reaches today. Returns the opportunity's outcome so far.
 */
export async function runDownstream(
  sim: Sim,
  cast: Cast,
  opportunityId: string,
  outcome: 'won' | 'lost' | 'open',
  catalog: DemoCatalog,
): Promise<'won' | 'lost' | 'open'> {
  const { r } = sim;
  if (outcome === 'lost' && r.chance(0.4)) return 'lost'; // lost before any quote
  if (outcome === 'open' && r.chance(0.4)) return 'open';
  if (!sim.step(1, 7)) return 'open';
  let quote = await core.quoteOpportunity(cast.rep, opportunityId, { lines: quoteLines(r, catalog) });
  const openStop = outcome === 'open' ? r.weighted([['draft', 2], ['submitted', 1], ['approved', 1], ['sent', 3]] as const) : null;
  if (openStop === 'draft') return 'open';
  if (!sim.step(0, 2)) return 'open';
  quote = await core.transitionQuote(cast.rep, quote.id, 'submit');
  if (openStop === 'submitted' || !sim.step(0, 3)) return 'open';
  if (r.chance(0.2)) {
    // The manager sends it back; the rep revises under the same number.
    await core.transitionQuote(cast.manager, quote.id, 'decline', { reason: r.pick(DECLINE_REASONS) });
    if (!sim.step(0, 3)) return 'open';
    quote = await core.reviseQuote(cast.rep, quote.id, {});
    quote = await core.updateQuote(cast.rep, quote.id, { lines: quoteLines(r, catalog) }, quote.version);
    quote = await core.transitionQuote(cast.rep, quote.id, 'submit');
    if (!sim.step(0, 2)) return 'open';
  }
  quote = await core.transitionQuote(cast.manager, quote.id, 'approve');
  if (openStop === 'approved' || !sim.step(0, 2)) return 'open';
  quote = await core.transitionQuote(cast.rep, quote.id, 'send');
  if (openStop === 'sent') return 'open';
  if (!sim.step(1, 12)) return 'open';
  if (outcome === 'lost') {
    if (r.chance(0.7)) await core.transitionQuote(cast.rep, quote.id, 'reject', { reason: r.pick(REJECT_REASONS) });
    else await core.transitionQuote(cast.rep, quote.id, 'expire');
    return 'lost';
  }
  quote = await core.transitionQuote(cast.rep, quote.id, 'accept');
  // The deal is worth what the customer accepted (net of VAT), then it is won.
  const opp = await core.getOpportunity(cast.rep, opportunityId);
  await core.updateOpportunity(cast.rep, opportunityId, { amountMinor: quote.netMinor }, opp.version);
  await core.transitionOpportunity(cast.rep, opportunityId, 'win');

  // Contract for the bigger deals, then the order.
  let order;
  let contractId: string | null = null;
  let contractEnd: string | null = null;
  if (quote.totalMinor > 20_000_000 || r.chance(0.3)) {
    if (!sim.step(0, 3)) return 'won';
    const startDate = core.today();
    let contract = await core.contractFromQuote(cast.rep, quote.id, {
      startDate,
      endDate: core.addDays(startDate, r.pick([180, 270, 365])),
    });
    if (r.chance(0.04)) return 'won'; // still being drafted
    contract = await core.transitionContract(cast.rep, contract.id, 'submit');
    if (!sim.step(1, 5)) return 'won';
    contract = await core.transitionContract(cast.legal, contract.id, 'approve');
    if (!sim.step(1, 10)) return 'won';
    contract = await core.transitionContract(cast.rep, contract.id, 'sign', { signedBy: r.pick(SIGNERS) });
    if (r.chance(0.04) || !sim.step(0, 2)) return 'won'; // signed, not yet in force
    contract = await core.transitionContract(cast.rep, contract.id, 'activate');
    contractId = contract.id;
    contractEnd = contract.endDate;
    if (!sim.step(0, 3)) return 'won';
    order = await core.createOrderFromContract(cast.operations, contract.id, {});
  } else {
    if (!sim.step(0, 3)) return 'won';
    order = await core.createOrderFromQuote(cast.operations, quote.id, {});
  }
  if (!sim.step(0, 2)) return 'won';
  if (r.chance(0.03)) {
    await core.transitionOrder(cast.operations, order.id, 'cancel', { reason: '客户调整采购计划 Customer changed plans' });
    return 'won';
  }
  if (r.chance(0.12)) {
    // Finance gives a new customer a cautious credit limit, below this first order.
    const acc = await core.getAccount(cast.finance, order.accountId);
    await core.updateAccount(cast.finance, acc.id, { creditLimitMinor: share(order.totalMinor, 1n, 2_000_00n) * 1_000_00 }, acc.version);
  }
  order = await core.transitionOrder(cast.operations, order.id, 'confirm');
  // A customer with invoices long overdue (or over its credit limit) puts the order on credit hold;
  // operations mostly releases it after talking to finance; some orders are still waiting.
  if (order.status === 'on_hold') {
    if (r.chance(0.4) || !sim.step(1, 5)) return 'won';
    order = await core.transitionOrder(cast.operations, order.id, 'release', { reason: '财务确认客户已承诺付款 Finance confirmed a promise to pay' });
  }

  // Deliveries: goods often in two shipments; services in one go with acceptance.
  const remaining = new Map(order.lines.map((l) => [l.id, core.parseQty(l.orderedQty)]));
  const shipments = r.chance(0.45) ? 2 : 1;
  const deliveryIds: string[] = [];
  for (let s = 0; s < shipments; s++) {
    if (!sim.step(3, 20)) break;
    const lines = [...remaining.entries()]
      .filter(([, q]) => q > 0)
      .map(([orderLineId, q]) => {
        const part = s === shipments - 1 ? q : Math.max(1000, Math.floor(q / 2000) * 1000);
        remaining.set(orderLineId, q - part);
        return { orderLineId, quantity: formatQty(part) };
      });
    if (!lines.length) break;
    const d = await core.createDelivery(cast.operations, order.id, {
      lines,
      carrier: r.pick(['顺丰速运 SF Express', '京东物流 JD Logistics', '德邦 Deppon', null]),
      trackingNo: `SF${r.int(100000000, 999999999)}`,
    });
    deliveryIds.push(d.id);
    if (!sim.step(1, 4)) break;
    await core.transitionDelivery(cast.operations, d.id, 'deliver');
    if (r.chance(0.85) && sim.step(1, 7)) await core.transitionDelivery(cast.operations, d.id, 'accept', { acceptedBy: r.pick(SIGNERS) });
  }

  // Invoices: per delivery, or one for the whole order once delivered.
  const invoiceIds: string[] = [];
  const perDelivery = r.chance(0.5);
  if (perDelivery) {
    for (const d of deliveryIds) {
      if (!sim.step(0, 5)) break;
      const inv = await core.createInvoiceFromDelivery(cast.finance, d, {});
      invoiceIds.push((await core.issueInvoice(cast.finance, inv.id)).id);
    }
  } else if (deliveryIds.length && sim.step(0, 7)) {
    let inv = await core.createInvoiceFromOrder(cast.finance, order.id, {});
    if (r.chance(0.04)) {
      // A draft with the wrong terms, cancelled and made again (drafts carry no number, so no gap).
      await core.cancelInvoice(cast.finance, inv.id, {});
      inv = await core.createInvoiceFromOrder(cast.finance, order.id, { paymentTermsDays: 45 });
    }
    if (r.chance(0.06)) return 'won'; // invoice request still waiting for finance
    invoiceIds.push((await core.issueInvoice(cast.finance, inv.id)).id);
  }

  // Now and then a price allowance after delivery: a credit note for part of an invoice.
  for (const id of invoiceIds) {
    if (!r.chance(0.05) || !sim.step(1, 10)) continue;
    const inv = await core.getInvoice(cast.finance, id);
    await core.createCreditNote(cast.finance, id, {
      reason: '价格折让 Price allowance (minor defects)',
      amountMinor: Math.max(1, share(inv.totalMinor, 3n, 100n)),
      issue: true,
    });
  }

  // Payments: most customers pay within terms, some late, some in two parts, a few not yet.
  const accountId = order.accountId;
  for (const id of invoiceIds) {
    const behaviour = r.weighted([['on_time', 55], ['late', 20], ['partial', 12], ['unpaid', 13]] as const);
    if (behaviour === 'unpaid') continue;
    const inv = await core.getInvoice(cast.finance, id);
    if (inv.outstandingMinor <= 0) continue;
    const pay = async (amountMinor: number) => {
      const p = await core.createPayment(cast.finance, {
        accountId,
        amountMinor,
        currency: inv.currency,
        receivedOn: core.today(),
        method: r.weighted([['bank_transfer', 85], ['alipay', 5], ['wechat_pay', 4], ['other', 6]] as const),
        reference: `BANK-${r.int(10000000, 99999999)}`,
        allocations: [{ invoiceId: id, amountMinor }],
      });
      // Once in a while the bank returns a transfer (wrong account details) and it comes again later.
      if (r.chance(0.03) && sim.step(1, 3)) {
        await core.reversePayment(cast.finance, p.id, { reason: '银行退票 Returned by the bank' });
        if (sim.step(2, 10)) await pay(amountMinor);
      }
    };
    const [min, max] = behaviour === 'late' ? [35, 90] : [7, 30];
    if (!sim.step(min, max)) continue;
    if (behaviour === 'partial') {
      const first = share(inv.outstandingMinor, 3n, 10n);
      await pay(first);
      if (r.chance(0.6) && sim.step(10, 40)) await pay(inv.outstandingMinor - first);
    } else await pay(inv.outstandingMinor);
  }

  // Closing out: a fulfilled and fully billed order is closed; contracts run out or end early.
  const final = await core.getOrder(cast.operations, order.id);
  const fullyBilled = final.lines.every((l) => core.parseQty(l.billedQty) >= core.parseQty(l.orderedQty));
  if (final.allowedActions.includes('close') && fullyBilled && r.chance(0.8) && sim.step(1, 10))
    await core.transitionOrder(cast.operations, order.id, 'close');
  if (contractId && contractEnd) {
    if (r.chance(0.03) && sim.step(10, 60))
      await core.transitionContract(cast.legal, contractId, 'terminate', { reason: '客户经营调整 Customer restructuring' });
    else if (Date.parse(`${contractEnd}T12:00:00Z`) < sim.now && Date.parse(`${contractEnd}T12:00:00Z`) > sim.t) {
      sim.t = Date.parse(`${contractEnd}T12:00:00Z`);
      core.setClock(() => new Date(sim.t));
      await core.transitionContract(cast.legal, contractId, 'expire');
    }
  }
  return 'won';
}
