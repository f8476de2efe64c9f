import { afterEach, describe, expect, it, vi } from 'vitest';
import { RESULT_LOG_MESSAGE, SAVED_QUERIES } from '../../infra/constructs/repository-breakdown.js';
import {
  causeLegend,
  DASHBOARD_PLACEHOLDERS,
  type DashboardValues,
  EMITTED_METRICS,
  findUnknownNames,
  findUnknownQueryNames,
  loadDashboardTemplate,
  RESULT_LOG_FIELDS,
  renderDashboard,
} from '../../infra/lib/dashboard-template.js';
import { createLogger, logResult, RESULT_MESSAGE } from '../../src/adapters/log/result-logger.js';
import { EmfResultMetrics } from '../../src/adapters/metrics/emf-result-metrics.js';
import { FAILURE_CAUSES } from '../../src/domain/causes.js';
import type { ConfigurationChange } from '../../src/domain/changes/change-types.js';
import { readChange } from '../../src/domain/changes/read-change.js';
import { diagnoseUnread } from '../../src/domain/classify/classify.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { deleteRoleRecord } from '../helpers/iam-change-records.js';

/** The namespace placeholder of the dashboard template. */
const NAMESPACE = `\${Namespace}`;

/** A failed-call diagnosis, built on the shape the classifier returns. */
function failure(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    ...diagnoseUnread({
      kind: 'malformed',
      eventId: 'e-1',
      eventTime: '2026-09-03T14:02:11Z',
      reason: 'x',
    }),
    eventName: 'AssumeRoleWithWebIdentity',
    account: '444455556666',
    region: 'eu-west-1',
    errorCode: 'AccessDenied',
    roleArn: 'arn:aws:iam::444455556666:role/deploy',
    sub: 'repo:acme-corp/payments:ref:refs/heads/main',
    repository: 'acme-corp/payments',
    cause: 'SUB_MISMATCH',
    detail: 'BRANCH',
    explanation: 'the trust policy admits refs/heads/release only',
    fix: 'add refs/heads/main to the sub condition',
    ...overrides,
  };
}

/** Every EMF document the processor's metrics adapter writes for `diagnoses` (and `changes`). */
function emfDocuments(
  diagnoses: readonly Diagnosis[],
  changes: readonly ConfigurationChange[] = []
): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const metrics = new EmfResultMetrics({ namespace: 'OIDCWatch' });
    for (const d of diagnoses) metrics.record(d);
    for (const c of changes) metrics.recordChange(c);
    metrics.flush();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** Sample values for every placeholder. */
function sampleValues(): DashboardValues {
  const values = Object.fromEntries(DASHBOARD_PLACEHOLDERS.map((p) => [p, `sample-${p}`]));
  return {
    ...values,
    Namespace: 'OIDCWatch',
    AnomalyBandWidth: '2',
    CauseLegend: causeLegend(),
  } as DashboardValues;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('dashboard names check', () => {
  it('finds nothing the processor does not emit in dashboards/oidc-failures.json', () => {
    // Prepare
    const template = loadDashboardTemplate();

    // Act
    const problems = findUnknownNames(template);

    // Assess
    expect(problems).toEqual([]);
  });

  it('finds nothing unknown in the rendered body either', () => {
    // Prepare
    const rendered = JSON.parse(renderDashboard(loadDashboardTemplate(), sampleValues()));

    // Act
    const problems = findUnknownNames(rendered, 'OIDCWatch');

    // Assess
    expect(problems).toEqual([]);
  });

  it('fails on a metric the processor does not emit', () => {
    // Prepare
    const body = {
      widgets: [
        { type: 'metric', properties: { title: 't', metrics: [[NAMESPACE, 'FailedJobs']] } },
      ],
    };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems).toEqual(['widget 0 (t): metric "FailedJobs" is not one the processor emits']);
  });

  it('fails on a dimension set the metric is not emitted with', () => {
    // Prepare
    const expression = `SEARCH('{\${Namespace},Cause,Account} MetricName="AssumeRoleFailures"', 'Sum', 60)`;
    const body = {
      widgets: [{ type: 'metric', properties: { title: 't', metrics: [[{ expression }]] } }],
    };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /"AssumeRoleFailures" is not emitted with dimensions \[Cause, Account\]/
    );
  });

  it('fails on a dimension the code never uses, such as Repository', () => {
    // Prepare
    const row = [NAMESPACE, 'AssumeRoleFailures', 'Repository', 'acme-corp/payments'];
    const body = { widgets: [{ type: 'metric', properties: { title: 't', metrics: [row] } }] };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems[0]).toMatch(/not emitted with dimensions \[Repository\]/);
  });

  it('fails on a Cause value that is not a failure cause', () => {
    // Prepare
    const row = [NAMESPACE, 'AssumeRoleFailures', 'Cause', 'TRUST_POLICY_MISMATCH'];
    const body = { widgets: [{ type: 'metric', properties: { title: 't', metrics: [row] } }] };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems).toEqual([
      'widget 0 (t): Cause "TRUST_POLICY_MISMATCH" is not a failure cause',
    ]);
  });

  it('fails on an unknown cause or field in a Logs Insights query', () => {
    // Prepare
    const query = "SOURCE 'g' | fields @timestamp, repo, cause | filter cause = 'BAD_AUDIENCE'";
    const body = { widgets: [{ type: 'log', properties: { title: 't', query } }] };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems).toEqual([
      'widget 0 (t): query reads "repo", which the result log line does not carry',
      'widget 0 (t): unknown cause "BAD_AUDIENCE"',
    ]);
  });

  it('fails on a cause code in markdown that does not exist', () => {
    // Prepare
    const body = {
      widgets: [{ type: 'text', properties: { markdown: 'see `SUB_MISMATCH` and `OIDC_BROKEN`' } }],
    };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems).toEqual(['widget 0 (text): "OIDC_BROKEN" is not a cause code']);
  });
});

describe('dashboard names agree with the processor', () => {
  it('lists exactly the metrics and dimension sets the EMF adapter writes', () => {
    // Prepare
    const diagnoses = [
      failure({
        findings: [
          { code: 'LITERAL_WILDCARD', detail: null, roleArn: null, statement: null, message: 'm' },
        ],
      }),
      failure({ cause: 'ENRICHMENT_FAILED', detail: 'AccessDenied' }),
      diagnoseUnread({ kind: 'malformed', eventId: null, eventTime: null, reason: 'not JSON' }),
    ];
    const read = readChange(deleteRoleRecord('deploy'));
    const changes = read.kind === 'change' ? [read.change] : [];

    // Act
    const written: Record<string, string[][]> = {};
    for (const doc of emfDocuments(diagnoses, changes)) {
      const directive = (
        doc._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] }
      ).CloudWatchMetrics[0];
      for (const m of directive?.Metrics ?? []) written[m.Name] = directive?.Dimensions ?? [];
    }

    // Assess
    expect(written).toEqual(
      Object.fromEntries(
        Object.entries(EMITTED_METRICS).map(([name, sets]) => [name, sets?.map((s) => [...s])])
      )
    );
  });

  it('reads only fields the result log line carries, and the same msg', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });

    // Act
    logResult(logger, failure());
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;

    // Assess
    expect(RESULT_LOG_MESSAGE).toBe(RESULT_MESSAGE);
    expect(line.msg).toBe(RESULT_MESSAGE);
    expect(line.outcome).toBe('failure');
    // Top-level fields here; nested ones (change.by) against the processor's real lines in
    // test/integration/dashboard-processor.test.ts.
    for (const field of RESULT_LOG_FIELDS.filter((f) => f !== '@timestamp' && !f.includes('.')))
      expect(Object.keys(line)).toContain(field);
  });

  it('keys a failure without a repository as (no repository), so the per-repository rules still count it', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });

    // Act
    logResult(logger, failure({ repository: null }));
    logResult(logger, failure({ repository: 'acme-corp/payments-api' }));
    const keys = lines.map((l) => (JSON.parse(l) as Record<string, unknown>).repositoryKey);

    // Assess
    expect(keys).toEqual(['(no repository)', 'acme-corp/payments-api']);
  });

  it('explains every failure cause, and only causes, in the legend', () => {
    // Prepare
    const legend = causeLegend();

    // Act
    const listed = [...legend.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);

    // Assess
    expect(listed).toEqual([...FAILURE_CAUSES]);
  });
});

describe('dashboard template', () => {
  it('uses only known placeholders, and every one of them', () => {
    // Prepare
    const text = JSON.stringify(loadDashboardTemplate());

    // Act
    const used = new Set([...text.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1]));

    // Assess
    expect([...used].sort()).toEqual([...DASHBOARD_PLACEHOLDERS].sort());
  });

  it('renders to JSON with no placeholder left and the legend as markdown', () => {
    // Prepare
    const values = sampleValues();

    // Act
    const body = JSON.parse(renderDashboard(loadDashboardTemplate(), values));

    // Assess
    expect(JSON.stringify(body)).not.toMatch(/\$\{[A-Za-z]+\}/);
    expect(body.widgets.at(-1).properties.markdown).toBe(causeLegend());
  });

  it('rejects a template with an unknown placeholder', () => {
    // Prepare
    const template = { widgets: [{ type: 'text', properties: { markdown: `\${Acount}` } }] };

    // Act
    const render = () => renderDashboard(template, sampleValues());

    // Assess
    expect(render).toThrow(/unknown placeholder "\$\{Acount\}"/);
  });

  it('lays the widgets out on the 24-column grid without overlaps', () => {
    // Prepare
    const widgets = (
      loadDashboardTemplate() as {
        widgets: { x: number; y: number; width: number; height: number }[];
      }
    ).widgets;

    // Act
    const cells = new Set<string>();
    let overlaps = 0;
    for (const w of widgets)
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          if (cells.has(`${x},${y}`)) overlaps++;
          cells.add(`${x},${y}`);
        }

    // Assess
    expect(overlaps).toBe(0);
    expect(widgets.every((w) => w.x + w.width <= 24)).toBe(true);
  });
});

describe('saved Logs Insights queries', () => {
  it('read only fields, causes and outcomes the processor writes', () => {
    // Prepare
    const queries = Object.entries(SAVED_QUERIES);

    // Act
    const problems = queries.flatMap(([name, query]) => findUnknownQueryNames(name, query));

    // Assess
    expect(queries.length).toBe(5);
    expect(problems).toEqual([]);
  });
});
