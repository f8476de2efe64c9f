/**
 * What the README shows of the dashboard and the report, made from the bundled sample data: the
 * rows the dashboard's "Recent failures" and "IAM changes behind failures" tables hold after the
 * processor ran on examples/ (their queries' grouping applied to its real log lines), and the
 * fingerprint of the sample report the screenshots were taken of. `scripts/generate-readme-pictures.ts`
 * writes them; tests fail when they are stale.
 */
import { createHash } from 'node:crypto';
import { run as report } from '../../src/cli/commands/report.js';
import { fakeIo } from './fake-io.js';
import type { SampleRun } from './sample-processor.js';
import { SAMPLE_REPORT_ARGS } from './sample-report.js';

const EXCERPT = /<!-- dashboard-excerpt:start -->\n[\s\S]*?<!-- dashboard-excerpt:end -->/;

function cell(v: unknown): string {
  const text = v === null || v === undefined ? '' : String(v);
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

interface Group {
  lines: Map<string, unknown>[];
  last: Map<string, unknown>;
}

/** Lines grouped by `field` (as `stats … by field`), `latest()` taken by eventTime. */
function groups(lines: readonly Map<string, unknown>[], field: string): Group[] {
  const by = new Map<unknown, Group>();
  for (const l of lines) {
    const key = l.get(field);
    const g = by.get(key);
    if (g === undefined) by.set(key, { lines: [l], last: l });
    else {
      g.lines.push(l);
      if (String(l.get('eventTime')) >= String(g.last.get('eventTime'))) g.last = l;
    }
  }
  return [...by.values()];
}

/** The first rows of the dashboard's two failure tables, for the sample data. */
export function dashboardExcerpt(run: SampleRun, rows = 8): string {
  const failures = run.resultLines.filter((l) => l.get('outcome') === 'failure');
  const jobs = groups(failures, 'failingJobKey')
    .sort((a, b) => String(b.last.get('eventTime')).localeCompare(String(a.last.get('eventTime'))))
    .slice(0, rows)
    .map((g) => [
      String(g.last.get('eventTime')).replace('T', ' '),
      g.last.get('repository'),
      g.last.get('cause'),
      g.last.get('detail'),
      g.last.get('sub'),
      g.last.get('fix'),
      g.lines.length,
    ]);
  const changes = groups(
    failures.filter((l) => l.get('change.kind') !== undefined),
    'change.eventId'
  )
    .sort((a, b) => String(b.last.get('change.at')).localeCompare(String(a.last.get('change.at'))))
    .map((g) => [
      g.last.get('change.at'),
      g.last.get('change.by'),
      g.last.get('change.kind'),
      g.last.get('change.roleArn') ?? g.last.get('change.providerArn'),
      g.last.get('change.summary'),
      g.lines.length,
    ]);
  return [
    `**Recent failures, one row per failing job** (first ${rows} rows):`,
    '',
    table(
      ['lastAttempt', 'repo', 'failureCause', 'causeDetail', 'jobSub', 'howToFix', 'attempts'],
      jobs
    ),
    '',
    '**IAM changes behind failures:**',
    '',
    table(
      ['changedAt', 'changedBy', 'changeType', 'changedRole', 'whatItRemoved', 'failuresSince'],
      changes
    ),
  ].join('\n');
}

/** `readme` with its dashboard excerpt replaced by the one of `run`. */
export function withDashboardExcerpt(readme: string, run: SampleRun): string {
  return readme.replace(
    EXCERPT,
    `<!-- dashboard-excerpt:start -->\n${dashboardExcerpt(run)}\n<!-- dashboard-excerpt:end -->`
  );
}

/** The numbers of the sample report: what the screenshots show, independent of styling. */
export async function sampleReportFingerprint(): Promise<string> {
  const io = fakeIo();
  await report([...SAMPLE_REPORT_ARGS, '--json'], io);
  const r = JSON.parse(io.out()) as {
    totals: unknown;
    repositories: {
      repository: string;
      failures: number;
      failingJobs: number;
      causes: { cause: string; detail: string | null; failures: number }[];
    }[];
  };
  const shape = {
    totals: r.totals,
    repositories: r.repositories.map((x) => [
      x.repository,
      x.failures,
      x.failingJobs,
      x.causes.map((c) => [c.cause, c.detail, c.failures]),
    ]),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex');
}
