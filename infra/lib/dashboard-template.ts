/**
 * The dashboard body: `dashboards/oidc-failures.template.json` is the one source of truth. It names
 * what it shows through `${Placeholder}`s (Region, namespace, log group, rule, alarm and resource
 * names); the stack substitutes them and deploys the result, and `oidcwatch dashboard` prints the
 * same body for the default names (`dashboards/oidc-failures.json` is that output for us-east-1).
 * Before that, `findUnknownNames` checks that every metric, dimension set, cause and log field the
 * body names is one the processor emits.
 *
 * No CDK here: the CLI imports this module too.
 */
import template from '../../dashboards/oidc-failures.template.json' with { type: 'json' };
import { CAUSE_MEANING, CAUSES, FAILURE_CAUSES, FINDINGS } from '../../src/domain/causes.js';
import { CHANGE_TYPES } from '../../src/domain/changes/change-types.js';
import {
  ANNOTATION_DIMENSION_SETS,
  ANNOTATION_OUTCOMES,
  CHANGE_DIMENSION_SETS,
  type DimensionName,
  FAILURE_DIMENSION_SETS,
  FINDING_DIMENSION_SETS,
  METRIC,
  type MetricName,
  TOTAL_ONLY_DIMENSION_SETS,
} from '../../src/domain/metric-names.js';

/** Every placeholder the template may use, each substituted by the stack. */
export const DASHBOARD_PLACEHOLDERS = [
  'Region',
  'Namespace',
  'NamePrefix',
  'LogGroupName',
  'RepositoryRuleName',
  'RepositoryCauseRuleName',
  'ProcessorFunctionName',
  'DeadLetterQueueName',
  'WebIdentityRuleName',
  'ChainedAssumeRoleRuleName',
  'CentralEventBusName',
  'CentralWebIdentityRuleName',
  'CentralChainedAssumeRoleRuleName',
  'AnomalyBandWidth',
  'FailureSpikeAlarmArn',
  'FailureAnomalyAlarmArn',
  'RunawayRepositoryAlarmArn',
  'ProcessorErrorsAlarmArn',
  'ProcessorThrottlesAlarmArn',
  'DeadLetterQueueAlarmArn',
  'CauseLegend',
] as const;

/** A placeholder name. */
export type DashboardPlaceholder = (typeof DASHBOARD_PLACEHOLDERS)[number];

/** The value of every placeholder (strings; CDK tokens are fine). */
export type DashboardValues = Readonly<Record<DashboardPlaceholder, string>>;

/**
 * Placeholder values where some may be unknown (`null`): the alarm ARNs without the account, a
 * resource name CloudFormation generated. Rows and widgets naming an unknown value are left out.
 */
export type PartialDashboardValues = Readonly<Record<DashboardPlaceholder, string | null>>;

/**
 * The metrics the processor emits, with the dimension sets it emits each with
 * (`src/adapters/metrics/emf-result-metrics.ts`; a test checks this against its real output).
 */
export const EMITTED_METRICS: Readonly<
  Partial<Record<MetricName, readonly (readonly DimensionName[])[]>>
> = {
  [METRIC.AssumeRoleFailures]: FAILURE_DIMENSION_SETS,
  [METRIC.TrustPolicyFindings]: FINDING_DIMENSION_SETS,
  [METRIC.EnrichmentErrors]: TOTAL_ONLY_DIMENSION_SETS,
  [METRIC.MalformedEvents]: TOTAL_ONLY_DIMENSION_SETS,
  [METRIC.ConfigurationChanges]: CHANGE_DIMENSION_SETS,
};

/**
 * The metrics the annotator emits when it is deployed (`src/annotator/handle-event.ts`; its
 * widget is added to the body then).
 */
export const ANNOTATOR_METRICS: Readonly<
  Partial<Record<MetricName, readonly (readonly DimensionName[])[]>>
> = {
  [METRIC.Annotations]: ANNOTATION_DIMENSION_SETS,
};

/**
 * The fields of the processor's result log line (`src/adapters/log/result-logger.ts`) that
 * queries may read, nested ones as Logs Insights names them (`change.by`); `@timestamp` is Logs
 * Insights' own. A test runs the processor and checks each against its real lines.
 */
export const RESULT_LOG_FIELDS = [
  '@timestamp',
  'msg',
  'outcome',
  'cause',
  'detail',
  'repository',
  'repositoryKey',
  'roleArn',
  'account',
  'region',
  'sub',
  'aud',
  'explanation',
  'fix',
  'failingJobKey',
  'eventId',
  'eventTime',
  'findings',
  'change.eventId',
  'change.kind',
  'change.at',
  'change.by',
  'change.roleArn',
  'change.providerArn',
  'change.summary',
  'change.verdict',
  'change.removed',
] as const;

/** The `msg` of the processor's IAM change lines (`src/adapters/log/change-logger.ts`). */
export const CHANGE_LOG_MESSAGE = 'oidcwatch.change';

/** The fields of the processor's change line that queries may read. */
export const CHANGE_LOG_FIELDS = [
  '@timestamp',
  'msg',
  'outcome',
  'eventId',
  'eventTime',
  'eventName',
  'changeType',
  'account',
  'actor',
  'roleArn',
  'providerArn',
  'removed',
  'added',
] as const;

/** The `outcome` values of result lines. */
export const RESULT_OUTCOMES = ['failure', 'success', 'ignored', 'malformed'] as const;

const NAMESPACE_PLACEHOLDER = `\${Namespace}`;
/** Stands for the namespace while a body is checked (no braces, so SEARCH schemas parse). */
const NAMESPACE_SENTINEL = '@@namespace@@';
const PLACEHOLDER = /\$\{([A-Za-z]+)\}/g;

/** The dashboard template as parsed from `dashboards/oidc-failures.template.json`. */
export function loadDashboardTemplate(): unknown {
  return structuredClone(template);
}

/** The markdown legend of the failure causes, from `CAUSE_MEANING` (one source for the words). */
export function causeLegend(): string {
  const rows = FAILURE_CAUSES.map((c) => `| \`${c}\` | ${CAUSE_MEANING[c]} |`);
  return ['## Causes', '| cause | meaning |', '|---|---|', ...rows].join('\n');
}

/** The placeholders a JSON value names. */
function placeholdersIn(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** `body` without the metric rows, alarms and widgets that name an unknown value. */
function withoutUnknown(
  body: unknown,
  values: PartialDashboardValues
): { body: unknown; leftOut: string[] } {
  const unknown = (v: unknown) =>
    placeholdersIn(v).filter((p) => values[p as DashboardPlaceholder] === null);
  if (!isObject(body) || !Array.isArray(body.widgets)) return { body, leftOut: [] };
  const leftOut: string[] = [];
  const widgets: unknown[] = [];
  for (const widget of body.widgets as unknown[]) {
    if (!isObject(widget) || !isObject(widget.properties) || unknown(widget).length === 0) {
      widgets.push(widget);
      continue;
    }
    const p = widget.properties;
    const title = typeof p.title === 'string' ? p.title : String(widget.type);
    const list = Array.isArray(p.metrics) ? p.metrics : Array.isArray(p.alarms) ? p.alarms : null;
    const kept = list?.filter((item: unknown) => unknown(item).length === 0) ?? [];
    const rest = { ...p, metrics: undefined, alarms: undefined };
    if (list === null || kept.length === 0 || unknown(rest).length > 0) {
      leftOut.push(`widget "${title}" (needs ${[...new Set(unknown(widget))].join(', ')})`);
      continue;
    }
    const key = Array.isArray(p.metrics) ? 'metrics' : 'alarms';
    leftOut.push(
      `${list.length - kept.length} of ${list.length} ${key === 'metrics' ? 'metric rows' : 'alarms'} of "${title}" (needs ${[...new Set(unknown(list))].join(', ')})`
    );
    widgets.push({ ...widget, properties: { ...p, [key]: kept } });
  }
  return { body: { ...body, widgets }, leftOut };
}

/**
 * Substitutes every placeholder of `body` and returns the dashboard body as JSON text, leaving out
 * the metric rows, alarms and widgets that name a value given as `null` (and saying which).
 *
 * @throws Error naming a placeholder the template uses that is not a known one
 *
 * @example
 * ```ts
 * const { body, leftOut } = renderDashboardBody(loadDashboardTemplate(), { ...values, DeadLetterQueueName: null });
 * ```
 */
export function renderDashboardBody(
  body: unknown,
  values: PartialDashboardValues
): { body: string; leftOut: string[] } {
  const known = new Set<string>(DASHBOARD_PLACEHOLDERS);
  const trimmed = withoutUnknown(body, values);
  const text = JSON.stringify(trimmed.body).replace(PLACEHOLDER, (_, name: string) => {
    if (!known.has(name))
      throw new Error(
        `dashboards/oidc-failures.template.json: unknown placeholder "\${${name}}"; expected one of ${DASHBOARD_PLACEHOLDERS.join(', ')}`
      );
    // Escaped as the inside of a JSON string (the legend has newlines; tokens pass unchanged).
    return JSON.stringify(values[name as DashboardPlaceholder] ?? '').slice(1, -1);
  });
  return { body: text, leftOut: trimmed.leftOut };
}

/**
 * Substitutes every placeholder of `body` and returns the dashboard body as JSON text.
 *
 * @throws Error naming a placeholder the template uses that is not a known one
 *
 * @example
 * ```ts
 * const body = renderDashboard(loadDashboardTemplate(), values);
 * new cloudwatch.CfnDashboard(this, 'Dashboard', { dashboardBody: body });
 * ```
 */
export function renderDashboard(body: unknown, values: DashboardValues): string {
  return renderDashboardBody(body, values).body;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Problems with one use of a processor metric (name, dimension set, dimension values). */
function checkMetric(
  where: string,
  metricName: string,
  dims: readonly (readonly [string, string | null])[]
): string[] {
  const sets =
    EMITTED_METRICS[metricName as MetricName] ?? ANNOTATOR_METRICS[metricName as MetricName];
  if (sets === undefined)
    return [`${where}: metric "${metricName}" is not one the processor emits`];
  const names = dims.map(([n]) => n);
  const problems: string[] = [];
  if (!sets.some((s) => sameSet(s, names)))
    problems.push(
      `${where}: "${metricName}" is not emitted with dimensions [${names.join(', ')}]; it is emitted with ${sets.map((s) => `[${s.join(', ')}]`).join(' ')}`
    );
  for (const [name, value] of dims) {
    if (value === null || value.startsWith('${')) continue;
    if (name === 'Cause' && !FAILURE_CAUSES.includes(value as never))
      problems.push(`${where}: Cause "${value}" is not a failure cause`);
    if (name === 'Finding' && !FINDINGS.includes(value as never))
      problems.push(`${where}: Finding "${value}" is not a finding code`);
    if (name === 'ChangeType' && !CHANGE_TYPES.includes(value as never))
      problems.push(`${where}: ChangeType "${value}" is not a change type`);
    if (name === 'Outcome' && !ANNOTATION_OUTCOMES.includes(value as never))
      problems.push(`${where}: Outcome "${value}" is not an annotation outcome`);
  }
  return problems;
}

/** Problems in the `SEARCH(...)` terms of a metric math expression. */
function checkExpression(where: string, expression: string): string[] {
  const problems: string[] = [];
  for (const m of expression.matchAll(/SEARCH\(\s*'([^']*)'/g)) {
    const search = m[1] ?? '';
    const schema = /\{([^}]*)\}/.exec(search);
    const metricName = /MetricName\s*=\s*"([^"]+)"/.exec(search)?.[1];
    if (schema === null || metricName === undefined) {
      problems.push(`${where}: SEARCH '${search}' names no {namespace,dimensions} or MetricName`);
      continue;
    }
    const [namespace, ...dims] = (schema[1] ?? '').split(',').map((s) => s.trim());
    if (namespace !== NAMESPACE_SENTINEL) continue;
    const values = new Map(
      [...search.matchAll(/\b([A-Za-z]+)\s*=\s*"([^"]*)"/g)].map((v) => [v[1], v[2]])
    );
    problems.push(
      ...checkMetric(
        where,
        metricName,
        dims.map((d) => [d, values.get(d) ?? null] as const)
      )
    );
  }
  return problems;
}

/** Problems in a metric widget's `metrics` rows. */
function checkMetricRows(where: string, rows: unknown): string[] {
  if (!Array.isArray(rows)) return [];
  const problems: string[] = [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    const options = row.find(isObject);
    if (options !== undefined && typeof options.expression === 'string')
      problems.push(...checkExpression(where, options.expression));
    const [namespace, metricName, ...rest] = row.filter((x) => typeof x === 'string') as string[];
    if (namespace === '...')
      problems.push(`${where}: "..." rows cannot be checked; spell them out`);
    if (namespace !== NAMESPACE_SENTINEL || metricName === undefined) continue;
    const dims: (readonly [string, string])[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) dims.push([rest[i] ?? '', rest[i + 1] ?? '']);
    problems.push(...checkMetric(where, metricName, dims));
  }
  return problems;
}

/** A field as the checks compare it: array elements (`removed.0`) as their array. */
function fieldOf(name: string): string {
  return name.replace(/(\.\d+)+$/, '');
}

/**
 * The fields a Logs Insights query reads (in `fields`, `filter`, `stats`, `by`, `sort`), its
 * aliases left out, array elements as their array.
 */
export function queryFields(query: string): string[] {
  const aliases = new Set([...query.matchAll(/\bas\s+([\w@.]+)/g)].map((m) => m[1]));
  const used: string[] = [];
  for (const m of query.matchAll(/\bfields\s+([^|]+)/g))
    for (const f of (m[1] ?? '').split(',')) used.push(f.trim().split(/\s+/)[0] ?? '');
  for (const m of query.matchAll(/\bby\s+([^|]+)/g))
    for (const f of (m[1] ?? '').split(',')) used.push(f.trim());
  for (const m of query.matchAll(
    /\b(?:count_distinct|latest|earliest|min|max|ispresent|sortsFirst|sortsLast)\(\s*([\w@.]+)\s*\)/g
  ))
    used.push(m[1] ?? '');
  for (const m of query.matchAll(/([\w@.]+)\s*(?:=|!=|like|in)\s*['"[]/g)) used.push(m[1] ?? '');
  for (const m of query.matchAll(/\bsort\s+([\w@.]+)/g)) used.push(m[1] ?? '');
  return [...new Set(used.filter((f) => f !== '' && !aliases.has(f)).map(fieldOf))];
}

/** The log line a query reads: change lines when it filters on their `msg`, else result lines. */
export function queryMessage(query: string): string {
  return /\bmsg\s*=\s*'oidcwatch\.change'/.test(query) ? CHANGE_LOG_MESSAGE : 'oidcwatch.result';
}

/**
 * Problems in a Logs Insights query: fields the line it reads does not carry, unknown causes or
 * outcomes. Empty when clean.
 *
 * @param where - names the query in the messages
 */
export function findUnknownQueryNames(where: string, query: string): string[] {
  const problems: string[] = [];
  const change = queryMessage(query) === CHANGE_LOG_MESSAGE;
  const fields = new Set<string>(change ? CHANGE_LOG_FIELDS : RESULT_LOG_FIELDS);
  for (const f of queryFields(query))
    if (!fields.has(f))
      problems.push(
        `${where}: query reads "${f}", which the ${change ? 'change' : 'result'} log line does not carry`
      );
  for (const m of query.matchAll(/\bcause\s*=\s*['"]([^'"]+)['"]/g))
    if (!CAUSES.includes(m[1] as never)) problems.push(`${where}: unknown cause "${m[1]}"`);
  for (const m of query.matchAll(/\boutcome\s*=\s*['"]([^'"]+)['"]/g))
    if (!RESULT_OUTCOMES.includes(m[1] as never) && !(change && m[1] === 'change'))
      problems.push(`${where}: unknown outcome "${m[1]}"`);
  return problems;
}

/** Cause-like words in `code` spans of markdown that are not causes. */
function checkMarkdown(where: string, markdown: string): string[] {
  return [...markdown.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)]
    .map((m) => m[1] ?? '')
    .filter((w) => !CAUSES.includes(w as never))
    .map((w) => `${where}: "${w}" is not a cause code`);
}

/**
 * Every name in a dashboard body (template or rendered) that the processor does not emit: metrics
 * and dimension sets of its namespace (plain rows and `SEARCH` expressions), `Cause`/`Finding`
 * values, causes and fields in Logs Insights queries, cause codes in markdown. Empty when clean.
 *
 * @param namespace - the namespace the body uses (`${Namespace}` in the template)
 */
export function findUnknownNames(body: unknown, namespace = NAMESPACE_PLACEHOLDER): string[] {
  const text = JSON.stringify(body).split(namespace).join(NAMESPACE_SENTINEL);
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed) || !Array.isArray(parsed.widgets))
    return ['dashboard body has no "widgets" array'];
  const problems: string[] = [];
  parsed.widgets.forEach((widget: unknown, i) => {
    if (!isObject(widget) || !isObject(widget.properties)) {
      problems.push(`widget ${i}: no properties`);
      return;
    }
    const p = widget.properties;
    const where = `widget ${i} (${typeof p.title === 'string' ? p.title : widget.type})`;
    if (widget.type === 'metric') problems.push(...checkMetricRows(where, p.metrics));
    if (widget.type === 'log' && typeof p.query === 'string')
      problems.push(...findUnknownQueryNames(where, p.query));
    if (widget.type === 'text' && typeof p.markdown === 'string')
      problems.push(...checkMarkdown(where, p.markdown));
  });
  return problems;
}
