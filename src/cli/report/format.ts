/**
 * Number, time and label formatting shared by the report renderers.
 */
import type { Cause } from '../../domain/causes.js';

/** `1234567` → `1,234,567` (locale-independent). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** ISO time → `2025-03-04 10:15:42Z`; `—` when absent. */
export function formatTime(iso: string | null): string {
  if (iso === null) {
    return '—';
  }
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `SUB_MISMATCH` + `BRANCH` → `SUB_MISMATCH/BRANCH`. */
export function causeLabel(cause: Cause, detail: string | null): string {
  return detail === null || detail.length === 0 ? cause : `${cause}/${detail}`;
}

/** A bucket width in words: `1 minute`, `15 minutes`, `3 hours`, `1 day`. */
export function formatBucketWidth(minutes: number): string {
  if (minutes % 1440 === 0) {
    const days = minutes / 1440;
    return days === 1 ? '1 day' : `${days} days`;
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return hours === 1 ? '1 hour' : `${hours} hours`;
  }
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** `1 failure`, `2 failures` (`plural` defaults to `singular + 's'`). */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** A bucket width as an adjective: `1-minute`, `15-minute`, `3-hour`, `1-day`. */
export function formatBucketAdjective(minutes: number): string {
  return formatBucketWidth(minutes).replace(/^(\S+) (\w+?)s?$/, '$1-$2');
}
