/**
 * The one timestamp format of oidcwatch's machine-readable output: ISO 8601 in UTC to the second,
 * `2026-11-27T14:03:12Z`, as CloudTrail writes `eventTime`. Text output writes the same instant as
 * `2026-11-27 14:03:12Z` (`formatTime` of the CLI).
 */

/**
 * `ms` (epoch milliseconds) as `YYYY-MM-DDTHH:MM:SSZ`.
 *
 * @example
 * ```ts
 * isoSeconds(Date.UTC(2026, 10, 27, 14, 3, 12, 500)); // '2026-11-27T14:03:12Z'
 * ```
 */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
