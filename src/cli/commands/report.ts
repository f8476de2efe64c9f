/**
 * `oidcwatch report [FILE…|-] [--json|--csv|--html FILE] [--bucket MINUTES] [--changes FILE…]`:
 * the per-repository report of failed role assumptions, from the JSON Lines that
 * `oidcwatch classify --json` prints (or raw records), with the configuration changes behind them.
 */
import { writeFile } from 'node:fs/promises';
import { ReportAccumulator } from '../../domain/report/aggregate.js';
import type { Report } from '../../domain/report/report-types.js';
import type { Diagnosis } from '../../domain/types.js';
import { parseCommandArgs } from '../common/args.js';
import { CHANGES_HELP, CHANGES_OPTIONS, changeContextFromFiles } from '../common/change-source.js';
import { reportError } from '../common/exit-code.js';
import { iamReaderFor } from '../common/iam-source.js';
import { checkInputPaths } from '../common/input-paths.js';
import { colorEnabled } from '../common/style.js';
import type { CliIo, Command } from '../io.js';
import { EXIT, refuseTerminalStdin } from '../io.js';
import { readAnyInput } from '../report/read-any-input.js';
import {
  type InputProblem,
  type InputSource,
  readDiagnosisLines,
} from '../report/read-diagnosis-lines.js';
import { renderReportCsv } from '../report/render-csv.js';
import { renderReportHtml } from '../report/render-html.js';
import { renderReportJson } from '../report/render-json.js';
import { renderReportText } from '../report/render-text.js';

const USAGE = `usage: oidcwatch report [FILE…|-] [--json|--csv|--html FILE] [--bucket MINUTES]

Per-repository report of failed role assumptions. Reads diagnoses (the JSON Lines of
"oidcwatch classify --json") or raw CloudTrail records (anything classify reads; they are
classified on the way) from each FILE or directory, or from stdin when none is given or FILE is "-".

options:
  --iam-snapshot FILE  classify raw records against this IAM snapshot (default: live IAM)
  --json            print the report as JSON
  --csv             print one CSV row per repository × cause
  --html FILE       write a self-contained HTML page to FILE ("-": stdout)
  --bucket MINUTES  width of the time-series buckets (default: automatic, ≤ 60 buckets)
${CHANGES_HELP}  -h, --help        show this help
`;

/** Malformed lines reported one by one before the rest are only counted. */
const MAX_LINE_MESSAGES = 50;

/** Reads every source into the accumulator; the input step `report` can be given another one. */
export type DiagnosisReader = (
  source: InputSource,
  onProblem: (problem: InputProblem) => void
) => AsyncIterable<Diagnosis>;

type Format =
  | { kind: 'text' }
  | { kind: 'json' }
  | { kind: 'csv' }
  | { kind: 'html'; file: string };

interface ReportArgs {
  readonly format: Format;
  readonly bucketMinutes: number | undefined;
  readonly paths: readonly string[];
  readonly snapshot: string | undefined;
  readonly changes: readonly string[] | undefined;
  readonly changeWindow: string | undefined;
}

function parse(argv: readonly string[]): ReportArgs | { help: true } | { error: string } {
  let values: {
    json?: boolean;
    csv?: boolean;
    html?: string;
    bucket?: string;
    help?: boolean;
    'iam-snapshot'?: string;
    changes?: string[];
    'change-window'?: string;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs('report', argv, {
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      html: { type: 'string' },
      bucket: { type: 'string' },
      'iam-snapshot': { type: 'string' },
      ...CHANGES_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    }));
  } catch (e) {
    return { error: e instanceof Error ? e.message.replace(/^report: /, '') : String(e) };
  }
  if (values.help === true) {
    return { help: true };
  }
  const chosen = [values.json === true, values.csv === true, values.html !== undefined];
  if (chosen.filter(Boolean).length > 1) {
    return { error: '--json, --csv and --html are mutually exclusive' };
  }
  let bucketMinutes: number | undefined;
  if (values.bucket !== undefined) {
    bucketMinutes = Number(values.bucket);
    if (!/^\d+$/.test(values.bucket) || !Number.isSafeInteger(bucketMinutes) || bucketMinutes < 1) {
      return { error: `"--bucket" must be a whole number of minutes ≥ 1, got "${values.bucket}"` };
    }
  }
  const format: Format =
    values.html !== undefined
      ? { kind: 'html', file: values.html }
      : values.json === true
        ? { kind: 'json' }
        : values.csv === true
          ? { kind: 'csv' }
          : { kind: 'text' };
  return {
    format,
    bucketMinutes,
    paths: positionals.length > 0 ? positionals : ['-'],
    snapshot: values['iam-snapshot'],
    changes: values.changes,
    changeWindow: values['change-window'],
  };
}

/**
 * Aggregates every source with `read`, reporting problems on stderr. Returns the report and
 * whether some source could not be read.
 */
export async function collectReport(
  paths: readonly string[],
  io: CliIo,
  opts: { readonly bucketMinutes?: number | undefined; readonly read?: DiagnosisReader } = {}
): Promise<{ report: Report; unreadable: number }> {
  const read = opts.read ?? readDiagnosisLines;
  const acc = new ReportAccumulator({ bucketMinutes: opts.bucketMinutes });
  let unreadable = 0;
  let malformed = 0;
  const onProblem = (p: InputProblem): void => {
    if (p.kind === 'unreadable') {
      unreadable += 1;
      io.stderr.write(`oidcwatch report: cannot read ${p.source}: ${p.reason}\n`);
      return;
    }
    malformed += 1;
    if (malformed <= MAX_LINE_MESSAGES) {
      io.stderr.write(`oidcwatch report: ${p.source}:${p.line}: not a diagnosis: ${p.reason}\n`);
    }
  };
  // stdin can be read once; "-" given twice reads it once.
  for (const path of new Set(paths)) {
    for await (const d of read({ path, stdin: io.stdin }, onProblem)) {
      acc.add(d);
    }
  }
  if (malformed > MAX_LINE_MESSAGES) {
    io.stderr.write(
      `oidcwatch report: ${malformed - MAX_LINE_MESSAGES} more malformed lines not shown (${malformed} in all)\n`
    );
  }
  return { report: acc.result(), unreadable };
}

/**
 * Runs `oidcwatch report`. Exit code 0 when every input was read (malformed lines are counted and
 * reported, not fatal), 1 for bad arguments, an unreadable input (the others are still read and
 * reported) or an HTML file that cannot be written.
 *
 * @example
 * ```sh
 * oidcwatch classify events/ --json | oidcwatch report --html report.html
 * oidcwatch report diagnoses.jsonl --csv > report.csv
 * ```
 */
export const run: Command = async (argv, io) => {
  const args = parse(argv);
  if ('help' in args) {
    io.stdout.write(USAGE);
    return EXIT.OK;
  }
  if ('error' in args) {
    io.stderr.write(`oidcwatch report: ${args.error}\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (refuseTerminalStdin('report', args.paths, io, USAGE)) return EXIT.USAGE;
  let collected: { report: Report; unreadable: number };
  try {
    await checkInputPaths(args.paths);
    const changes = await changeContextFromFiles('report', args.changes, args.changeWindow, io);
    collected = await collectReport(args.paths, io, {
      bucketMinutes: args.bucketMinutes,
      read: readAnyInput(() => iamReaderFor(args.snapshot, io.env), changes),
    });
  } catch (e) {
    return reportError(e, io, 'report');
  }
  try {
    return await writeReport(collected, args.format, io);
  } catch (e) {
    // A renderer fault is reported like any other error, never as an uncaught exception.
    return reportError(e, io, 'report');
  }
};

/** Renders the report in `format` to stdout or its file; returns the exit code. */
async function writeReport(
  collected: { report: Report; unreadable: number },
  format: Format,
  io: CliIo
): Promise<number> {
  const { report, unreadable } = collected;
  const code = unreadable > 0 ? EXIT.USAGE : EXIT.OK;
  switch (format.kind) {
    case 'json':
      io.stdout.write(renderReportJson(report));
      return code;
    case 'csv':
      io.stdout.write(renderReportCsv(report));
      return code;
    case 'text': {
      const color = colorEnabled(io.stdout, io.env);
      io.stdout.write(renderReportText(report, { color }));
      return code;
    }
    case 'html': {
      const html = renderReportHtml(report, {
        title: 'oidcwatch report',
        generatedAt: io.now(),
      });
      if (format.file === '-') {
        io.stdout.write(html);
        return code;
      }
      try {
        await writeFile(format.file, html, 'utf8');
      } catch (e) {
        io.stderr.write(
          `oidcwatch report: cannot write ${format.file}: ${e instanceof Error ? e.message : String(e)}\n`
        );
        return EXIT.USAGE;
      }
      io.stderr.write(
        `oidcwatch report: wrote ${format.file} (${report.totals.failures} failures, ${report.repositories.length} repositories)\n`
      );
      return code;
    }
  }
}
