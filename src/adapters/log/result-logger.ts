/**
 * The processor's structured log: one JSON line per result (pino), carrying every field of
 * `classify --json` (the remedy without its patched document) plus `failingJobKey` and `outcome`, which the Contributor Insights rule and the
 * Logs Insights queries read. Anything token-like is redacted before it is written, whatever field
 * it arrives in.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import { failingJobKey, isFailureCause } from '../../domain/failing-job.js';
import { compactRemedy } from '../../domain/remedy/remedy-text.js';
import type { Diagnosis } from '../../domain/types.js';

/** The `msg` of result lines (queries and the Contributor Insights rule filter on it). */
export const RESULT_MESSAGE = 'oidcwatch.result';

/**
 * `repositoryKey` of a result whose record names no repository (a non-GitHub `sub`, a custom
 * template without `repo`): the per-repository Contributor Insights rules key on `repositoryKey`,
 * and a log event without its key would not be counted at all.
 */
export const NO_REPOSITORY = '(no repository)';

/** What a result line says about the record. */
export type Outcome = 'failure' | 'success' | 'ignored' | 'malformed';

const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const SECRET_KEY = /token|secret|password|credential|authorization/i;
const REDACTED = '[REDACTED]';

/** Replaces token-like values anywhere in a log object (JWTs; values of secret-named keys). */
export function scrubSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string')
    return value.includes('eyJ') ? value.replace(JWT, REDACTED) : value;
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] =
      SECRET_KEY.test(k) && typeof v === 'string' && v !== '' && k !== 'failingJobKey'
        ? REDACTED
        : scrubSecrets(v, depth + 1);
  return out;
}

/** The outcome of a result. */
export function outcomeOf(d: Diagnosis): Outcome {
  if (d.cause === 'SUCCESS') return 'success';
  if (d.cause === 'IGNORED') return 'ignored';
  if (d.cause === 'MALFORMED_EVENT') return 'malformed';
  return isFailureCause(d.cause) ? 'failure' : 'success';
}

/**
 * The processor's logger.
 *
 * @param destination - where lines go (default: stdout, synchronously, so nothing is lost when the
 *   Lambda freezes)
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'oidcwatch' },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => scrubSecrets(obj) as Record<string, unknown>,
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true })
  );
}

/** Writes the line of one result. */
export function logResult(logger: Logger, d: Diagnosis, extra: Record<string, unknown> = {}): void {
  const line: Record<string, unknown> = { ...d, trace: undefined };
  // The remedy without the patched document: the edits say what changes, and a line stays small.
  if (d.remedy !== undefined && d.remedy !== null) line.remedy = compactRemedy(d.remedy);
  line.outcome = outcomeOf(d);
  line.failingJobKey = failingJobKey(d);
  line.repositoryKey = d.repository ?? NO_REPOSITORY;
  Object.assign(line, extra);
  if (d.cause === 'MALFORMED_EVENT' || d.cause === 'ENRICHMENT_FAILED')
    logger.warn(line, RESULT_MESSAGE);
  else logger.info(line, RESULT_MESSAGE);
}
