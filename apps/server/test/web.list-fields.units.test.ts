// The web list's trimmed rows without a browser: which API fields a list's columns ask for, the leads
// list's request as the boot module starts it and the page asks for it, and the URL key under which
// the page finds the boot module's head start.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { listFields } from '../../web/src/lib/listFields.ts';
import { LEAD_COLUMNS, LEAD_LIST_FIELDS, leadListParams } from '../../web/src/pages/leads/leadList.ts';
import { queryString } from '../../web/src/api/client.ts';
import { dropPrefetched, prefetch, takePrefetched, urlKey } from '../../web/src/api/prefetch.ts';

describe('column → fields', () => {
  it("asks for each column's fields once, in column order, a column without fields by its key, then the extras", () => {
    expect(
      listFields(
        [
          { key: 'name' },
          { key: 'owner', fields: ['ownerId'] },
          { key: 'amount', fields: ['amountMinor', 'currency'] },
        ],
        ['currency', 'status'],
      ),
    ).toBe('name,ownerId,amountMinor,currency,status');
    expect(listFields([])).toBe('');
  });

  it('never repeats a name and never drops one (any columns)', () => {
    const name = fc.constantFrom('name', 'status', 'ownerId', 'amountMinor', 'currency', 'createdAt');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ key: name, fields: fc.option(fc.array(name, { maxLength: 3 }), { nil: undefined }) }),
        ),
        fc.array(name),
        (cols, extra) => {
          const out = listFields(cols, extra).split(',').filter(Boolean);
          expect(new Set(out).size).toBe(out.length);
          const wanted = new Set([...cols.flatMap((c) => c.fields ?? [c.key]), ...extra]);
          expect(new Set(out)).toEqual(wanted);
        },
      ),
    );
  });

  it("the leads list asks for its columns' fields: the owner column reads ownerId, nothing else comes", () => {
    expect(LEAD_LIST_FIELDS).toBe('name,company,email,phone,status,source,region,score,ownerId,createdAt');
    expect(LEAD_COLUMNS.find((c) => c.key === 'owner')!.fields).toEqual(['ownerId']);
    expect(LEAD_LIST_FIELDS.split(',')).not.toContain('notes');
  });
});

describe("the leads list's first request", () => {
  it('is the same URL whether the boot module builds it from the address or the page from its parameters', () => {
    const sp = new URLSearchParams('limit=1000&status=new&createdFrom=2026-01-01&view=x');
    const boot = `/api/v1/leads${queryString(leadListParams((k) => sp.get(k)))}`;
    // The page: its URL parameters in another order, the page's own cursor (none on the first page).
    const page = `/api/v1/leads${queryString({ ...leadListParams((k) => ({ status: 'new', createdFrom: '2026-01-01', limit: '1000' })[k]), cursor: undefined })}`;
    expect(urlKey(boot)).toBe(urlKey(page));
    expect(boot).toContain('sort=-createdAt');
    expect(boot).toContain(`fields=${encodeURIComponent(LEAD_LIST_FIELDS)}`);
    expect(boot).not.toContain('view=');
  });

  it('defaults: 25 rows, newest first; an unknown page size falls back to 25', () => {
    expect(leadListParams(() => undefined)).toMatchObject({
      limit: 25,
      sort: '-createdAt',
      fields: LEAD_LIST_FIELDS,
    });
    expect(leadListParams((k) => (k === 'limit' ? '777' : null)).limit).toBe(25);
  });

  it('a URL key ignores the order of the parameters but not their values', () => {
    expect(urlKey('/api/v1/leads?b=2&a=1')).toBe(urlKey('/api/v1/leads?a=1&b=2'));
    expect(urlKey('/api/v1/leads?a=1')).not.toBe(urlKey('/api/v1/leads?a=2'));
    expect(urlKey('/api/v1/leads')).not.toBe(urlKey('/api/v1/accounts'));
  });
});

describe('head starts (boot prefetch)', () => {
  const answer = (status: number) => (async () => new Response('{}', { status })) as unknown as typeof fetch;
  it('hands the answer over once, to the same URL in any parameter order', async () => {
    prefetch('/api/v1/leads?limit=1000&sort=-createdAt', answer(200));
    expect(await takePrefetched('/api/v1/leads?sort=-createdAt&limit=1000')).toBeInstanceOf(Response);
    expect(await takePrefetched('/api/v1/leads?sort=-createdAt&limit=1000')).toBeUndefined();
    expect(await takePrefetched('/api/v1/auth/me')).toBeUndefined();
  });

  it('does not hand over a 401, a failed request, or anything after a sign-in dropped them', async () => {
    prefetch('/api/v1/auth/me', answer(401));
    expect(await takePrefetched('/api/v1/auth/me')).toBeUndefined();
    prefetch('/api/v1/setup', (async () => Promise.reject(new TypeError('network'))) as unknown as typeof fetch);
    expect(await takePrefetched('/api/v1/setup')).toBeUndefined();
    prefetch('/api/v1/leads', answer(200));
    dropPrefetched();
    expect(await takePrefetched('/api/v1/leads')).toBeUndefined();
  });
});
