/**
 * The dashboard against what the processor really writes: the processor runs on the bundled sample
 * data (examples/events, with the IAM changes of examples/changes and IAM from
 * examples/iam-snapshot.json), its EMF documents and log lines are captured, and every widget of
 * the body the stack deploys and of the body `oidcwatch dashboard` prints is checked against them:
 * each metric with the dimension set it is drawn with, each log field a query reads on the lines
 * the query filters for. The failing-jobs table is run over the captured lines: one row per job.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  causeLegend,
  DASHBOARD_PLACEHOLDERS,
  type DashboardValues,
  loadDashboardTemplate,
  queryFields,
  queryMessage,
  renderDashboard,
} from '../../infra/lib/dashboard-template.js';
import { run as dashboardCommand } from '../../src/cli/commands/dashboard.js';
import { countFailingJobs } from '../../src/domain/failing-job.js';
import { fakeIo } from '../helpers/fake-io.js';
import { runProcessorOnSamples } from '../helpers/sample-processor.js';

const NAMESPACE = 'OIDCWatch';

/** `metric [dims]` of every EMF directive. */
function emitted(docs: readonly Record<string, unknown>[]): Set<string> {
  const out = new Set<string>();
  for (const doc of docs) {
    const aws = doc._aws as {
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string }[];
      }[];
    };
    for (const d of aws.CloudWatchMetrics)
      for (const m of d.Metrics)
        for (const dims of d.Dimensions)
          out.add(`${d.Namespace} ${m.Name} [${[...dims].sort().join(',')}]`);
  }
  return out;
}

interface Widget {
  type: string;
  properties: { title?: string; query?: string; metrics?: unknown[][] };
}

/** `namespace metric [dims]` of every metric a widget draws in our namespace. */
function drawn(widget: Widget): string[] {
  const out: string[] = [];
  for (const row of widget.properties.metrics ?? []) {
    const options = row.find((x) => typeof x === 'object' && x !== null) as
      | { expression?: string }
      | undefined;
    for (const m of (options?.expression ?? '').matchAll(
      /SEARCH\('\{([^}]*)\}\s*MetricName="(\w+)"/g
    )) {
      const [ns, ...dims] = (m[1] ?? '').split(',').map((s) => s.trim());
      if (ns === NAMESPACE) out.push(`${ns} ${m[2]} [${dims.sort().join(',')}]`);
    }
    const [ns, metric, ...rest] = row.filter((x) => typeof x === 'string') as string[];
    if (ns !== NAMESPACE || metric === undefined) continue;
    const dims = rest.filter((_, i) => i % 2 === 0);
    out.push(`${ns} ${metric} [${dims.sort().join(',')}]`);
  }
  return out;
}

let emf: Set<string>;
let resultLines: Map<string, unknown>[] = [];
let changeLines: Map<string, unknown>[] = [];

beforeAll(async () => {
  const run = await runProcessorOnSamples();
  emf = emitted(run.emf);
  resultLines = run.resultLines;
  changeLines = run.changeLines;
});

function stackValues(): DashboardValues {
  const values = Object.fromEntries(DASHBOARD_PLACEHOLDERS.map((p) => [p, `sample-${p}`]));
  return {
    ...values,
    Namespace: NAMESPACE,
    AnomalyBandWidth: '2',
    CauseLegend: causeLegend(),
  } as DashboardValues;
}

async function cliBody(): Promise<{ widgets: Widget[] }> {
  const io = fakeIo();
  const code = await dashboardCommand(
    ['--region', 'eu-west-1', '--account', '111122223333', '--dead-letter-queue', 'dlq'],
    io
  );
  expect(code).toBe(0);
  return JSON.parse(io.out());
}

describe('the dashboard against the processor run on the sample data', () => {
  it('captured result lines, change lines and metrics to compare with', () => {
    // Assess
    expect(resultLines.length).toBeGreaterThan(50);
    expect(changeLines.length).toBeGreaterThan(0);
    expect(resultLines.some((l) => l.get('change.kind') !== undefined)).toBe(true);
    expect(emf.size).toBeGreaterThan(3);
  });

  for (const which of ['stack', 'oidcwatch dashboard'] as const)
    it(`draws only metrics with the dimension sets the processor emits (${which})`, async () => {
      // Prepare
      const body =
        which === 'stack'
          ? JSON.parse(renderDashboard(loadDashboardTemplate(), stackValues()))
          : await cliBody();

      // Act
      const missing = (body.widgets as Widget[]).flatMap((w) =>
        drawn(w)
          .filter((m) => !emf.has(m))
          .map((m) => `${w.properties.title}: ${m}`)
      );

      // Assess
      expect(missing).toEqual([]);
      expect((body.widgets as Widget[]).flatMap(drawn).length).toBeGreaterThan(5);
    });

  for (const which of ['stack', 'oidcwatch dashboard'] as const)
    it(`reads only log fields present on the lines each query reads (${which})`, async () => {
      // Prepare
      const body =
        which === 'stack'
          ? JSON.parse(renderDashboard(loadDashboardTemplate(), stackValues()))
          : await cliBody();
      const queries = (body.widgets as Widget[]).filter((w) => w.type === 'log');

      // Act
      const missing = queries.flatMap((w) => {
        const query = w.properties.query ?? '';
        const failures = /outcome = 'failure'/.test(query);
        const lines = (
          queryMessage(query) === 'oidcwatch.change' ? changeLines : resultLines
        ).filter((l) => !failures || l.get('outcome') === 'failure');
        return (
          queryFields(query)
            .filter((f) => !f.startsWith('@'))
            // Present on the lines the query reads (a null value is a value Logs Insights shows).
            .filter((f) => !lines.some((l) => l.has(f)))
            .map((f) => `${w.properties.title}: ${f}`)
        );
      });

      // Assess
      expect(queries.length).toBeGreaterThanOrEqual(4);
      expect(missing).toEqual([]);
    });

  it('shows failing jobs, one row per job, with sub, explanation, fix and the retries counted', () => {
    // Prepare
    const body = JSON.parse(renderDashboard(loadDashboardTemplate(), stackValues()));
    const jobs = (body.widgets as Widget[]).find((w) =>
      w.properties.title?.startsWith('Recent failures')
    );
    const query = jobs?.properties.query ?? '';

    // Act: the query's grouping over the captured failure lines
    const failures = resultLines.filter((l) => l.get('outcome') === 'failure');
    const groupBy = /\bby\s+([\w.]+)/.exec(query)?.[1] ?? '';
    const rows = new Map<unknown, number>();
    for (const l of failures) rows.set(l.get(groupBy), (rows.get(l.get(groupBy)) ?? 0) + 1);

    // Assess
    expect(groupBy).toBe('failingJobKey');
    expect(queryFields(query)).toEqual(
      expect.arrayContaining([
        'sub',
        'fix',
        'explanation',
        'repository',
        'roleArn',
        'cause',
        'detail',
      ])
    );
    expect(query).toMatch(/count\(\*\) as attempts/);
    // Jobs as the report counts them; a job straddling a 5-minute bucket shows as two rows.
    const failingJobs = countFailingJobs(failures.map((l) => Object.fromEntries(l) as never));
    expect(rows.size).toBeGreaterThanOrEqual(failingJobs);
    expect(rows.size).toBeLessThanOrEqual(failingJobs + 3);
    expect(rows.size).toBeLessThan(failures.length);
  });

  it('shows the IAM changes behind failures: when, who, role or provider, what, failures since', () => {
    // Prepare
    const body = JSON.parse(renderDashboard(loadDashboardTemplate(), stackValues()));
    const table = (body.widgets as Widget[]).find((w) =>
      w.properties.title?.startsWith('IAM changes behind failures')
    );

    // Act
    const fields = queryFields(table?.properties.query ?? '');

    // Assess
    expect(fields).toEqual(
      expect.arrayContaining([
        'change.at',
        'change.by',
        'change.roleArn',
        'change.providerArn',
        'change.summary',
      ])
    );
    expect(table?.properties.query).toMatch(/count\(\*\) as failuresSince/);
    const annotated = resultLines.filter((l) => l.get('change.kind') !== undefined);
    expect(annotated.every((l) => typeof l.get('change.by') === 'string')).toBe(true);
  });
});
