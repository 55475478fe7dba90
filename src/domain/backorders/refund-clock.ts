import { addDays } from './backorder-input.js';

/** 16 CFR 435.1 "prompt refund": seven (7) working days; one billing cycle when the seller extended the credit. */
const REFUND_WORKING_DAYS = 7;

/** `date` + `n` working days (Monday to Friday; public holidays are not modelled, which only errs early). */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return d;
}

/**
 * Pure: when the refund for a line cancelled (or deemed cancelled) on `on` is due. With `creditApplied`
 * one billing cycle (`billingCycleDays`), else seven working days.
 */
export function refundDueBy(on: string, line: { creditApplied: boolean }, billingCycleDays: number): string {
  return line.creditApplied ? addDays(on, billingCycleDays) : addWorkingDays(on, REFUND_WORKING_DAYS);
}
