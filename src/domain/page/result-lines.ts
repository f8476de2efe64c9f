/**
 * The window's facts computed from the processor's result lines themselves, as the two Logs
 * Insights queries compute them (same filter, grouping, `latest` and order). For pages built
 * offline (docs, tests, a CLI preview) and to pin the queries' meaning in tests.
 */
import {
  type ResultGroup,
  type TimeWindow,
  TOP_GROUPS,
  type Totals,
  type WindowFacts,
} from './facts.js';
import { RESULT_LINE_MESSAGE } from './window-queries.js';

type Line = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function changeSummary(line: Line): string | null {
  const change = line.change;
  if (typeof change === 'object' && change !== null && !Array.isArray(change))
    return str((change as Line).summary);
  return null;
}

interface GroupState {
  group: Omit<ResultGroup, 'failedCalls' | 'failingJobs'>;
  failedCalls: number;
  jobs: Set<string>;
  latestMs: number;
}

/** `true` for a failure line inside the window (a line without a readable `time` is inside). */
function isFailureIn(line: Line, window: TimeWindow): boolean {
  if (line.msg !== RESULT_LINE_MESSAGE || line.outcome !== 'failure') return false;
  const ms = typeof line.time === 'string' ? Date.parse(line.time) : Number.NaN;
  return !Number.isFinite(ms) || (ms >= window.startMs && ms < window.endMs);
}

/**
 * Aggregates result lines (parsed JSON objects) into the facts of `window`.
 *
 * @example
 * ```ts
 * const facts = factsFromResultLines(lines.map((l) => JSON.parse(l)), alarmWindow(alarm, now));
 * ```
 */
export function factsFromResultLines(lines: Iterable<unknown>, window: TimeWindow): WindowFacts {
  const groups = new Map<string, GroupState>();
  const jobs = new Set<string>();
  const repositories = new Set<string>();
  let failedCalls = 0;
  for (const raw of lines) {
    if (typeof raw !== 'object' || raw === null) continue;
    const line = raw as Line;
    if (!isFailureIn(line, window)) continue;
    failedCalls += 1;
    const job = str(line.failingJobKey);
    if (job !== null) jobs.add(job);
    const repository = str(line.repository);
    if (repository !== null) repositories.add(repository);
    const g: GroupState['group'] = {
      repository,
      roleArn: str(line.roleArn),
      account: str(line.account),
      cause: str(line.cause) ?? 'UNKNOWN',
      detail: str(line.detail),
      explanation: str(line.explanation),
      fix: str(line.fix),
      change: changeSummary(line),
    };
    const key = JSON.stringify([g.repository, g.roleArn, g.cause, g.detail, g.account]);
    const ms = typeof line.time === 'string' ? Date.parse(line.time) : Number.NaN;
    const at = Number.isFinite(ms) ? ms : Number.NEGATIVE_INFINITY;
    let state = groups.get(key);
    if (state === undefined) {
      state = { group: g, failedCalls: 0, jobs: new Set(), latestMs: at };
      groups.set(key, state);
    }
    state.failedCalls += 1;
    if (job !== null) state.jobs.add(job);
    // `latest(...)` in Logs Insights: the values of the most recent line (null values included).
    if (at >= state.latestMs) {
      state.latestMs = at;
      state.group = g;
    }
  }
  const totals: Totals = { failedCalls, failingJobs: jobs.size, repositories: repositories.size };
  const top = [...groups.values()]
    .map((s): ResultGroup => ({ ...s.group, failedCalls: s.failedCalls, failingJobs: s.jobs.size }))
    .sort((a, b) => b.failedCalls - a.failedCalls)
    .slice(0, TOP_GROUPS);
  return { window, source: 'result-lines', totals, groups: top, problems: [] };
}
