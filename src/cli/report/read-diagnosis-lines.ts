/**
 * The input step of `oidcwatch report`: JSON Lines of diagnoses (`oidcwatch classify --json`),
 * read line by line from files or stdin. Kept apart from the command so another reader (raw
 * CloudTrail events, classified on the way) can take its place.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { malformedDiagnosis, parseDiagnosisLine } from '../../domain/report/parse-diagnosis.js';
import type { Diagnosis } from '../../domain/types.js';

/** Where lines come from: a file path, or `-` for the given stdin. */
export interface InputSource {
  /** A file path, or `-` for stdin. */
  readonly path: string;
  /** Read when `path` is `-`. */
  readonly stdin: Readable;
}

/** A problem with the input, reported by the reader and never thrown. */
export type InputProblem =
  | {
      readonly kind: 'malformed';
      readonly source: string;
      readonly line: number;
      readonly reason: string;
    }
  | { readonly kind: 'unreadable'; readonly source: string; readonly reason: string };

/** The name of a source in messages: the path, or `<stdin>`. */
export function sourceName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

function openSource(source: InputSource): Readable {
  return source.path === '-' ? source.stdin : createReadStream(source.path);
}

function errorReason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Yields one {@link Diagnosis} per non-blank line of `source`. A line that is not a diagnosis
 * (not JSON, or no known `cause`) yields a `MALFORMED_EVENT` result — so it is counted — and is
 * reported through `onProblem` with its line number. A source that cannot be read is reported
 * as `unreadable` and ends the iteration; lines read before the error are kept.
 *
 * @example
 * ```ts
 * for await (const d of readDiagnosisLines({ path: 'diagnoses.jsonl', stdin: io.stdin }, warn)) {
 *   accumulator.add(d);
 * }
 * ```
 */
export async function* readDiagnosisLines(
  source: InputSource,
  onProblem: (problem: InputProblem) => void
): AsyncGenerator<Diagnosis> {
  const name = sourceName(source.path);
  const stream = openSource(source);
  let failure: unknown = null;
  // readline does not reject its iterator on every input error (e.g. ENOENT on open), so close it.
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  stream.once('error', (e) => {
    failure = e;
    lines.close();
  });
  let number = 0;
  try {
    for await (const raw of lines) {
      number += 1;
      const line = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim().length === 0) {
        continue;
      }
      const parsed = parseDiagnosisLine(line);
      if (parsed.ok) {
        yield parsed.diagnosis;
      } else {
        onProblem({ kind: 'malformed', source: name, line: number, reason: parsed.reason });
        yield malformedDiagnosis(`${name}:${number}: ${parsed.reason}`);
      }
    }
  } catch (e) {
    failure ??= e;
  } finally {
    lines.close();
    if (source.path !== '-') {
      stream.destroy();
    }
  }
  if (failure !== null) {
    onProblem({ kind: 'unreadable', source: name, reason: errorReason(failure) });
  }
}
