import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '@openltc/db';
import * as core from '@openltc/core';
import { route } from '../http/route.ts';

/** The journal: chart of accounts, entries, the ERP export, trial balance and reconciliation. */
export function ledgerRoutes(app: FastifyInstance, h: DatabaseHandle): void {
  route(app, h, { method: 'GET', url: '/api/v1/ledger/accounts', tag: 'Ledger', summary: 'The chart of accounts of a legal entity: the account code and names each posting role goes to', query: core.ChartQuery, response: core.ChartDto, handler: ({ ctx, query }) => core.getChartOfAccounts(ctx, query) });
  route(app, h, { method: 'PUT', url: '/api/v1/ledger/accounts', tag: 'Ledger', summary: 'Map posting roles to other accounts (new postings use them; posted lines keep theirs)', body: core.ChartUpdate, response: core.ChartDto, handler: ({ ctx, body }) => core.updateChartOfAccounts(ctx, body) });
  route(app, h, { method: 'GET', url: '/api/v1/ledger/entries', tag: 'Ledger', summary: 'Journal entries with their lines, newest first; filters: date range, source document, account code', query: core.LedgerEntriesQuery, response: core.LedgerEntriesPage, handler: ({ ctx, query }) => core.listLedgerEntries(ctx, query) });
  route(app, h, {
    method: 'GET',
    url: '/api/v1/ledger/export',
    tag: 'Ledger',
    summary: 'Export journal lines for an ERP: CSV (RFC 4180, header row, decimal amounts) or JSON with the same fields',
    query: core.LedgerExportQuery,
    handler: async ({ ctx, query, reply }) => {
      const { format, rows } = await core.ledgerExportRows(ctx, query);
      const name = `journal-${query.from ?? 'start'}-${query.to ?? 'end'}`;
      if (format === 'json') return { columns: core.LEDGER_CSV_COLUMNS, rows };
      reply.header('content-disposition', `attachment; filename="${name}.csv"`);
      reply.type('text/csv; charset=utf-8');
      return core.ledgerCsv(rows);
    },
  });
  route(app, h, { method: 'GET', url: '/api/v1/ledger/trial-balance', tag: 'Ledger', summary: 'Trial balance as of a date: per currency and account, debits, credits and balance; total debits = total credits', query: core.TrialBalanceQuery, response: core.TrialBalanceDto, handler: ({ ctx, query }) => core.ledgerTrialBalance(ctx, query) });
  route(app, h, { method: 'GET', url: '/api/v1/ledger/reconciliation', tag: 'Ledger', summary: 'The journal against the reports: AR vs aging, revenue and VAT vs invoiced − credited, cash vs payments; differences are 0 when correct', query: core.ReconciliationQuery, response: core.ReconciliationDto, handler: ({ ctx, query }) => core.ledgerReconciliation(ctx, query) });
}
