/**
 * `oidcwatch classify [FILE…|-] [--iam-snapshot FILE] [--json] [--changes FILE…]`: one result per
 * input record (README, "Conventions"), then a per-repository summary (text mode). With `--changes`, each
 * failure says which IAM configuration change explains it.
 */
import { readInputBatches } from '../../adapters/input/read-inputs.js';
import { diagnoseUnread } from '../../domain/classify/classify.js';
import type { Diagnosis } from '../../domain/types.js';
import type { IamReader } from '../../ports.js';
import type { ChangeContext } from '../../usecases/change-context.js';
import { cachedDiagnosis, diagnoseRecord } from '../../usecases/diagnose-record.js';
import { parseCommandArgs } from '../common/args.js';
import { CHANGES_HELP, CHANGES_OPTIONS, changeContextFromFiles } from '../common/change-source.js';
import { reportError } from '../common/exit-code.js';
import { iamReaderFor } from '../common/iam-source.js';
import { checkInputPaths } from '../common/input-paths.js';
import { placed } from '../common/input-place.js';
import { ResultsPrinter } from '../common/results-printer.js';
import type { CliIo, Command } from '../io.js';
import { EXIT, refuseTerminalStdin, whenWritable } from '../io.js';

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
${CHANGES_HELP}  -h, --help           show this help
`;

/**
 * Diagnoses every record of the inputs, in order, handing each result to `emit`. With
 * `io.stdout`, waits after each batch while stdout is full (a slow reader of a pipe): what `emit`
 * prints never piles up in memory.
 */
export async function classifyInputs(
  paths: readonly string[],
  reader: IamReader | null,
  emit: (d: Diagnosis) => void,
  io: Pick<CliIo, 'stdin' | 'stderr'> & Partial<Pick<CliIo, 'stdout'>>,
  owners: readonly string[] = [],
  changes?: ChangeContext
): Promise<{ unreadable: number }> {
  let unreadable = 0;
  const options = changes === undefined ? { owners } : { owners, changes };
  for await (const batch of readInputBatches([...paths], { stdin: io.stdin })) {
    for (const item of batch) {
      if (item.kind === 'unreadable') {
        unreadable++;
        io.stderr.write(`oidcwatch classify: ${item.reason}\n`);
      } else if (item.kind === 'malformed') {
        emit(
          diagnoseUnread({ kind: 'malformed', eventId: null, eventTime: null, reason: item.reason })
        );
      } else {
        // A job's retries were classified with its first attempt: no await for them.
        emit(
          placed(
            cachedDiagnosis(item.value, reader, options) ??
              (await diagnoseRecord(item.value, reader, options)),
            item
          )
        );
      }
    }
    if (io.stdout !== undefined) await whenWritable(io.stdout);
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
      ...CHANGES_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    if (refuseTerminalStdin('classify', positionals, io, HELP)) return EXIT.USAGE;
    await checkInputPaths(positionals);
    const changes = await changeContextFromFiles(
      'classify',
      values.changes,
      values['change-window'],
      io
    );
    const reader = await iamReaderFor(values['iam-snapshot'], io.env);
    const owners = (values.owners ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    const printer = new ResultsPrinter(io, {
      json: values.json,
      trace: values.trace,
      summary: !values['no-summary'],
      // Files are ordered by event time; stdin is printed as it streams in.
      ordered: positionals.length > 0 && !positionals.includes('-'),
    });
    const { unreadable } = await classifyInputs(
      positionals,
      reader,
      (d) => printer.add(d),
      io,
      owners,
      changes
    );
    printer.finish();
    const accessProblem =
      'accessProblem' in reader ? (reader.accessProblem as string | null) : null;
    if (accessProblem !== null) {
      io.stderr.write(
        `oidcwatch classify: AWS could not be read, results are classified without IAM: ${accessProblem}\n`
      );
      return EXIT.AWS;
    }
    return unreadable > 0 ? EXIT.USAGE : EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'classify');
  }
};
