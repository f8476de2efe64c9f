/**
 * The options of `oidcwatch backfill`, checked: every problem is a usage error naming the option.
 */

import { OidcwatchError } from '../../domain/errors.js';
import { DEFAULT_NAMESPACE } from '../../domain/metric-names.js';
import {
  HISTORY_EVENT_NAMES,
  type HistoryEventName,
} from '../../usecases/backfill/cloudtrail-history.js';
import { parseCommandArgs } from '../common/args.js';
import { resolveTimeWindow, type TimeWindow } from './time-window.js';

/** Help text of `oidcwatch backfill`. */
export const BACKFILL_HELP = `usage: oidcwatch backfill --since WHEN [options]

Reads CloudTrail's event history (LookupEvents, the last 90 days) for failed
AssumeRoleWithWebIdentity calls, and AssumeRole calls made by web-identity sessions, in each
Region; prints one diagnosis per failure, as "oidcwatch classify" does. LookupEvents allows
2 requests per second per account and Region: 10,000 events take about 100 s per Region.

options:
  --since WHEN          start of the window: a duration back from now (30m, 12h, 7d, 2w) or an
                        ISO 8601 time; clamped to 90 days (required)
  --until WHEN          end of the window (default: now)
  --region R            a Region to read; repeat or separate with commas for several
                        (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --iam-snapshot FILE   read IAM from a snapshot file (default: live IAM, default credentials)
  --json                print JSON Lines (one result per record)
  --all                 keep successful calls too (default: failures only)
  --no-chained          skip the AssumeRole lookup (chained sessions, the sts:TagSession case);
                        it pages through every AssumeRole call of the account
  --no-changes          skip the IAM configuration changes (by default the eight IAM calls
                        that change trust policies, roles and OIDC providers are read from
                        us-east-1's history too, from a day before --since, and each failure
                        names the change that explains it)
  --owners LIST         comma-separated GitHub owners your roles are meant for (FOREIGN_OWNER)
  --trace               include the trust-policy evaluation trace
  --no-summary          omit the per-repository summary (text mode)
  --no-progress         no progress on stderr
  --put-metrics         publish the history to CloudWatch with PutMetricData: the processor's
                        metrics and dimensions, per minute. CloudWatch takes data points at most
                        14 days old: older ones are skipped and counted. Minutes that already
                        hold data (from the processor or an earlier backfill) are skipped, so
                        nothing is counted twice. Metrics go to the credentials' account.
  --namespace NS        CloudWatch namespace for --put-metrics (default: ${DEFAULT_NAMESPACE})
  --metrics-region R    Region for --put-metrics (default: AWS_REGION, else the first --region)
  -h, --help            show this help

Ctrl-C stops reading, prints what was found and exits 130; metrics are then not published.
Exit codes: 0 done, 1 bad arguments, 2 AWS unreachable or not permitted, 130 interrupted.
`;

/** The checked options. */
export interface BackfillOptions {
  readonly window: TimeWindow;
  readonly regions: readonly string[];
  readonly eventNames: readonly HistoryEventName[];
  /** Read the IAM configuration changes and correlate failures with them (not `--no-changes`). */
  readonly changes: boolean;
  readonly snapshot: string | undefined;
  readonly json: boolean;
  readonly all: boolean;
  readonly owners: readonly string[];
  readonly trace: boolean;
  readonly summary: boolean;
  readonly progress: boolean;
  /** `null` without `--put-metrics`. */
  readonly metrics: { readonly namespace: string; readonly region: string } | null;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

function list(values: readonly string[] | string | undefined): string[] {
  const all = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function checkRegion(option: string, region: string): string {
  if (!REGION.test(region))
    throw new OidcwatchError(
      'ERR_USAGE',
      `backfill: --${option} ${JSON.stringify(region)} is not an AWS Region (e.g. eu-west-1)`
    );
  return region;
}

function checkNamespace(ns: string): string {
  if (ns === '' || ns.length > 255 || ns.startsWith(':') || ns.startsWith('AWS/'))
    throw new OidcwatchError(
      'ERR_USAGE',
      `backfill: --namespace ${JSON.stringify(ns)} is not a namespace of your own (1–255 characters, not starting with ":" or "AWS/")`
    );
  return ns;
}

/**
 * Parses and checks `backfill`'s arguments; `'help'` when help was asked for.
 *
 * @example
 * ```ts
 * parseBackfillOptions(['--since', '7d', '--region', 'eu-west-1'], new Date(), process.env);
 * ```
 */
export function parseBackfillOptions(
  argv: readonly string[],
  now: Date,
  env: Readonly<Record<string, string | undefined>>
): BackfillOptions | 'help' {
  const { values, positionals } = parseCommandArgs('backfill', argv, {
    since: { type: 'string' },
    until: { type: 'string' },
    region: { type: 'string', multiple: true },
    'iam-snapshot': { type: 'string' },
    json: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    'no-chained': { type: 'boolean', default: false },
    'no-changes': { type: 'boolean', default: false },
    owners: { type: 'string' },
    trace: { type: 'boolean', default: false },
    'no-summary': { type: 'boolean', default: false },
    'no-progress': { type: 'boolean', default: false },
    'put-metrics': { type: 'boolean', default: false },
    namespace: { type: 'string' },
    'metrics-region': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if (positionals.length > 0)
    throw new OidcwatchError(
      'ERR_USAGE',
      `backfill: unexpected argument ${JSON.stringify(positionals[0])} (backfill reads CloudTrail, not files; see --help)`
    );
  const window = resolveTimeWindow(values.since, values.until, now);
  const envRegion = env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  const asked = list(values.region).map((r) => checkRegion('region', r));
  const regions =
    asked.length > 0 ? [...new Set(asked)] : envRegion === undefined ? [] : [envRegion];
  if (regions.length === 0)
    throw new OidcwatchError(
      'ERR_USAGE',
      'backfill: no Region: give --region (several allowed) or set AWS_REGION'
    );
  if (
    !values['put-metrics'] &&
    (values.namespace !== undefined || values['metrics-region'] !== undefined)
  )
    throw new OidcwatchError(
      'ERR_USAGE',
      `backfill: --${values.namespace !== undefined ? 'namespace' : 'metrics-region'} applies only with --put-metrics`
    );
  const metricsRegion = values['metrics-region'] ?? envRegion ?? (regions[0] as string);
  return {
    window,
    regions,
    eventNames: values['no-chained']
      ? HISTORY_EVENT_NAMES.filter((n) => n !== 'AssumeRole')
      : HISTORY_EVENT_NAMES,
    changes: !values['no-changes'],
    snapshot: values['iam-snapshot'],
    json: values.json,
    all: values.all,
    owners: list(values.owners),
    trace: values.trace,
    summary: !values['no-summary'],
    progress: !values['no-progress'],
    metrics: values['put-metrics']
      ? {
          namespace: checkNamespace(values.namespace ?? DEFAULT_NAMESPACE),
          region: checkRegion('metrics-region', metricsRegion),
        }
      : null,
  };
}
