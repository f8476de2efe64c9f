/**
 * `oidcwatch report --json`: the report as one JSON document.
 */
import type { Report } from '../../domain/report/report-types.js';

/**
 * Renders the report as pretty-printed JSON (the {@link Report} shape), ending in a newline.
 *
 * @example
 * ```ts
 * io.stdout.write(renderReportJson(report));
 * ```
 */
export function renderReportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
