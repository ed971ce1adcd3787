export { LEDGER_ROLES, DEFAULT_LEDGER_ACCOUNTS, ChartQuery, ChartUpdate, ChartDto, getChartOfAccounts, updateChartOfAccounts, chartFor, type LedgerRole, type LedgerChart } from './chart.ts';
export { writeEntry, postInvoiceJournal, postCreditNoteJournal, postPaymentJournal, rebuildJournal, type RebuildResult, type EntryDraft, type SourceType } from './posting.ts';
export * from './reports.ts';
export { postRevenuePeriod, rebuildRevenueJournal, billsIntoDeferredRevenue } from './revenue-posting.ts';
export { postInvoiceJournals, invoiceDrafts, buildEntries, writeEntries, postingLookups, type PostingLookups } from './batch-posting.ts';
