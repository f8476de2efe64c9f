/**
 * Writes the audit's machine-readable reports (`--sarif FILE`, `--junit FILE`) for CI and code
 * scanning. `-` writes to stdout (the text report is then left out).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { AuditReport, Severity } from '../../domain/audit/audit-types.js';
import { OidcwatchError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';
import { packageVersion } from '../version.js';
import { type FindingLocator, liveLocator, snapshotLocator } from './finding-location.js';
import { renderAuditJunit } from './render-junit.js';
import { renderAuditSarif } from './render-sarif.js';

/** Where to write each report (`undefined`: not asked for). */
export interface AuditReportFiles {
  readonly sarif?: string | undefined;
  readonly junit?: string | undefined;
}

/** Help lines of the options. */
export const REPORT_FILES_HELP = `  --sarif FILE          also write the findings as SARIF 2.1.0 (GitHub code scanning);
                        "-" writes it to stdout instead of the text
  --junit FILE          also write the findings as JUnit XML (CI test reports); findings at
                        or above --fail-on (default low) are failures; "-": stdout
`;

/** `true` when a report goes to stdout (the text report is then not printed). */
export function reportsUseStdout(files: AuditReportFiles): boolean {
  return files.sarif === '-' || files.junit === '-';
}

async function locatorFor(snapshotFile: string | undefined): Promise<FindingLocator> {
  if (snapshotFile === undefined) return liveLocator;
  return snapshotLocator(snapshotFile, await readFile(snapshotFile, 'utf8'), process.cwd());
}

async function write(
  file: string,
  text: string,
  option: string,
  io: Pick<CliIo, 'stdout'>
): Promise<void> {
  if (file === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(file, text, 'utf8');
  } catch (e) {
    throw new OidcwatchError(
      'ERR_USAGE',
      `audit: cannot write ${option} file "${file}": ${e instanceof Error ? e.message : String(e)}`
    );
  }
}

/**
 * Writes the reports asked for.
 *
 * @param snapshotFile - the snapshot the audit read (findings are located in it), else live IAM
 * @throws OidcwatchError `ERR_USAGE` naming a file that cannot be written, or both reports on stdout
 */
export async function writeAuditReports(
  report: AuditReport,
  files: AuditReportFiles,
  opts: { readonly snapshotFile: string | undefined; readonly failOn: Severity | null },
  io: Pick<CliIo, 'stdout'>
): Promise<void> {
  if (files.sarif === '-' && files.junit === '-')
    throw new OidcwatchError('ERR_USAGE', 'audit: only one of --sarif and --junit can be "-"');
  if (files.sarif !== undefined) {
    const locate = await locatorFor(opts.snapshotFile);
    await write(
      files.sarif,
      renderAuditSarif(report, { version: packageVersion(), locate }),
      '--sarif',
      io
    );
  }
  if (files.junit !== undefined)
    await write(
      files.junit,
      renderAuditJunit(report, opts.failOn === null ? {} : { failOn: opts.failOn }),
      '--junit',
      io
    );
}
