/**
 * Runs the two window queries (totals, top groups) on the processor's log group with CloudWatch
 * Logs Insights, in parallel, polling `GetQueryResults` until both finish or the deadline passes.
 * A query that fails, ends badly or outlives the deadline yields a problem in words instead of a
 * value; nothing here throws.
 */
import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ResultGroup, TimeWindow, Totals } from '../domain/page/facts.js';
import {
  GROUPS_QUERY,
  type QueryRow,
  readGroups,
  readTotals,
  TOTALS_QUERY,
} from '../domain/page/window-queries.js';
import { describeError } from './log.js';

/** A value, or why there is none. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

/** What the two queries gave. */
export interface LogsWindow {
  readonly totals: Outcome<Totals>;
  readonly groups: Outcome<ResultGroup[]>;
}

/** Options of {@link LogsInsightsReader}. */
export interface LogsInsightsReaderOptions {
  readonly client: CloudWatchLogsClient;
  readonly logGroupName: string;
  /** Total time the queries may take, from the first `StartQuery`. */
  readonly timeoutMs: number;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const ENDED_BADLY = new Set(['Failed', 'Cancelled', 'Timeout', 'Unknown']);

type Pending = { readonly name: string; readonly queryId: string; lastError: string | null };

/**
 * Reads the window's totals and top groups from the processor's result lines.
 *
 * @example
 * ```ts
 * const reader = new LogsInsightsReader({ client, logGroupName: '/aws/lambda/oidcwatch-processor', timeoutMs: 20_000 });
 * const { totals, groups } = await reader.read(window);
 * ```
 */
export class LogsInsightsReader {
  readonly #o: Required<LogsInsightsReaderOptions>;

  constructor(options: LogsInsightsReaderOptions) {
    this.#o = {
      pollIntervalMs: 1000,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /** Runs both queries over `window`. Never throws. */
  async read(window: TimeWindow): Promise<LogsWindow> {
    const deadline = this.#o.now() + this.#o.timeoutMs;
    const [totals, groups] = await Promise.all([
      this.#start('totals', TOTALS_QUERY, window, deadline),
      this.#start('groups', GROUPS_QUERY, window, deadline),
    ]);
    const rows = await this.#poll(
      [totals, groups]
        .filter((p): p is Outcome<Pending> & { ok: true } => p.ok)
        .map((p) => p.value),
      deadline
    );
    const outcome = <T>(started: Outcome<Pending>, read: (r: QueryRow[]) => T): Outcome<T> => {
      if (!started.ok) return started;
      const r = rows.get(started.value.name) ?? { ok: false, problem: 'no result' };
      return r.ok ? { ok: true, value: read(r.value) } : r;
    };
    return { totals: outcome(totals, readTotals), groups: outcome(groups, readGroups) };
  }

  /** Send options that abort the call at the deadline: a hung call never outlives it. */
  #until(deadline: number): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(Math.max(1, deadline - this.#o.now())) };
  }

  async #start(
    name: string,
    queryString: string,
    window: TimeWindow,
    deadline: number
  ): Promise<Outcome<Pending>> {
    try {
      const out = await this.#o.client.send(
        new StartQueryCommand({
          logGroupName: this.#o.logGroupName,
          startTime: Math.floor(window.startMs / 1000),
          endTime: Math.floor(window.endMs / 1000),
          queryString,
        }),
        this.#until(deadline)
      );
      if (!out.queryId) return { ok: false, problem: 'Logs Insights returned no query id' };
      return { ok: true, value: { name, queryId: out.queryId, lastError: null } };
    } catch (e) {
      return { ok: false, problem: `Logs Insights query failed: ${describeError(e)}` };
    }
  }

  async #poll(
    started: readonly Pending[],
    deadline: number
  ): Promise<Map<string, Outcome<QueryRow[]>>> {
    const done = new Map<string, Outcome<QueryRow[]>>();
    let pending = [...started];
    while (pending.length > 0) {
      const left = deadline - this.#o.now();
      if (left <= 0) {
        const seconds = Math.round(this.#o.timeoutMs / 1000);
        for (const p of pending)
          done.set(p.name, {
            ok: false,
            problem: `Logs Insights query timed out after ${seconds} s${p.lastError ? ` (last error: ${p.lastError})` : ''}`,
          });
        break;
      }
      await this.#o.sleep(Math.min(this.#o.pollIntervalMs, left));
      await Promise.all(pending.map((p) => this.#check(p, done, deadline)));
      pending = pending.filter((p) => !done.has(p.name));
    }
    return done;
  }

  async #check(
    p: Pending,
    done: Map<string, Outcome<QueryRow[]>>,
    deadline: number
  ): Promise<void> {
    try {
      const out = await this.#o.client.send(
        new GetQueryResultsCommand({ queryId: p.queryId }),
        this.#until(deadline)
      );
      const status = out.status ?? 'Unknown';
      if (status === 'Complete') done.set(p.name, { ok: true, value: out.results ?? [] });
      else if (ENDED_BADLY.has(status))
        done.set(p.name, { ok: false, problem: `Logs Insights query ended with status ${status}` });
    } catch (e) {
      // A throttled or failed poll is retried until the deadline.
      p.lastError = describeError(e, 160);
    }
  }
}
