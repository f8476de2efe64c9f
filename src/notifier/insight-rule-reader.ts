/**
 * The fallback source: the Contributor Insights report of the repository × cause rule. It answers
 * in one call and needs no query, but knows only calls per repository and cause (no role, detail,
 * failing jobs, explanation or fix).
 */
import { type CloudWatchClient, GetInsightRuleReportCommand } from '@aws-sdk/client-cloudwatch';
import {
  type ResultGroup,
  type TimeWindow,
  TOP_GROUPS,
  type Totals,
} from '../domain/page/facts.js';

/** Options of {@link InsightRuleReader}. */
export interface InsightRuleReaderOptions {
  readonly client: CloudWatchClient;
  /** A rule whose keys are `$.repositoryKey` then `$.cause`. */
  readonly ruleName: string;
}

/**
 * Reads the window's top contributors from a Contributor Insights rule.
 *
 * @example
 * ```ts
 * const reader = new InsightRuleReader({ client, ruleName: 'oidcwatch-failures-by-repository-cause' });
 * const { totals, groups } = await reader.read(window);
 * ```
 */
export class InsightRuleReader {
  readonly #o: InsightRuleReaderOptions;

  constructor(options: InsightRuleReaderOptions) {
    this.#o = options;
  }

  /**
   * The report over `window`.
   *
   * @throws the SDK error when the report cannot be read
   */
  async read(window: TimeWindow): Promise<{ totals: Totals; groups: ResultGroup[] }> {
    const out = await this.#o.client.send(
      new GetInsightRuleReportCommand({
        RuleName: this.#o.ruleName,
        StartTime: new Date(window.startMs),
        EndTime: new Date(window.endMs),
        Period: 60,
        MaxContributorCount: TOP_GROUPS,
        OrderBy: 'Sum',
      })
    );
    const groups: ResultGroup[] = (out.Contributors ?? []).map((c) => ({
      repository: c.Keys?.[0] || null,
      roleArn: null,
      account: null,
      cause: c.Keys?.[1] || 'UNKNOWN',
      detail: null,
      failedCalls: Math.round(c.ApproximateAggregateValue ?? 0),
      failingJobs: null,
      explanation: null,
      fix: null,
      change: null,
    }));
    groups.sort((a, b) => b.failedCalls - a.failedCalls);
    const sum = groups.reduce((n, g) => n + g.failedCalls, 0);
    return {
      totals: {
        failedCalls: Math.round(out.AggregateValue ?? sum),
        failingJobs: null,
        repositories: null,
      },
      groups,
    };
  }
}
