// The public surface of the domain layer: use cases, schemas and shared types. Apps import only from here.
export * from './platform/errors.ts';
export * from './platform/context.ts';
export { bulkInsertRows, bulkInsertValues, copyField, copyText } from './platform/bulk-insert.ts';
export * from './platform/permissions.ts';
export * from './platform/machine.ts';
export * from './platform/money.ts';
export * from './platform/ids.ts';
export * from './platform/clock.ts';
export * from './platform/events.ts';
export * from './platform/list.ts';
export * from './platform/schema.ts';
export * from './platform/validation.ts';
export * from './platform/numbering.ts';
export * from './platform/numbering-settings.ts';
export * from './views/saved-views.ts';
export * from './views/list-layouts.ts';
export { loadVisible, listVisible, type RecordDef, type ListQuery } from './platform/records.ts';
export * from './identity/users.ts';
export * from './identity/principal-cache.ts';
export * from './jobs/outbox.ts';
export * from './jobs/worker.ts';
export * from './jobs/recurring.ts';
export * from './jobs/email.ts';
export * from './notifications/lead-assigned.ts';
export * from './leads/lead.machine.ts';
export * from './leads/lead.schema.ts';
export * from './leads/leads.ts';
export { leadDef } from './leads/defs.ts';
export * from './leads/scoring.ts';
export * from './leads/scoring-rules.ts';
export * from './leads/import/import.ts';
export { decodeText, parseCsv, toCsv, csvCell } from './leads/import/csv.ts';
export * from './leads/import/mapping.ts';
export * from './sales/sales.machine.ts';
export * from './sales/sales.schema.ts';
export * from './sales/accounts.ts';
export * from './sales/opportunities.ts';
export * from './sales/pipelines.ts';
export { accountDef, contactDef, opportunityDef } from './sales/defs.ts';
export { productDef } from './catalog/defs.ts';
export { quoteDef } from './quotes/defs.ts';
export { contractDef } from './contracts/defs.ts';
export { quoteForOrder, quoteLinesOf } from './quotes/for-order.ts';
export { contractForOrder } from './contracts/for-order.ts';
export * from './catalog/product.schema.ts';
export * from './catalog/products.ts';
export * from './quotes/quote.machine.ts';
export * from './quotes/quote.schema.ts';
export * from './quotes/quotes.ts';
export * from './quotes/transition-quote.ts';
export * from './contracts/contract.machine.ts';
export * from './contracts/contract.schema.ts';
export * from './contracts/contracts.ts';
export * from './trace/registry.ts';
export * from './trace/trace.ts';
export * from './trace/search.ts';
export * from './approvals/inbox.ts';
export * from './billing/legal-entities.ts';
export * from './orders/order.machine.ts';
export * from './orders/order.schema.ts';
export { createOrder, createOrderFromQuote, createOrderFromContract, getOrder, listOrders, updateOrder, transitionOrder } from './orders/orders.ts';
export { orderProgress, type OrderProgress } from './orders/progress.ts';
export { orderDef } from './orders/defs.ts';
export * from './fulfilment/delivery.machine.ts';
export * from './fulfilment/delivery.schema.ts';
export { createDelivery, getDelivery, listDeliveries, transitionDelivery } from './fulfilment/deliveries.ts';
export { deliveryDef } from './fulfilment/defs.ts';
export * from './billing/invoice.machine.ts';
export * from './billing/invoice.schema.ts';
export { billLineAmounts } from './billing/invoice-amounts.ts';
export {
  createInvoiceFromOrder,
  createInvoiceFromDelivery,
  getInvoice,
  listInvoices,
  updateInvoice,
  issueInvoice,
  cancelInvoice,
  DEFAULT_PAYMENT_TERMS_DAYS,
} from './billing/invoices.ts';
export { invoiceDef } from './billing/defs.ts';
export * from './payments/payment.schema.ts';
export { createPayment, allocatePayment, reversePayment, getPayment, listPayments, formatMinor } from './payments/payments.ts';
export { paymentMachine, paymentActions, type PaymentState, type PaymentAction } from './payments/payment.machine.ts';
export { planAutoAllocation, type OpenInvoice } from './payments/auto-allocate.ts';
export { paymentDef } from './payments/defs.ts';
export * from './billing/credit-note.machine.ts';
export * from './billing/credit-note.schema.ts';
export { createCreditNote, issueCreditNote, cancelCreditNote, getCreditNote, listCreditNotes } from './billing/credit-notes.ts';
export { creditNoteDef } from './billing/credit-note.defs.ts';
export * from './receivables/receivables.schema.ts';
export { accountBalance, receivablesAging, receivablesDso } from './receivables/receivables.ts';
export { creditHoldFindings, OVERDUE_HOLD_DAYS } from './receivables/credit-policy.ts';
export * from './analytics/kpis.ts';
export * from './analytics/period.ts';
export * from './documents/index.ts';
export * from './money/index.ts';
export * from './collections/index.ts';
export * from './ledger/index.ts';
export * from './revenue/index.ts';
export * from './fx/index.ts';
export * from './activities/activity.schema.ts';
export { DELETE_WINDOW_MINUTES, isOverdue, canDelete, checkFields, touchInstant } from './activities/activity.rules.ts';
export { createActivity, getActivity, updateActivity, completeActivity, reopenActivity, deleteActivity, listActivities, myOpenTasks } from './activities/activities.ts';
export { TASK_DUE_JOB, runTaskDue, taskDueEmail, type TaskDuePayload } from './activities/reminders.ts';
// Billing schedules, contract payment plans, invoice requests and the billing run.
export * from './billing/schedule.machine.ts';
export * from './billing/invoice-request.machine.ts';
export * from './billing/schedule.schema.ts';
export { percentPlanAmounts, recurringPeriods, recurringAmounts, splitItems } from './billing/schedule-plan.ts';
export { getSchedule, setSchedule, scheduleFromContract, reachMilestone, cancelScheduleItem, MilestoneReach } from './billing/schedules.ts';
export { runBilling, getBillingRun, listBillingRuns, billableItems, DEFAULT_CHUNK_SIZE, type RunOptions } from './billing/billing-run.ts';
export { createInvoiceRequest, getInvoiceRequest, listInvoiceRequests, approveInvoiceRequest, rejectInvoiceRequest, withdrawInvoiceRequest } from './billing/invoice-requests.ts';
export { invoiceRequestDef } from './billing/invoice-request.defs.ts';
export { getPaymentPlan, setPaymentPlan } from './contracts/payment-plan.ts';
export * from './pricing/document-pricing.ts';
export * from './pricing/tax-codes.ts';
export * from './pricing/price-books.ts';
