// Collections (dunning): levels per legal entity, the idempotent dunning run, promises to pay,
// disputes and the collector's worklist. Rules in docs/MONEY.md (dunning) and the README.
export { DEFAULT_DUNNING_LEVELS, DUNNING_ESCALATIONS, DEFAULT_DUNNING_ESCALATION, type DunningEscalation, DunningLevelsQuery, DunningLevelsUpdate, DunningLevelsDto, getDunningLevels, updateDunningLevels, dunningConfigFor, chargeTaxCodeOf } from './levels.ts';
export { DunningRunInput, DunningRunDto, runDunning } from './run.ts';
export {
  PromiseToPayInput,
  DisputeInput,
  DisputeResolveInput,
  PromiseDto,
  DisputeDto,
  InvoiceCollectionsDto,
  promiseToPay,
  openDispute,
  resolveDispute,
  invoiceCollections,
} from './holds.ts';
export { WorklistQuery, WorklistDto, PRIORITY_RULE, collectionsWorklist } from './worklist.ts';
export { dunningNoticeEmail, dunningEscalationEmail, ratePercent, type NoticeFacts } from './emails.ts';
export { PROMISE_GRACE_DAYS } from './state.ts';
export { CHARGE_TERMS_DAYS, CHARGE_STATES, DunningChargeDto, DunningChargesPage, DunningChargesQuery, ChargeAllocate, ChargeWaive, listDunningCharges, allocatePaymentToCharges, postDunningChargeJournal, waiveDunningCharge } from './charges.ts';
