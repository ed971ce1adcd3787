import { ok, type TestApp, type TestUser } from '@openltc/testing';
import { setClock } from '@openltc/core';

/** The people and the customer the multi-currency tests work with: finance, operations, a viewer and a rep of a team. */
export interface FxCompany {
  fin: TestUser;
  ops: TestUser;
  viewer: TestUser;
  rep: TestUser;
  accountId: string;
}

export async function fxCompany(t: TestApp): Promise<FxCompany> {
  const east = await t.team('East 华东');
  const fin = await t.user('finance', null, 'Fin Qian');
  const ops = await t.user('operations', null, 'Ops Zhao');
  const viewer = await t.user('viewer', null, 'Viewer Zhou');
  const rep = await t.user('sales_rep', east, 'Rep Li');
  const accountId = (await ok(t.as(rep, 'POST', '/api/v1/accounts', { name: 'Pacific Trading Ltd 太平洋贸易' }), 201)).id;
  return { fin, ops, viewer, rep, accountId };
}

/** Noon in Shanghai on a business date (the clock stays there until the next call or setClock(null)). */
export const onBusinessDate = (date: string) => setClock(() => new Date(`${date}T04:00:00Z`));

/** Sets a dated rate as finance through the API. */
export const rateSetter = (t: TestApp, fin: TestUser) => (base: string, quote: string, rate: string, effectiveDate: string) =>
  ok(t.as(fin, 'PUT', '/api/v1/fx-rates', { base, quote, rate, effectiveDate, source: 'test' }));
