/**
 * Row types of every table, in camelCase (the CamelCasePlugin maps them to snake_case columns).
 * Money columns are integer minor units (fen for CNY); quantities are integer thousandths (`qtyMilli`);
 * rates are exact decimal strings ("0.13"). JSON columns are stored as text.
 */
export interface LegalEntityTable {
  id: string;
  name: string;
  country: string;
  currency: string;
  timezone: string;
  roundingMode: string;
  taxId: string | null;
  createdAt: string;
  /** 'line' (default) or 'document': where tax is rounded (migration 005). */
  taxRounding?: string;
}
export interface TeamTable {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}
export interface UserTable {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: string;
  teamId: string | null;
  locale: string;
  active: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface ApiTokenTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
/** A single row (id 1): bumped by triggers on every change to users, teams and API tokens (migration 016). */
export interface AuthVersionTable {
  id: number;
  n: number;
}
export interface SessionTable {
  sid: string;
  data: string;
  expiresAt: string;
}
/** Columns every owned business document has: who owns it and which team scopes it. */
interface Owned {
  ownerId: string | null;
  teamId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  version: number;
}
export interface LeadTable extends Owned {
  id: string;
  name: string;
  company: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  region: string | null;
  industry: string | null;
  source: string | null;
  campaign: string | null;
  status: string;
  disqualifyReason: string | null;
  score: number;
  notes: string | null;
  customFields: string;
  convertedAccountId: string | null;
  convertedContactId: string | null;
  convertedOpportunityId: string | null;
  convertedAt: string | null;
  /** JSON array of the scoring rules the lead matched: [{ruleId, name, points}]. */
  scoreReasons: string;
  /** Set on leads created by an import: the batch and the row of the file (unique together). */
  importBatchId: string | null;
  importRowNo: number | null;
  /** Last touched: the latest activity logged on the lead (kept by the activities domain). */
  lastActivityAt?: string | null;
}
export interface AccountTable extends Owned {
  id: string;
  name: string;
  industry: string | null;
  region: string | null;
  taxId: string | null;
  address: string | null;
  website: string | null;
  currency: string;
  creditLimitMinor: number | null;
  leadId: string | null;
  customFields: string;
}
export interface ContactTable extends Owned {
  id: string;
  accountId: string;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  leadId: string | null;
}
export interface PipelineTable {
  id: string;
  name: string;
  isDefault: number;
  createdAt: string;
  active: number;
  version: number;
  updatedAt: string | null;
}
export interface PipelineStageTable {
  id: string;
  pipelineId: string;
  name: string;
  sortOrder: number;
  probability: number;
  kind: string;
  active: number;
  /** JSON array of the opportunity fields this stage requires (stage gate). */
  requiredFields: string;
}
export interface OpportunityTable extends Owned {
  id: string;
  name: string;
  accountId: string;
  contactId: string | null;
  leadId: string | null;
  pipelineId: string;
  stageId: string;
  status: string;
  amountMinor: number;
  currency: string;
  probability: number;
  expectedCloseDate: string | null;
  lostReason: string | null;
  closedAt: string | null;
}
export interface ProductTable {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  kind: string;
  unit: string;
  listPriceMinor: number;
  currency: string;
  taxRate: string;
  /** Standalone selling price per unit (IFRS 15.77); null: the list price (migration 007). */
  sspMinor?: number | null;
  /** How revenue of the product is recognised (revenue/obligations.ts); null: the default by kind. */
  revenueMethod?: string | null;
  /** Default service term in months for ratable recognition. */
  serviceMonths?: number | null;
  /** The default tax code (e.g. VAT13), resolved in the document's legal entity. */
  taxCode?: string | null;
  active: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}
/** How a quote or order line came to its amount (migration 005). */
interface LinePricing {
  /** Before any discount: qty × unit price, or the tiered amount. Null on lines from before. */
  listAmountMinor?: number | null;
  /** The line discount as an amount (from a rate or typed). */
  discountMinor?: number;
  /** The line's share of the document discount. */
  docDiscountMinor?: number;
}
/** Lines shared by quotes, orders and invoices: the priced line. */
interface PricedLine {
  id: string;
  lineNo: number;
  productId: string | null;
  description: string;
  qtyMilli: number;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** The tax code the line was priced with (migration 005): its id and code as they were. */
  taxCodeId?: string | null;
  taxCode?: string | null;
}
interface Totals {
  currency: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}
export interface QuoteTable extends Owned, Totals {
  id: string;
  number: string;
  versionNo: number;
  opportunityId: string;
  accountId: string;
  status: string;
  validUntil: string | null;
  notes: string | null;
  supersededById: string | null;
  rejectReason: string | null;
  /** Why an approver sent the quote back to draft (the last time). */
  declineReason: string | null;
  /** Migration 005: the price book chosen, whether prices include tax, the document discount. */
  priceBookId?: string | null;
  pricesIncludeTax?: number;
  documentDiscount?: string | null;
  documentDiscountMinor?: number;
  /** Migration 013: the legal entity whose tax codes the quote uses (its order inherits it). */
  legalEntityId?: string | null;
}
export interface QuoteLineTable extends PricedLine, LinePricing {
  quoteId: string;
}
export interface ContractTable extends Owned {
  id: string;
  number: string;
  title: string;
  quoteId: string | null;
  opportunityId: string | null;
  accountId: string;
  status: string;
  currency: string;
  totalMinor: number;
  startDate: string | null;
  endDate: string | null;
  signedAt: string | null;
  signedBy: string | null;
  /** Why legal review sent the contract back to draft (the last time). */
  returnReason: string | null;
  terminationReason: string | null;
}
export interface OrderTable extends Owned, Totals {
  id: string;
  number: string;
  quoteId: string | null;
  contractId: string | null;
  opportunityId: string | null;
  accountId: string;
  legalEntityId: string;
  status: string;
  orderDate: string;
  confirmedAt: string | null;
  fulfilledAt: string | null;
  cancelReason: string | null;
  /** Why confirmation put the order on credit hold (credit limit, overdue invoices). */
  holdReason: string | null;
  /** Why the hold was released. */
  releaseReason: string | null;
}
export interface OrderLineTable extends PricedLine, LinePricing {
  orderId: string;
  quoteLineId: string | null;
}
export interface DeliveryTable extends Owned {
  id: string;
  number: string;
  orderId: string;
  accountId: string;
  status: string;
  carrier: string | null;
  trackingNo: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
  acceptedAt: string | null;
  acceptedBy: string | null;
}
export interface DeliveryLineTable {
  id: string;
  deliveryId: string;
  orderLineId: string;
  qtyMilli: number;
}
export interface InvoiceTable extends Owned, Totals {
  id: string;
  number: string | null;
  legalEntityId: string;
  orderId: string;
  deliveryId: string | null;
  accountId: string;
  status: string;
  issueDate: string | null;
  dueDate: string | null;
  paymentTermsDays: number;
  issuedAt: string | null;
  /** Migration 019: while paid, the instant of the last allocation on it (null otherwise); written by settling. */
  paidAt?: string | null;
  /** Migration 019: when its lead was created and its quote's first version, written with `paidAt`. */
  leadCreatedAt?: string | null;
  firstQuoteCreatedAt?: string | null;
}
export interface InvoiceLineTable extends PricedLine {
  invoiceId: string;
  orderLineId: string;
  deliveryLineId: string | null;
}
export interface PaymentTable extends Owned {
  id: string;
  number: string;
  accountId: string;
  status: string;
  amountMinor: number;
  currency: string;
  receivedOn: string;
  method: string;
  reference: string | null;
  reversedAt: string | null;
  reversedOn: string | null;
  reversalReason: string | null;
  /** Migration 013: the legal entity of the invoices it pays (its journal and the customer's credit post there). */
  legalEntityId: string;
}
/**
 * Append-only: a reversal or a credit note releasing money adds a negative counter-row
 * (`kind` 'reversal' | 'credit_release', `reversesId`, `creditNoteId`); rows are never changed.
 */
export interface PaymentAllocationTable {
  id: string;
  paymentId: string;
  invoiceId: string;
  amountMinor: number;
  createdAt: string;
  createdBy: string | null;
  kind: string;
  reversesId: string | null;
  creditNoteId: string | null;
  /** The business date the row counts from (receivables as of a date). */
  effectiveOn: string | null;
}
export interface CreditNoteTable extends Owned, Totals {
  id: string;
  number: string | null;
  legalEntityId: string;
  invoiceId: string;
  orderId: string;
  accountId: string;
  status: string;
  reason: string;
  /** What happens to credit beyond what the invoice still owes: 'balance' or 'refund'. */
  settlement: string;
  issueDate: string | null;
  issuedAt: string | null;
  /** Set at issue: the part that reduced the invoice's outstanding amount. */
  appliedMinor: number;
  /** Set at issue: the part released from the invoice's payments to the customer's credit. */
  toBalanceMinor: number;
  /** Set at issue: the part released and refunded. */
  refundedMinor: number;
}
export interface CreditNoteLineTable {
  id: string;
  creditNoteId: string;
  lineNo: number;
  invoiceLineId: string;
  description: string;
  qtyMilli: number;
  unitPriceMinor: number;
  discountRate: string;
  taxRate: string;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
  taxCodeId?: string | null;
  taxCode?: string | null;
}
export interface RefundTable extends Owned {
  id: string;
  number: string;
  accountId: string;
  paymentId: string;
  creditNoteId: string | null;
  status: string;
  amountMinor: number;
  currency: string;
  refundOn: string;
}
/** The account a legal entity posts a role to (cash, ar, revenue, …). */
export interface ChartOfAccountsTable {
  legalEntityId: string;
  role: string;
  code: string;
  nameZh: string;
  nameEn: string;
  updatedAt: string;
  updatedBy: string | null;
}
/** One posting of a business event; unique per (sourceType, sourceId, event). */
export interface JournalEntryTable {
  id: string;
  legalEntityId: string;
  /** Business date (YYYY-MM-DD) the entry counts from. */
  entryDate: string;
  sourceType: string;
  sourceId: string;
  event: string;
  documentRef: string;
  description: string;
  currency: string;
  /** The customer (party) of the entry, if any. */
  accountId: string | null;
  createdAt: string;
  createdBy: string | null;
  /** The legal entity's functional currency (null on lines from before multi-currency in another currency). */
  functionalCurrency?: string | null;
  /** Units of the functional currency per unit of `currency`: a decimal, or "num/den"; null when they are the same. */
  fxRate?: string | null;
  /** The effective date of the rate used. */
  fxRateDate?: string | null;
}
/** A debit or a credit in minor units (the other side 0), with the code and role it was posted to. */
export interface JournalLineTable {
  id: string;
  entryId: string;
  lineNo: number;
  accountCode: string;
  accountRole: string;
  debitMinor: number;
  creditMinor: number;
  currency: string;
  entryDate: string;
  partyAccountId: string | null;
  documentRef: string;
  /** The payment allocation row this line clears from receivables (at most one line per row). */
  allocationId: string | null;
  memo: string | null;
  /** The same line in the legal entity's functional currency (exchange differences: only here). */
  functionalDebitMinor?: number | null;
  functionalCreditMinor?: number | null;
  functionalCurrency?: string | null;
  /** AR lines: the open item (invoice or dunning charge) the receivable belongs to. */
  openItemId?: string | null;
}
export interface NumberSeriesTable {
  key: string;
  scope: string;
  prefix: string;
  nextValue: number;
  padding: number;
}
export interface NumberSeriesFormatTable {
  key: string;
  /** A legal entity id, or the company-wide scope the series uses ('all' / 'global'). */
  scope: string;
  prefix: string;
  datePart: string;
  padding: number;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}
export interface SavedViewTable {
  id: string;
  userId: string;
  listKey: string;
  name: string;
  filters: string;
  sort: string | null;
  columns: string | null;
  sharing: string;
  teamId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export interface ListLayoutTable {
  userId: string;
  listKey: string;
  columnOrder: string;
  hidden: string;
  version: number;
  updatedAt: string;
}
/** A user's own preferences (migration 021): the pipeline home shows. */
export interface UserPreferencesTable {
  userId: string;
  homePipelineId: string | null;
  version: number;
  updatedAt: string;
}
export interface SavedViewDefaultTable {
  userId: string;
  listKey: string;
  viewId: string;
}
export interface EventTable {
  id: string;
  occurredAt: string;
  actorId: string | null;
  requestId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  before: string | null;
  after: string | null;
}
export interface JobTable {
  id: string;
  type: string;
  payload: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface IdempotencyKeyTable {
  key: string;
  principal: string;
  method: string;
  path: string;
  requestHash: string;
  statusCode: number;
  responseBody: string;
  createdAt: string;
}

/** Collections: dunning levels per legal entity (fees JSON per currency in minor units). */
export interface DunningLevelTable {
  id: string;
  legalEntityId: string;
  level: number;
  minDaysPastDue: number;
  template: string;
  fees: string;
  interestAnnualRate: string | null;
  escalate: number;
  holdOrders: number;
  updatedAt: string;
  updatedBy: string | null;
}
/** Migration 014: a period-end FX revaluation of a legal entity's foreign-currency monetary items. */
export interface FxRevaluationTable {
  id: string;
  legalEntityId: string;
  /** YYYY-MM */
  period: string;
  periodEnd: string;
  reversalDate: string;
  functionalCurrency: string;
  /** JSON: [{ currency, rate, effectiveDate }], the closing rates into the functional currency. */
  rates: string;
  items: number;
  gainMinor: number;
  lossMinor: number;
  entries: number;
  trigger: string;
  /** 'posted', or 'superseded' by a rerun of the month (its entries voided). */
  status: string;
  supersededAt: string | null;
  supersededBy: string | null;
  createdAt: string;
  createdBy: string | null;
}
/** Migration 014: one revalued item (an open receivable or a customer's unapplied money). */
export interface FxRevaluationLineTable {
  id: string;
  revaluationId: string;
  lineNo: number;
  kind: string;
  itemId: string;
  documentRef: string;
  partyAccountId: string | null;
  currency: string;
  balanceMinor: number;
  carryingMinor: number;
  rate: string;
  revaluedMinor: number;
  differenceMinor: number;
}
/** A dated exchange rate: units of `quote` per unit of `base`, exact decimal text. */
export interface FxRateTable {
  id: string;
  base: string;
  quote: string;
  rate: string;
  effectiveDate: string;
  source: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  version: number;
}
/** How dunning runs of a legal entity escalate: 'step' (one level per run) or 'jump'. */
export interface DunningPolicyTable {
  legalEntityId: string;
  escalation: string;
  /** Migration 013: the tax code dunning charges carry (null: outside VAT, the default). */
  chargeTaxCode?: string | null;
  updatedAt: string;
  updatedBy: string | null;
}
/** The fee and late interest a dunning notice charged: a receivable with its own gap-free number. */
export interface DunningChargeTable {
  id: string;
  number: string;
  legalEntityId: string;
  accountId: string;
  invoiceId: string;
  noticeId: string;
  level: number;
  currency: string;
  feeMinor: number;
  interestMinor: number;
  totalMinor: number;
  interestAnnualRate: string | null;
  interestFrom: string | null;
  interestThrough: string | null;
  interestDays: number;
  interestBaseMinor: number;
  issueDate: string;
  dueDate: string;
  status: string;
  /** Migration 013: a waiver (the charge no longer owed from that date, its journal reversed). */
  waivedOn?: string | null;
  waivedBy?: string | null;
  waiveReason?: string | null;
  waivedMinor?: number;
  /** Migration 013: VAT on the charge when the legal entity's dunning policy names a code (total includes it). */
  taxCode?: string | null;
  taxRate?: string | null;
  taxMinor?: number;
  ownerId: string | null;
  teamId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  version: number;
}
export interface DunningChargeAllocationTable {
  id: string;
  paymentId: string;
  chargeId: string;
  amountMinor: number;
  kind: string;
  effectiveOn: string;
  createdAt: string;
  createdBy: string | null;
}
/** A notice a dunning run sent: unique per (invoice, level) and per (invoice, run date). */
export interface DunningNoticeTable {
  id: string;
  invoiceId: string;
  accountId: string;
  legalEntityId: string;
  level: number;
  runDate: string;
  daysPastDue: number;
  currency: string;
  outstandingMinor: number;
  feeMinor: number;
  interestMinor: number;
  interestFrom: string | null;
  interestThrough: string | null;
  interestDays: number;
  template: string;
  escalate: number;
  holdOrders: number;
  status: string;
  recipients: string;
  createdAt: string;
  createdBy: string | null;
}
export interface PaymentPromiseTable {
  id: string;
  invoiceId: string;
  accountId: string;
  promisedDate: string;
  amountMinor: number | null;
  note: string;
  status: string;
  closedOn: string | null;
  createdAt: string;
  createdBy: string | null;
}
export interface InvoiceDisputeTable {
  id: string;
  invoiceId: string;
  accountId: string;
  reason: string;
  status: string;
  resolution: string | null;
  openedAt: string;
  openedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface ActivityTable {
  id: string;
  type: string;
  parentType: string;
  parentId: string;
  subject: string;
  notes: string | null;
  outcome: string | null;
  direction: string | null;
  durationMinutes: number | null;
  occurredAt: string | null;
  dueAt: string | null;
  status: string;
  completedAt: string | null;
  completedBy: string | null;
  ownerId: string | null;
  assigneeId: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  version: number;
}
export interface LeadScoringRuleTable {
  id: string;
  name: string;
  field: string;
  operator: string;
  /** JSON: a string, a number or a list of strings. */
  value: string;
  points: number;
  active: number;
  position: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  version: number;
}
export interface LeadImportBatchTable {
  id: string;
  fileName: string;
  format: string;
  encoding: string;
  status: string;
  mode: string;
  dedupe: string;
  ownerId: string | null;
  headers: string;
  mapping: string;
  totalRows: number;
  processedRows: number;
  createdCount: number;
  updatedCount: number;
  duplicateCount: number;
  errorCount: number;
  jobId: string | null;
  failure: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  version: number;
}
/** A lead's dedupe keys as the import compares them (normalized; migration 023). */
export interface LeadDedupeKeyTable {
  leadId: string;
  emailKey: string | null;
  phoneKey: string | null;
  personKey: string | null;
}
/** Leads whose dedupe keys are missing or stale, filled by triggers (migration 023). */
export interface LeadDedupeDirtyTable {
  leadId: string;
}
/** An import's file: its rows as JSON, kept for the run, a resumed run and the error report (migration 018). */
export interface LeadImportFileTable {
  batchId: string;
  rows: string;
}
export interface LeadImportIssueTable {
  id: string;
  batchId: string;
  rowNo: number;
  kind: string;
  field: string;
  code: string;
  message: string;
  matchedLeadId: string | null;
  matchedRowNo: number | null;
  matchedOn: string | null;
}

/** A performance obligation: one confirmed order line with its share of the transaction price (migration 007). */
export interface RevenueObligationTable {
  id: string;
  orderId: string;
  orderLineId: string;
  legalEntityId: string;
  accountId: string;
  productId: string | null;
  lineNo: number;
  description: string;
  currency: string;
  qtyMilli: number;
  method: string;
  sspMinor: number;
  allocatedMinor: number;
  bearsDiscount: number;
  serviceStart: string | null;
  serviceEnd: string | null;
  /** JSON text. */
  milestones: string;
  progress: string;
  modifications: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}
/** A closed revenue period of a legal entity (YYYY-MM); closed periods are locked. */
export interface RevenuePeriodTable {
  id: string;
  legalEntityId: string;
  period: string;
  closedAt: string;
  closedBy: string | null;
  lines: number;
  entries: number;
}
/** A line of a revenue schedule: scheduled, or recognised by the close of `periodId`. */
export interface RevenueScheduleLineTable {
  id: string;
  obligationId: string;
  orderId: string;
  legalEntityId: string;
  currency: string;
  period: string;
  recogniseOn: string;
  amountMinor: number;
  kind: string;
  ref: string | null;
  status: string;
  periodId: string | null;
  createdAt: string;
}
/** A contract's payment plan (回款计划), in percent of the contract (migration 006). */
export interface ContractPaymentTermTable {
  id: string;
  contractId: string;
  seq: number;
  description: string;
  percent: string;
  due: string;
  dueDate: string | null;
  days: number;
  createdAt: string;
}
/** One item of an order's billing schedule (migration 006). `lineSplit` is JSON. */
export interface BillingScheduleItemTable extends Owned {
  id: string;
  orderId: string;
  contractId: string | null;
  legalEntityId: string;
  seq: number;
  kind: string;
  description: string;
  orderLineId: string | null;
  percent: string | null;
  currency: string;
  amountMinor: number;
  netMinor: number;
  taxMinor: number;
  trigger: string;
  deliveryId: string | null;
  offsetDays: number;
  billDate: string | null;
  reachedOn: string | null;
  frequency: string | null;
  timing: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  lineSplit: string;
  status: string;
  invoiceId: string | null;
  requestId: string | null;
  cancelReason: string | null;
}
/** An invoice request (开票申请) with the buyer's title data (migration 006). */
export interface InvoiceRequestTable extends Owned {
  id: string;
  orderId: string;
  accountId: string;
  legalEntityId: string;
  status: string;
  invoiceType: string;
  buyerName: string;
  buyerTaxId: string;
  buyerAddressPhone: string;
  buyerBankAccount: string;
  remarks: string;
  lines: string | null;
  currency: string;
  amountMinor: number;
  invoiceId: string | null;
  rejectReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}
/** A billing run and what it did so far (migration 006). */
export interface BillingRunTable {
  id: string;
  asOf: string;
  legalEntityId: string | null;
  status: string;
  chunkSize: number;
  chunks: number;
  itemsInvoiced: number;
  invoicesCreated: number;
  totalMinor: number;
  firstNumber: string | null;
  lastNumber: string | null;
  skipped: number;
  error: string | null;
  startedAt: string;
  heartbeatAt: string;
  finishedAt: string | null;
  createdBy: string | null;
}

export interface Database {
  revenueObligations: RevenueObligationTable;
  revenuePeriods: RevenuePeriodTable;
  revenueScheduleLines: RevenueScheduleLineTable;
  legalEntities: LegalEntityTable;
  teams: TeamTable;
  users: UserTable;
  apiTokens: ApiTokenTable;
  sessions: SessionTable;
  authVersion: AuthVersionTable;
  leads: LeadTable;
  leadScoringRules: LeadScoringRuleTable;
  leadImportBatches: LeadImportBatchTable;
  leadImportFiles: LeadImportFileTable;
  leadImportIssues: LeadImportIssueTable;
  leadDedupeKeys: LeadDedupeKeyTable;
  leadDedupeDirty: LeadDedupeDirtyTable;
  accounts: AccountTable;
  contacts: ContactTable;
  pipelines: PipelineTable;
  pipelineStages: PipelineStageTable;
  opportunities: OpportunityTable;
  products: ProductTable;
  quotes: QuoteTable;
  quoteLines: QuoteLineTable;
  contracts: ContractTable;
  orders: OrderTable;
  orderLines: OrderLineTable;
  deliveries: DeliveryTable;
  deliveryLines: DeliveryLineTable;
  invoices: InvoiceTable;
  invoiceLines: InvoiceLineTable;
  payments: PaymentTable;
  paymentAllocations: PaymentAllocationTable;
  creditNotes: CreditNoteTable;
  creditNoteLines: CreditNoteLineTable;
  refunds: RefundTable;
  chartOfAccounts: ChartOfAccountsTable;
  journalEntries: JournalEntryTable;
  journalLines: JournalLineTable;
  numberSeries: NumberSeriesTable;
  numberSeriesFormats: NumberSeriesFormatTable;
  savedViews: SavedViewTable;
  savedViewDefaults: SavedViewDefaultTable;
  listLayouts: ListLayoutTable;
  userPreferences: UserPreferencesTable;
  events: EventTable;
  jobs: JobTable;
  idempotencyKeys: IdempotencyKeyTable;
  dunningLevels: DunningLevelTable;
  fxRates: FxRateTable;
  fxRevaluations: FxRevaluationTable;
  fxRevaluationLines: FxRevaluationLineTable;
  dunningPolicies: DunningPolicyTable;
  dunningCharges: DunningChargeTable;
  dunningChargeAllocations: DunningChargeAllocationTable;
  dunningNotices: DunningNoticeTable;
  paymentPromises: PaymentPromiseTable;
  invoiceDisputes: InvoiceDisputeTable;
  contractPaymentTerms: ContractPaymentTermTable;
  billingScheduleItems: BillingScheduleItemTable;
  invoiceRequests: InvoiceRequestTable;
  billingRuns: BillingRunTable;
  activities: ActivityTable;
  taxCodes: TaxCodeTable;
  priceBooks: PriceBookTable;
  priceBookEntries: PriceBookEntryTable;
}

/** A tax code of a legal entity (migration 005). `components` is JSON [{name, rate, compound}]. */
export interface TaxCodeTable {
  id: string;
  legalEntityId: string;
  code: string;
  name: string;
  region: string;
  kind: string;
  components: string;
  /** The effective rate of the components together (exact decimal string). */
  rate: string;
  active: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface PriceBookTable {
  id: string;
  name: string;
  currency: string;
  pricesIncludeTax: number;
  isDefault: number;
  validFrom: string | null;
  validTo: string | null;
  active: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}
/** `tiers` is JSON [{upTo: "10" | null, unitPriceMinor, flatFeeMinor}] for graduated and volume schemes. */
export interface PriceBookEntryTable {
  id: string;
  priceBookId: string;
  productId: string;
  scheme: string;
  unitPriceMinor: number | null;
  tiers: string | null;
}
