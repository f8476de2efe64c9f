import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The `msg` of the processor's result lines (`RESULT_MESSAGE` in
 * `src/adapters/log/result-logger.ts`; a test checks the two agree).
 */
export const RESULT_LOG_MESSAGE = 'oidcwatch.result';

/**
 * The key the rules count by: `repositoryKey` is the repository, or `(no repository)` when the
 * record names none (a `null` key would leave those failures out of the rules entirely).
 */
export const REPOSITORY_KEY = '$.repositoryKey';

const FAILURES = `filter msg = '${RESULT_LOG_MESSAGE}' and outcome = 'failure'`;

/**
 * The saved Logs Insights queries, by name. Names with a `/` appear as folders in the console.
 * Queries with `OWNER/REPO` or a cause code in them are templates: edit the value and run.
 */
export const SAVED_QUERIES: Readonly<Record<string, string>> = {
  'oidcwatch/recent-failures': [
    'fields @timestamp, repository, roleArn, cause, detail, fix, failingJobKey',
    FAILURES,
    'sort @timestamp desc',
    'limit 100',
  ].join('\n| '),
  'oidcwatch/failures-by-repository': [
    FAILURES,
    'stats count(*) as failedCalls, count_distinct(failingJobKey) as failingJobs, latest(cause) as lastCause by repository',
    'sort failedCalls desc',
    'limit 50',
  ].join('\n| '),
  'oidcwatch/one-repository': [
    'fields @timestamp, cause, detail, roleArn, sub, account, region, explanation, fix',
    `${FAILURES} and repository = 'OWNER/REPO'`,
    'sort @timestamp desc',
    'limit 100',
  ].join('\n| '),
  'oidcwatch/failures-by-cause': [
    FAILURES,
    'stats count(*) as failedCalls, count_distinct(repository) as repositories, count_distinct(failingJobKey) as failingJobs by cause, detail',
    'sort failedCalls desc',
  ].join('\n| '),
  'oidcwatch/one-cause': [
    'fields @timestamp, repository, roleArn, detail, explanation, fix',
    `${FAILURES} and cause = 'SUB_MISMATCH'`,
    'sort @timestamp desc',
    'limit 100',
  ].join('\n| '),
};

/** Properties of {@link RepositoryBreakdown}. */
export interface RepositoryBreakdownProps {
  /** The processor's log group. */
  readonly logGroup: logs.ILogGroup;
  /**
   * Prefix of the Contributor Insights rule names.
   *
   * @default 'oidcwatch'
   */
  readonly namePrefix?: string;
}

/**
 * The per-repository breakdown without a metric per repository (DESIGN.md §7): two Contributor
 * Insights rules over the processor's JSON log lines, counting failed calls by `$.repositoryKey` and
 * by `$.repositoryKey` × `$.cause`, and saved Logs Insights queries for the drill-down.
 * {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html | Rule syntax}
 *
 * @example
 * ```ts
 * const breakdown = new RepositoryBreakdown(this, 'Breakdown', { logGroup: processor.logGroup });
 * ```
 */
export class RepositoryBreakdown extends Construct {
  /** Failed calls per repository (the runaway-repository alarm and the top-N widget). */
  readonly repositoryRule: cloudwatch.CfnInsightRule;
  /** Failed calls per repository and cause. */
  readonly repositoryCauseRule: cloudwatch.CfnInsightRule;
  /** The saved queries. */
  readonly queries: readonly logs.CfnQueryDefinition[];

  constructor(scope: Construct, id: string, props: RepositoryBreakdownProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'oidcwatch';
    this.repositoryRule = this.#rule(
      'ByRepository',
      `${prefix}-failures-by-repository`,
      [REPOSITORY_KEY],
      props
    );
    this.repositoryCauseRule = this.#rule(
      'ByRepositoryAndCause',
      `${prefix}-failures-by-repository-cause`,
      [REPOSITORY_KEY, '$.cause'],
      props
    );
    this.queries = Object.entries(SAVED_QUERIES).map(
      ([name, queryString], i) =>
        new logs.CfnQueryDefinition(this, `Query${i}`, {
          name: name.replace(/^oidcwatch\//, `${prefix}/`),
          queryString,
          logGroupNames: [props.logGroup.logGroupName],
        })
    );
  }

  #rule(
    id: string,
    ruleName: string,
    keys: readonly string[],
    props: RepositoryBreakdownProps
  ): cloudwatch.CfnInsightRule {
    const body = {
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: [props.logGroup.logGroupName],
      LogFormat: 'JSON',
      Contribution: {
        Keys: keys,
        Filters: [
          { Match: '$.msg', EqualTo: RESULT_LOG_MESSAGE },
          { Match: '$.outcome', EqualTo: 'failure' },
        ],
      },
      AggregateOn: 'Count',
    };
    return new cloudwatch.CfnInsightRule(this, id, {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString(body),
    });
  }
}
