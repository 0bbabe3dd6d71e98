export { QUOTA_PERIODS, firstInstantAtOrAfterWall, quotaPeriodBounds, type PeriodBounds, type QuotaPeriod } from './quota-period';
export { canonicalTimeZone, isIanaTimeZone, timeZoneOffsetMs } from './time-zone';
