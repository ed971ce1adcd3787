export * from './rules.ts';
export * from './revenue.schema.ts';
export { createRevenueObligations, syncOrderRevenue, syncLegalEntityRevenue, getOrderRevenue, updateObligation, recordProgress, modifyObligation, setRevenueAllocation, closedThrough } from './obligations.ts';
export { closeRevenuePeriod, listRevenuePeriods } from './close.ts';
export { revenueReport, recognisedBetween, atBillingRows, contractPositions } from './report.ts';
export { orderPositions, positionTotals, lastFullPeriod, type OrderPosition, type PositionTotals } from './positions.ts';
