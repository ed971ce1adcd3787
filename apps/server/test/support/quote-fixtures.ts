import { ok, type TestApp, type TestUser } from '@openltc/testing';

/** An account with an open opportunity, created over the API by `user` (so owned by them). */
export async function dealFor(t: TestApp, user: TestUser, name = '上海云启科技有限公司', currency = 'CNY') {
  const account = await ok(t.as(user, 'POST', '/api/v1/accounts', { name, currency }), 201);
  const opportunity = await ok(
    t.as(user, 'POST', '/api/v1/opportunities', { name: `${name} 项目`, accountId: account.id, amountMinor: 1_000_000, currency }),
    201,
  );
  return { account, opportunity };
}

let skuSeq = 0;
/** A catalog product created by a user allowed to (admin or operations). */
export async function product(t: TestApp, admin: TestUser, fields: Record<string, unknown> = {}) {
  skuSeq += 1;
  return ok(
    t.as(admin, 'POST', '/api/v1/products', {
      sku: `SKU-${skuSeq}-${Math.random().toString(36).slice(2, 7)}`,
      name: `Product ${skuSeq}`,
      kind: 'goods',
      unit: '台',
      listPriceMinor: 123_456,
      taxRate: '0.13',
      ...fields,
    }),
    201,
  );
}

/** Drives a quote with one line from draft to accepted: rep submits, manager approves, rep sends and accepts. */
export async function acceptedQuote(t: TestApp, rep: TestUser, manager: TestUser, opportunityId: string, productId: string) {
  const q = await ok(t.as(rep, 'POST', `/api/v1/opportunities/${opportunityId}/quotes`, { lines: [{ productId, quantity: '2' }] }), 201);
  await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/submit`, {}));
  await ok(t.as(manager, 'POST', `/api/v1/quotes/${q.id}/approve`, {}));
  await ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/send`, {}));
  return ok(t.as(rep, 'POST', `/api/v1/quotes/${q.id}/accept`, {}));
}
