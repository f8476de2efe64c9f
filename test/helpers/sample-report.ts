/**
 * The HTML report of the bundled sample data, as `oidcwatch report examples/events
 * --iam-snapshot examples/iam-snapshot.json --changes examples/changes --html -` writes it (with
 * the fake clock's time as "generated"), for the layout test and the README screenshots.
 */
import { run } from '../../src/cli/commands/report.js';
import { fakeIo } from './fake-io.js';

/** The arguments that make the sample report. */
export const SAMPLE_REPORT_ARGS = [
  'examples/events',
  '--iam-snapshot',
  'examples/iam-snapshot.json',
  '--changes',
  'examples/changes',
] as const;

/** The sample report page. */
export async function sampleReportHtml(): Promise<string> {
  const io = fakeIo();
  const code = await run([...SAMPLE_REPORT_ARGS, '--html', '-'], io);
  if (code !== 0 && !io.out().startsWith('<!DOCTYPE html>'))
    throw new Error(`oidcwatch report exited ${code}: ${io.err()}`);
  return io.out();
}
