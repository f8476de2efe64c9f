/**
 * The app's settings, read from CDK context (`-c key=value` or `cdk.json`) and validated with
 * messages that name the key and say what it expects. Lists may be JSON arrays or comma-separated.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { FailureAlarmThresholds } from './constructs/failure-alarms.js';

/** A context value that is missing or malformed. */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

/** The validated settings. */
export interface OidcwatchContext {
  /** Account and Region of the monitor stack (context, else the CLI's default environment). */
  readonly centralAccount?: string;
  readonly centralRegion?: string;
  readonly email?: string;
  readonly alarmTopicArn?: string;
  /** Secrets Manager secret (name or ARN) holding a PagerDuty routing key. */
  readonly pagerDutyRoutingKeySecret?: string;
  readonly organizationId?: string;
  readonly memberAccounts: readonly string[];
  readonly memberRegions: readonly string[];
  readonly readRoleName?: string;
  readonly namespace?: string;
  readonly owners: readonly string[];
  readonly thresholds: FailureAlarmThresholds;
  readonly reservedConcurrency?: number;
  readonly processorConcurrency?: number;
  readonly logRetention?: RetentionDays;
  /** The GitHub annotator (docs/annotator.md), when both its app id and key secret are given. */
  readonly annotator?: AnnotatorContext;
  /** No e-mail, PagerDuty or existing topic: the operator said so (`-c noSubscriber=true`). */
  readonly noSubscriber: boolean;
  /**
   * `account:region` pairs the canary probes; `[]` (`-c canaryTargets=none`): no canary;
   * `undefined`: the central account and Region.
   */
  readonly canaryTargets?: readonly { readonly account: string; readonly region: string }[];
  /** The monitor's canary issuer host, for the member read-role stacks. */
  readonly canaryIssuerHost?: string;
}

/** The annotator's settings. */
export interface AnnotatorContext {
  readonly appId: string;
  /** Secrets Manager secret (name or ARN) holding the app's PEM private key. */
  readonly privateKeySecret: string;
  readonly apiUrl?: string;
  readonly pullRequestComments: boolean;
}

/** The context keys this app reads (documented in docs/deploy.md). */
export const CONTEXT_KEYS = [
  'centralAccount',
  'centralRegion',
  'email',
  'alarmTopicArn',
  'pagerDutyRoutingKeySecret',
  'organizationId',
  'memberAccounts',
  'memberRegions',
  'readRoleName',
  'namespace',
  'owners',
  'failureSpikeThreshold',
  'failureSpikeDatapoints',
  'failureSpikeEvaluationPeriods',
  'anomalyBandWidth',
  'runawayRepositoryThreshold',
  'reservedConcurrency',
  'processorConcurrency',
  'logRetentionDays',
  'githubAppId',
  'githubAppPrivateKeySecret',
  'githubApiUrl',
  'githubPullRequestComments',
  'noSubscriber',
  'canaryTargets',
  'canaryIssuerHost',
] as const;

/** Where calls to the global STS endpoint are logged (and IAM delivers its events). */
export const GLOBAL_ENDPOINT_REGION = 'us-east-1';

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

type Lookup = (key: string) => unknown;

function text(get: Lookup, key: string, pattern: RegExp, expected: string): string | undefined {
  const raw = get(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = String(raw).trim();
  if (!pattern.test(value))
    throw new ContextError(`context "${key}" must be ${expected}, got "${value}"`);
  return value;
}

function list(get: Lookup, key: string, pattern: RegExp, expected: string): string[] {
  const raw = get(key);
  if (raw === undefined || raw === null || raw === '') return [];
  let items: unknown[];
  if (Array.isArray(raw)) items = raw;
  else if (String(raw).trim().startsWith('[')) {
    try {
      items = JSON.parse(String(raw)) as unknown[];
    } catch {
      throw new ContextError(`context "${key}" must be a JSON array or a comma-separated list`);
    }
  } else items = String(raw).split(',');
  const values = items.map((v) => String(v).trim()).filter((v) => v !== '');
  for (const v of values)
    if (!pattern.test(v))
      throw new ContextError(`context "${key}" must list ${expected}; "${v}" is not one`);
  return [...new Set(values)];
}

function positive(get: Lookup, key: string, max: number): number | undefined {
  const raw = get(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new ContextError(
      `context "${key}" must be a number above 0 and at most ${max}, got "${String(raw)}"`
    );
  return n;
}

function whole(get: Lookup, key: string, max: number): number | undefined {
  const n = positive(get, key, max);
  if (n !== undefined && !Number.isInteger(n))
    throw new ContextError(`context "${key}" must be a whole number, got "${n}"`);
  return n;
}

/**
 * Reads and validates the app's context.
 *
 * @param env - the process environment (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION` fill in the
 *   central account and Region when the context does not)
 * @throws ContextError naming the key
 *
 * @example
 * ```ts
 * const settings = readContext(app.node, process.env);
 * ```
 */
export function readContext(
  node: Pick<Node, 'tryGetContext'>,
  env: Readonly<Record<string, string | undefined>> = {}
): OidcwatchContext {
  const get: Lookup = (key) => node.tryGetContext(key);
  const envGet: Lookup = (key) =>
    get(key) ?? env[key === 'centralAccount' ? 'CDK_DEFAULT_ACCOUNT' : 'CDK_DEFAULT_REGION'];
  const thresholds: FailureAlarmThresholds = {
    failureSpikeThreshold: positive(get, 'failureSpikeThreshold', 1_000_000),
    failureSpikeDatapoints: whole(get, 'failureSpikeDatapoints', 60),
    failureSpikeEvaluationPeriods: whole(get, 'failureSpikeEvaluationPeriods', 60),
    anomalyBandWidth: positive(get, 'anomalyBandWidth', 10),
    runawayRepositoryThreshold: positive(get, 'runawayRepositoryThreshold', 1_000_000),
  };
  if ((thresholds.failureSpikeDatapoints ?? 3) > (thresholds.failureSpikeEvaluationPeriods ?? 5))
    throw new ContextError(
      'context "failureSpikeDatapoints" (M) must not exceed "failureSpikeEvaluationPeriods" (N)'
    );
  const settings: OidcwatchContext = {
    centralAccount: text(envGet, 'centralAccount', ACCOUNT, 'a 12-digit account id'),
    centralRegion: text(envGet, 'centralRegion', REGION, 'a Region such as eu-west-1'),
    email: text(get, 'email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address'),
    alarmTopicArn: text(
      get,
      'alarmTopicArn',
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
      'an SNS topic ARN'
    ),
    pagerDutyRoutingKeySecret: text(
      get,
      'pagerDutyRoutingKeySecret',
      /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/,
      'a Secrets Manager secret name or ARN'
    ),
    organizationId: text(get, 'organizationId', /^o-[a-z0-9]{10,32}$/, 'an organisation id (o-…)'),
    memberAccounts: list(get, 'memberAccounts', ACCOUNT, '12-digit account ids'),
    memberRegions: list(get, 'memberRegions', REGION, 'Regions such as eu-west-1'),
    readRoleName: text(get, 'readRoleName', /^[\w+=,.@-]{1,64}$/, 'an IAM role name'),
    namespace: text(get, 'namespace', /^[\w./#:-]{1,255}$/, 'a CloudWatch namespace'),
    owners: list(get, 'owners', /^[A-Za-z0-9-]{1,39}$/, 'GitHub owner names'),
    thresholds,
    reservedConcurrency: whole(get, 'reservedConcurrency', 1000),
    processorConcurrency: concurrency(get),
    logRetention: retention(get),
    annotator: annotator(get),
    noSubscriber: flag(get, 'noSubscriber'),
    canaryTargets: canaryTargets(get),
    canaryIssuerHost: text(
      get,
      'canaryIssuerHost',
      /^[a-z0-9.-]{1,253}$/,
      'a host name (the CanaryIssuerHost output of the monitor)'
    ),
  };
  checkCoverage(settings);
  return settings;
}

const SECRET = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/;

function annotator(get: Lookup): AnnotatorContext | undefined {
  const appId = text(
    get,
    'githubAppId',
    /^(\d+|Iv[\w.]+)$/,
    "a GitHub App's id (digits) or client id (Iv…)"
  );
  const privateKeySecret = text(
    get,
    'githubAppPrivateKeySecret',
    SECRET,
    'a Secrets Manager secret name or ARN'
  );
  const apiUrl = text(
    get,
    'githubApiUrl',
    /^https:\/\/[^/\s?#]+(\/[^\s?#]*)?$/,
    'an https URL (https://HOST/api/v3 for GitHub Enterprise Server, https://api.SUBDOMAIN.ghe.com for GHE.com)'
  );
  const comments = get('githubPullRequestComments');
  if (
    comments !== undefined &&
    comments !== null &&
    !['true', 'false', true, false].includes(comments as string)
  )
    throw new ContextError(
      `context "githubPullRequestComments" must be true or false, got "${String(comments)}"`
    );
  if (appId === undefined && privateKeySecret === undefined) return undefined;
  if (appId === undefined || privateKeySecret === undefined)
    throw new ContextError(
      'context "githubAppId" and "githubAppPrivateKeySecret" turn the annotator on together: set both, or neither'
    );
  return {
    appId,
    privateKeySecret,
    ...(apiUrl === undefined ? {} : { apiUrl: apiUrl.replace(/\/+$/, '') }),
    pullRequestComments: comments === true || comments === 'true',
  };
}

function canaryTargets(get: Lookup): { account: string; region: string }[] | undefined {
  const raw = get('canaryTargets');
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === 'none') return [];
  const pairs = list(
    get,
    'canaryTargets',
    /^\d{12}:[a-z]{2}(-[a-z]+)+-\d$/,
    'account:Region pairs such as 111122223333:eu-west-1 (or "none")'
  );
  return pairs.map((p) => {
    const [account = '', region = ''] = p.split(':');
    return { account, region };
  });
}

function flag(get: Lookup, key: string): boolean {
  const raw = get(key);
  if (raw === undefined || raw === null || raw === '' || raw === false || raw === 'false')
    return false;
  if (raw === true || raw === 'true') return true;
  throw new ContextError(`context "${key}" must be true or false, got "${String(raw)}"`);
}

function concurrency(get: Lookup): number | undefined {
  const n = whole(get, 'processorConcurrency', 1000);
  if (n !== undefined && n < 2)
    throw new ContextError(
      `context "processorConcurrency" must be at least 2 (the SQS event source's minimum), got "${n}"`
    );
  return n;
}

/**
 * Settings that would deploy without error yet leave failures unseen or pages undelivered.
 *
 * @throws ContextError saying what would be missed and what to set
 */
function checkCoverage(s: OidcwatchContext): void {
  const pages =
    s.email !== undefined ||
    s.alarmTopicArn !== undefined ||
    s.pagerDutyRoutingKeySecret !== undefined;
  if (!pages && !s.noSubscriber)
    throw new ContextError(
      'nobody would be paged: set context "email" (e.g. -c email=oncall@example.com), "pagerDutyRoutingKeySecret" or "alarmTopicArn"; or -c noSubscriber=true to deploy the topics without a subscriber and subscribe later (the PageTopicArn and AlarmTopicArn outputs)'
    );
  if (
    s.memberAccounts.length > 0 &&
    s.memberRegions.length > 0 &&
    !s.memberRegions.includes(GLOBAL_ENDPOINT_REGION)
  )
    throw new ContextError(
      `context "memberRegions" must include ${GLOBAL_ENDPOINT_REGION}: calls to the global STS endpoint (sts.amazonaws.com) are logged there, and IAM delivers its configuration changes there; without a forwarder in ${GLOBAL_ENDPOINT_REGION} those failures are never seen`
    );
  for (const t of s.canaryTargets ?? [])
    if (t.account !== s.centralAccount && !s.memberAccounts.includes(t.account))
      throw new ContextError(
        `context "canaryTargets" names account ${t.account}, which is neither the central account nor in "memberAccounts": only those get the canary role`
      );
  if (s.memberRegions.length > 0 && s.memberAccounts.length === 0)
    throw new ContextError(
      'context "memberRegions" is set but "memberAccounts" is not: list the member accounts (the central account\'s other Regions are covered from memberRegions alone once accounts are listed)'
    );
}

function retention(get: Lookup): RetentionDays | undefined {
  const days = whole(get, 'logRetentionDays', 3653);
  if (days === undefined) return undefined;
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(days))
    throw new ContextError(
      `context "logRetentionDays" must be one of CloudWatch Logs' retention periods (${allowed.filter((d) => d < 10_000).join(', ')}), got "${days}"`
    );
  return days as RetentionDays;
}
