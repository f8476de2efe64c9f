/**
 * `oidcwatch classify [FILE…|-] [--iam-snapshot FILE] [--json]`: one result per input record
 * (DESIGN.md §6), then a per-repository summary (text mode).
 */
import { readInputs } from '../../adapters/input/read-inputs.js';
import { diagnoseUnread } from '../../domain/classify/classify.js';
import { ReportAccumulator } from '../../domain/report/aggregate.js';
import type { Diagnosis } from '../../domain/types.js';
import type { IamReader } from '../../ports.js';
import { diagnoseRecord } from '../../usecases/diagnose-record.js';
import type { CliIo, Command } from '../io.js';
import { EXIT } from '../io.js';
import { parseCommandArgs } from '../shared/args.js';
import { diagnosisJson, formatDiagnosisText } from '../shared/diagnosis-text.js';
import { reportError } from '../shared/exit-code.js';
import { iamReaderFor } from '../shared/iam-source.js';
import { RetryCollapser } from '../shared/retry-collapser.js';
import { styleFor } from '../shared/style.js';
import { renderClassifySummary } from '../shared/summary-text.js';

const HELP = `usage: oidcwatch classify [FILE…|-] [options]

Reads CloudTrail records (EventBridge envelopes, bare records, {"Records":[…]} log files, gzip,
JSON arrays, JSON Lines; directories are read recursively; - or nothing reads stdin) and prints
one diagnosis per record: cause, explanation and fix.

options:
  --iam-snapshot FILE  read IAM from a snapshot file (default: live IAM, default credentials)
  --json               print JSON Lines (one result per record)
  --trace              include the trust-policy evaluation trace (text and JSON)
  --owners LIST        comma-separated GitHub owners your roles are meant for (FOREIGN_OWNER)
  --no-summary         omit the per-repository summary (text mode)
  -h, --help           show this help
`;

/** Diagnoses every record of the inputs, in order, handing each result to `emit`. */
export async function classifyInputs(
  paths: readonly string[],
  reader: IamReader | null,
  emit: (d: Diagnosis) => void,
  io: Pick<CliIo, 'stdin' | 'stderr'>,
  owners: readonly string[] = []
): Promise<{ unreadable: number }> {
  let unreadable = 0;
  for await (const item of readInputs([...paths], { stdin: io.stdin })) {
    if (item.kind === 'unreadable') {
      unreadable++;
      io.stderr.write(`oidcwatch: ${item.reason}\n`);
    } else if (item.kind === 'malformed') {
      emit(
        diagnoseUnread({ kind: 'malformed', eventId: null, eventTime: null, reason: item.reason })
      );
    } else {
      emit(await diagnoseRecord(item.value, reader, { owners }));
    }
  }
  return { unreadable };
}

/** Runs `oidcwatch classify`. */
export const run: Command = async (argv, io) => {
  try {
    const { values, positionals } = parseCommandArgs('classify', argv, {
      'iam-snapshot': { type: 'string' },
      json: { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      owners: { type: 'string' },
      'no-summary': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    const reader = await iamReaderFor(values['iam-snapshot'], io.env);
    const owners = (values.owners ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    const style = styleFor(io.stdout, io.env);
    const summary = new ReportAccumulator();
    const text = new RetryCollapser(
      (d) => formatDiagnosisText(d, style, values.trace),
      (s) => io.stdout.write(s),
      style
    );
    const { unreadable } = await classifyInputs(
      positionals,
      reader,
      (d) => {
        summary.add(d);
        if (values.json) io.stdout.write(`${diagnosisJson(d, values.trace)}\n`);
        else if (values.trace) io.stdout.write(formatDiagnosisText(d, style, true));
        else text.add(d);
      },
      io,
      owners
    );
    text.flush();
    if (!values.json && !values['no-summary'])
      io.stdout.write(
        renderClassifySummary(
          summary.result(),
          io.stdout.isTTY === true && io.env.NO_COLOR === undefined
        )
      );
    const accessProblem =
      'accessProblem' in reader ? (reader.accessProblem as string | null) : null;
    if (accessProblem !== null) {
      io.stderr.write(
        `oidcwatch: AWS could not be read, results are classified without IAM: ${accessProblem}\n`
      );
      return EXIT.AWS;
    }
    return unreadable > 0 ? EXIT.USAGE : EXIT.OK;
  } catch (e) {
    return reportError(e, io);
  }
};
