import type { TimeRegionUnit } from '../config/ca.config';

const UNIT_SECONDS: Record<TimeRegionUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** The unit of COSS's timeRegion is not settled publicly (see README); it is configuration. */
export function toTimeRegion(seconds: number, unit: TimeRegionUnit): number {
  return Math.max(1, Math.round(seconds / UNIT_SECONDS[unit]));
}

export function fromTimeRegion(timeRegion: number, unit: TimeRegionUnit): number {
  return timeRegion * UNIT_SECONDS[unit];
}
