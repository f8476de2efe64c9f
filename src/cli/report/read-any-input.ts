/**
 * The input step of `oidcwatch report` for anything `classify` reads: JSON Lines of diagnoses are
 * taken as they are; raw CloudTrail records (envelopes, bare records, log files, gzip) are
 * classified on the way, against `--iam-snapshot` or live IAM, created only when a raw record is
 * met.
 */
import { readInputs } from '../../adapters/input/read-inputs.js';
import { diagnoseUnread } from '../../domain/classify/classify.js';
import { toDiagnosis } from '../../domain/report/parse-diagnosis.js';
import type { Diagnosis } from '../../domain/types.js';
import type { IamReader } from '../../ports.js';
import type { ChangeContext } from '../../usecases/change-context.js';
import { diagnoseRecord } from '../../usecases/diagnose-record.js';
import { placed, placeOf } from '../common/input-place.js';
import type { InputProblem, InputSource } from './read-diagnosis-lines.js';

const RAW_RECORD_KEYS = [
  'eventName',
  'eventSource',
  'userIdentity',
  'detail',
  'detail-type',
  // The record as a JSON string: lookup-events output, CloudTrail Lake and Athena exports.
  'CloudTrailEvent',
  'eventJson',
  'eventjson',
  'event_json',
];

/** `true` when a value is a CloudTrail record or EventBridge envelope rather than a diagnosis. */
function looksLikeRawRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('cause' in value) &&
    RAW_RECORD_KEYS.some((k) => k in value)
  );
}

/**
 * A `DiagnosisReader` that accepts diagnoses and raw records alike.
 *
 * @param readerFor - gives the IAM reader on first need (it may load a snapshot or set up clients)
 * @param changes - change correlation for the raw records (`--changes`)
 */
export function readAnyInput(readerFor: () => Promise<IamReader>, changes?: ChangeContext) {
  let reader: Promise<IamReader> | null = null;
  return async function* read(
    source: InputSource,
    onProblem: (p: InputProblem) => void
  ): AsyncGenerator<Diagnosis> {
    for await (const item of readInputs([source.path], { stdin: source.stdin })) {
      if (item.kind === 'unreadable') {
        const reason = item.reason.replace(`cannot read ${item.source}: `, '');
        onProblem({ kind: 'unreadable', source: item.source, reason });
      } else if (item.kind === 'malformed') {
        const reason = item.reason.replace(`${item.source}, record ${item.index}: `, '');
        onProblem({ kind: 'malformed', source: item.source, line: item.index + 1, reason });
        yield diagnoseUnread({
          kind: 'malformed',
          eventId: null,
          eventTime: null,
          reason: item.reason,
        });
      } else if (looksLikeRawRecord(item.value)) {
        reader ??= readerFor();
        yield placed(
          await diagnoseRecord(item.value, await reader, changes === undefined ? {} : { changes }),
          item
        );
      } else {
        const parsed = toDiagnosis(item.value);
        if (parsed.ok) yield parsed.diagnosis;
        else {
          onProblem({
            kind: 'malformed',
            source: item.source,
            line: item.line,
            reason: parsed.reason,
          });
          yield diagnoseUnread({
            kind: 'malformed',
            eventId: null,
            eventTime: null,
            reason: `${placeOf(item)}: not a diagnosis: ${parsed.reason}`,
          });
        }
      }
    }
  };
}
