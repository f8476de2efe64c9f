/**
 * Progress of `backfill` on stderr: a bar redrawn in place on a terminal (pages, events scanned,
 * failures found, rate, ETA), plain lines at most every 10 seconds otherwise. The ETA comes from
 * the share of the time window read: events arrive newest first, so the oldest event seen tells
 * how far back each lookup has got.
 */
import type { Clock } from '../../adapters/clock.js';
import type { BackfillProgress, StreamProgress } from '../../usecases/backfill/collect-history.js';
import { countOf, formatCount } from '../report/format.js';

/** Plain progress lines: at most one per this many ms. */
const LINE_EVERY_MS = 10_000;
/** Terminal redraws: at most one per this many ms. */
const REDRAW_EVERY_MS = 100;
const BAR_WIDTH = 20;

/** `95` → `1m 35s`; `7300` → `2h 01m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The share of the window each lookup has read, averaged over the lookups (0–1). */
export function windowShareRead(p: Pick<BackfillProgress, 'streams' | 'start' | 'end'>): number {
  if (p.streams.length === 0) return 1;
  const span = p.end.getTime() - p.start.getTime();
  const share = (s: StreamProgress) => {
    if (s.state === 'done') return 1;
    if (s.oldestMs === null || span <= 0) return 0;
    return Math.min(1, Math.max(0, (p.end.getTime() - s.oldestMs) / span));
  };
  return p.streams.reduce((sum, s) => sum + share(s), 0) / p.streams.length;
}

/** Options of `ProgressView`. */
export interface ProgressViewOptions {
  readonly stream: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  readonly clock: Clock;
  /** Redraw a bar in place (a terminal) rather than print lines. */
  readonly tty: boolean;
}

/**
 * Shows a run's progress.
 *
 * @example
 * ```ts
 * const view = new ProgressView({ stream: process.stderr, clock: systemClock, tty: true });
 * await collectHistory(query, { …, onProgress: (p) => view.update(p) });
 * view.finish(last);
 * ```
 */
export class ProgressView {
  readonly #options: ProgressViewOptions;
  readonly #startedMs: number;
  #requests = 0;
  #firstRequestMs: number | null = null;
  #lastRequestMs: number | null = null;
  #retries = 0;
  #lastDrawMs = Number.NEGATIVE_INFINITY;
  #drawn = false;
  /** When the first page was shown, and the share of the window read then. */
  #first: { ms: number; share: number; scanned: number } | null = null;

  constructor(options: ProgressViewOptions) {
    this.#options = options;
    this.#startedMs = options.clock.now();
    this.#lastDrawMs = options.tty ? Number.NEGATIVE_INFINITY : this.#startedMs;
  }

  /** Counts one request sent. */
  request(): void {
    const now = this.#options.clock.now();
    this.#requests++;
    this.#firstRequestMs ??= now;
    this.#lastRequestMs = now;
  }

  /** Counts one throttled (or failed) request that will be retried. */
  retry(): void {
    this.#retries++;
  }

  /** Shows `p` if it is time to. */
  update(p: BackfillProgress): void {
    const now = this.#options.clock.now();
    this.#first ??= { ms: now, share: windowShareRead(p), scanned: p.counts.scanned };
    const every = this.#options.tty ? REDRAW_EVERY_MS : LINE_EVERY_MS;
    if (now - this.#lastDrawMs < every) return;
    this.#lastDrawMs = now;
    if (this.#options.tty) {
      const line = this.#bar(p, now);
      const width = this.#options.stream.columns;
      const fitted =
        width !== undefined && width > 10 ? [...line].slice(0, width - 1).join('') : line;
      this.#options.stream.write(`\r\u001b[2K${fitted}`);
      this.#drawn = true;
    } else this.#options.stream.write(`oidcwatch backfill: ${this.#facts(p, now)}\n`);
  }

  /** Clears the bar and prints the final line. */
  finish(p: BackfillProgress, ending: 'done' | 'interrupted' | 'failed'): void {
    if (this.#drawn) this.#options.stream.write('\r\u001b[2K');
    // A run that failed before its first page has nothing to add to the error itself.
    if (ending === 'failed' && p.counts.pages === 0) return;
    const seconds = (this.#options.clock.now() - this.#startedMs) / 1000;
    const c = p.counts;
    const verb =
      ending === 'done'
        ? 'read'
        : ending === 'interrupted'
          ? 'interrupted after reading'
          : 'stopped after reading';
    const regions = new Set(p.streams.map((s) => s.region)).size;
    const pace = [
      ...(regions > 1 ? [`${regions} Regions`] : []),
      ...this.#requestRate(regions > 1 ? ' in all' : ''),
      ...(this.#retries > 0 ? [`${formatCount(this.#retries)} throttled and retried`] : []),
    ];
    const parts = [
      `${verb} ${countOf(c.pages, 'page')}, ${countOf(c.scanned, 'event')} in ${formatDuration(seconds)}` +
        (pace.length > 0 ? ` (${pace.join(', ')})` : ''),
      `${countOf(c.results, 'result')}: ${countOf(c.failures, 'failure')}, ${formatCount(c.malformed)} malformed`,
    ];
    if (c.successesSkipped > 0)
      parts.push(`${formatCount(c.successesSkipped)} successful calls left out (--all keeps them)`);
    if (c.outOfScope > 0)
      parts.push(
        `${formatCount(c.outOfScope)} AssumeRole calls not made by a web-identity session`
      );
    if (ending !== 'done')
      parts.push(`${Math.floor(windowShareRead(p) * 100)}% of the window was read`);
    this.#options.stream.write(`oidcwatch backfill: ${parts.join('; ')}\n`);
  }

  /** Requests per second between the first and the last request (intervals, not requests). */
  #requestRate(suffix: string): string[] {
    const first = this.#firstRequestMs;
    const last = this.#lastRequestMs;
    if (first === null || last === null || last - first < 1000) return [];
    return [`${this.#rate(this.#requests - 1, (last - first) / 1000)} requests/s${suffix}`];
  }

  #rate(n: number, seconds: number): string {
    return seconds > 0 ? (n / seconds).toFixed(1) : '0.0';
  }

  /**
   * Remaining time at the pace since the first page: measuring from the start would count the
   * first page (sent at once, with a full bucket) as free and promise too early an end.
   */
  #eta(p: BackfillProgress, now: number): string {
    const share = windowShareRead(p);
    if (this.#first === null) return '…';
    const gained = share - this.#first.share;
    const elapsed = (now - this.#first.ms) / 1000;
    if (gained <= 0 || elapsed <= 0) return '…';
    return formatDuration((elapsed * (1 - share)) / gained);
  }

  #facts(p: BackfillProgress, now: number): string {
    const c = p.counts;
    const since = this.#first ?? { ms: now, scanned: c.scanned };
    const seconds = (now - since.ms) / 1000;
    return [
      `${Math.floor(windowShareRead(p) * 100)}% of the window`,
      countOf(c.pages, 'page'),
      `${countOf(c.scanned, 'event')} scanned`,
      countOf(c.failures, 'failure'),
      `${this.#rate(c.scanned - since.scanned, seconds)} events/s`,
      ...(this.#retries > 0 ? [`${formatCount(this.#retries)} throttled`] : []),
      `ETA ${this.#eta(p, now)}`,
    ].join(' · ');
  }

  #bar(p: BackfillProgress, now: number): string {
    const share = windowShareRead(p);
    const full = Math.round(share * BAR_WIDTH);
    return `backfill [${'█'.repeat(full)}${'░'.repeat(BAR_WIDTH - full)}] ${this.#facts(p, now)}`;
  }
}
