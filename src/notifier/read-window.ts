/**
 * Gathers what can be known about an alarm's window: Logs Insights first (totals, failing jobs,
 * explanations, fixes, change annotations); for what it could not give, the Contributor Insights
 * report. Whatever fails becomes a note on the page. Never throws.
 */
import type { ResultGroup, TimeWindow, Totals, WindowFacts } from '../domain/page/facts.js';
import type { InsightRuleReader } from './insight-rule-reader.js';
import { describeError } from './log.js';
import type { LogsWindow } from './logs-insights-reader.js';

/** The sources. */
export interface WindowSources {
  readonly logs: { read(window: TimeWindow): Promise<LogsWindow> };
  /** `null`: no Contributor Insights fallback. */
  readonly rules: Pick<InsightRuleReader, 'read'> | null;
}

/** Noted when the groups come from the Contributor Insights report. */
export const REPORT_FALLBACK_NOTE =
  'Top repositories from the Contributor Insights report: calls per repository and cause only (no role, detail, explanation or fix).';

/**
 * The facts of `window`.
 *
 * @example
 * ```ts
 * const facts = await readWindowFacts(alarmWindow(alarm, Date.now()), { logs, rules });
 * ```
 */
export async function readWindowFacts(
  window: TimeWindow,
  sources: WindowSources
): Promise<WindowFacts> {
  let logs: LogsWindow;
  try {
    logs = await sources.logs.read(window);
  } catch (e) {
    const problem = `Logs Insights query failed: ${describeError(e)}`;
    logs = { totals: { ok: false, problem }, groups: { ok: false, problem } };
  }
  const problems: string[] = [];
  const note = (p: string) => {
    if (!problems.includes(p)) problems.push(p);
  };
  let totals: Totals | null = logs.totals.ok ? logs.totals.value : null;
  let groups: ResultGroup[] | null = logs.groups.ok ? logs.groups.value : null;
  if (!logs.totals.ok) note(logs.totals.problem);
  if (!logs.groups.ok) note(logs.groups.problem);
  let source: WindowFacts['source'] = totals !== null || groups !== null ? 'logs-insights' : null;

  if ((totals === null || groups === null) && sources.rules !== null) {
    try {
      const report = await sources.rules.read(window);
      if (groups === null) {
        groups = report.groups;
        note(REPORT_FALLBACK_NOTE);
      }
      totals ??= report.totals;
      source ??= 'contributor-insights';
    } catch (e) {
      note(`Contributor Insights report failed: ${describeError(e)}`);
    }
  }
  return { window, source, totals, groups: groups ?? [], problems };
}
