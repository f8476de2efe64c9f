/**
 * `backfill`'s use case: read CloudTrail's event history Region by Region (in parallel; within a
 * Region the lookups run one after the other, as they share its rate limit), diagnose every record
 * kept, and return the results in time order. Interrupting (the signal) keeps what was found.
 */
import { diagnoseUnread } from '../../domain/classify/classify.js';
import { OidcwatchError } from '../../domain/errors.js';
import { isFailureCause } from '../../domain/failing-job.js';
import type { Diagnosis } from '../../domain/types.js';
import type { IamReader } from '../../ports.js';
import type { ChangeContext } from '../change-context.js';
import { diagnoseRecord } from '../diagnose-record.js';
import type {
  CloudTrailHistory,
  HistoryEvent,
  HistoryEventName,
  HistoryQuery,
} from './cloudtrail-history.js';

/** What to look up. */
export interface BackfillQuery {
  readonly regions: readonly string[];
  readonly start: Date;
  readonly end: Date;
  /** The lookups per Region, in order. */
  readonly eventNames: readonly HistoryEventName[];
  /** Keep successful calls too (`--all`); by default only records with an `errorCode`. */
  readonly includeSuccesses: boolean;
  /** GitHub owners the roles are meant for (`FOREIGN_OWNER`). */
  readonly owners: readonly string[];
  /** Keep each result's evaluation trace (large). */
  readonly keepTrace: boolean;
  /** Change correlation: failures are annotated with the IAM change that explains them. */
  readonly changes?: ChangeContext;
}

/** Where one lookup stands. */
export interface StreamProgress {
  readonly region: string;
  readonly eventName: HistoryEventName;
  readonly state: 'pending' | 'running' | 'done' | 'stopped';
  /** The oldest `EventTime` read so far (events come newest first), ms. */
  readonly oldestMs: number | null;
}

/** Counters of a backfill run. */
export interface BackfillCounts {
  /** Pages received. */
  readonly pages: number;
  /** Events received. */
  readonly scanned: number;
  /** Results kept (the output). */
  readonly results: number;
  /** Results that are failures of the role assumption. */
  readonly failures: number;
  /** Events whose `CloudTrailEvent` could not be read (kept as `MALFORMED_EVENT`). */
  readonly malformed: number;
  /** Successful calls left out (no `errorCode`; `--all` keeps them). */
  readonly successesSkipped: number;
  /** `AssumeRole` records not made by a web-identity session (out of scope). */
  readonly outOfScope: number;
}

/** A snapshot of the run, after every page. */
export interface BackfillProgress {
  readonly counts: BackfillCounts;
  readonly streams: readonly StreamProgress[];
  readonly start: Date;
  readonly end: Date;
}

/** The outcome of a run. */
export interface BackfillOutcome {
  /** The results, oldest first (ties keep the order they were read in). */
  readonly diagnoses: readonly Diagnosis[];
  readonly counts: BackfillCounts;
  readonly streams: readonly StreamProgress[];
  /** `true` when the signal stopped the run before every lookup was done. */
  readonly interrupted: boolean;
  /** The first AWS failure, which stopped the run; `null` when none. */
  readonly failure: OidcwatchError | null;
}

/** Dependencies of `collectHistory`. */
export interface BackfillDeps {
  readonly history: CloudTrailHistory;
  /** IAM for enrichment; `null` classifies from the error code alone. */
  readonly reader: IamReader | null;
  /** Aborting stops fetching; what was found is returned. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BackfillProgress) => void;
}

type MutableCounts = { -readonly [K in keyof BackfillCounts]: BackfillCounts[K] };

interface MutableStream {
  readonly region: string;
  readonly eventName: HistoryEventName;
  state: StreamProgress['state'];
  oldestMs: number | null;
}

/** `2026-11-27T14:03:12.000Z` → `2026-11-27T14:03:12Z`, as CloudTrail writes times. */
function cloudTrailTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The record of an event, or the reason it cannot be read. */
function parseEvent(
  e: HistoryEvent,
  region: string
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const which = `CloudTrail event ${e.eventId ?? '(no EventId)'} (LookupEvents, ${region})`;
  if (e.cloudTrailEvent === undefined)
    return { ok: false, reason: `${which} has no CloudTrailEvent` };
  try {
    return { ok: true, value: JSON.parse(e.cloudTrailEvent) };
  } catch (err) {
    return {
      ok: false,
      reason: `${which}: CloudTrailEvent is not JSON: ${(err as Error).message}`,
    };
  }
}

function hasErrorCode(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
  const code = (value as { errorCode?: unknown }).errorCode;
  return typeof code === 'string' && code !== '';
}

function timeOf(d: Diagnosis): number {
  const ms = d.eventTime === null ? Number.NaN : Date.parse(d.eventTime);
  return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}

/**
 * Reads the history and diagnoses it.
 *
 * @example
 * ```ts
 * const outcome = await collectHistory(
 *   { regions: ['us-east-1'], start, end, eventNames: ['AssumeRoleWithWebIdentity', 'AssumeRole'],
 *     includeSuccesses: false, owners: [], keepTrace: false },
 *   { history: new LookupEventsSource({ clientFor, clock: systemClock }), reader }
 * );
 * ```
 */
export async function collectHistory(
  query: BackfillQuery,
  deps: BackfillDeps
): Promise<BackfillOutcome> {
  const counts: MutableCounts = {
    pages: 0,
    scanned: 0,
    results: 0,
    failures: 0,
    malformed: 0,
    successesSkipped: 0,
    outOfScope: 0,
  };
  const streams: MutableStream[] = query.regions.flatMap((region) =>
    query.eventNames.map((eventName) => ({
      region,
      eventName,
      state: 'pending' as const,
      oldestMs: null,
    }))
  );
  const found: Diagnosis[] = [];
  const stop = new AbortController();
  const external = deps.signal;
  const onAbort = () => stop.abort(external?.reason);
  external?.addEventListener('abort', onAbort, { once: true });
  if (external?.aborted) onAbort();
  let failure: OidcwatchError | null = null;
  /** A failure that is not AWS's (a bug): rethrown once every Region has stopped. */
  let unexpected: { error: unknown } | null = null;

  const report = () =>
    deps.onProgress?.({
      counts: { ...counts },
      streams: streams.map((s) => ({ ...s })),
      start: query.start,
      end: query.end,
    });

  const keep = (d: Diagnosis) => {
    const kept = query.keepTrace || d.trace === null ? d : { ...d, trace: null };
    found.push(kept);
    counts.results++;
    if (isFailureCause(d.cause)) counts.failures++;
    if (d.cause === 'MALFORMED_EVENT') counts.malformed++;
  };

  const handle = async (e: HistoryEvent, stream: MutableStream) => {
    const parsed = parseEvent(e, stream.region);
    if (!parsed.ok) {
      keep(
        diagnoseUnread({
          kind: 'malformed',
          eventId: e.eventId,
          eventTime: cloudTrailTime(e.eventTimeMs),
          reason: parsed.reason,
        })
      );
      return;
    }
    if (!query.includeSuccesses && !hasErrorCode(parsed.value)) {
      counts.successesSkipped++;
      return;
    }
    const d = await diagnoseRecord(parsed.value, deps.reader, {
      owners: query.owners,
      ...(query.changes === undefined ? {} : { changes: query.changes }),
    });
    // The AssumeRole lookup returns every role assumption of the account: only those made by a
    // web-identity session are ours (README, "classify").
    if (stream.eventName === 'AssumeRole' && d.cause === 'IGNORED') {
      counts.outOfScope++;
      return;
    }
    keep(d);
  };

  const runStream = async (stream: MutableStream) => {
    if (stop.signal.aborted) return;
    stream.state = 'running';
    const q: HistoryQuery = {
      region: stream.region,
      eventName: stream.eventName,
      start: query.start,
      end: query.end,
    };
    for await (const page of deps.history.pages(q, stop.signal)) {
      counts.pages++;
      for (const e of page.events) {
        counts.scanned++;
        if (e.eventTimeMs !== null && (stream.oldestMs === null || e.eventTimeMs < stream.oldestMs))
          stream.oldestMs = e.eventTimeMs;
        await handle(e, stream);
      }
      report();
      if (stop.signal.aborted) return;
    }
    stream.state = 'done';
  };

  const runRegion = async (region: string) => {
    for (const stream of streams.filter((s) => s.region === region)) {
      try {
        await runStream(stream);
      } catch (e) {
        if (e instanceof OidcwatchError) failure ??= e;
        else if (!stop.signal.aborted) unexpected ??= { error: e };
        // Not an AWS failure, and stopped: the signal's reason, which is what was asked for.
        stop.abort(e);
        return;
      } finally {
        if (stream.state === 'running') stream.state = 'stopped';
      }
      if (stop.signal.aborted) return;
    }
  };

  try {
    await Promise.all(query.regions.map(runRegion));
  } finally {
    external?.removeEventListener('abort', onAbort);
  }
  // Assigned in the callbacks above, which TypeScript's narrowing does not see.
  const bug = unexpected as { error: unknown } | null;
  if (bug !== null) throw bug.error;
  report();
  const order = found.map((d, i) => ({ d, i, t: timeOf(d) }));
  order.sort((a, b) => a.t - b.t || a.i - b.i);
  return {
    diagnoses: order.map((o) => o.d),
    counts: { ...counts },
    streams: streams.map((s) => ({ ...s })),
    interrupted:
      failure === null && external?.aborted === true && streams.some((s) => s.state !== 'done'),
    failure,
  };
}
