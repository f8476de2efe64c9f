import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  type DashboardValues,
  findUnknownNames,
  loadDashboardTemplate,
  renderDashboard,
} from '../lib/dashboard-template.js';

/** Properties of {@link FailureDashboard}. */
export interface FailureDashboardProps {
  /** The value of every placeholder of `dashboards/oidc-failures.json`. */
  readonly values: DashboardValues;
  /**
   * Name of the dashboard.
   *
   * @default 'oidcwatch-failures'
   */
  readonly dashboardName?: string;
  /**
   * The template body.
   *
   * @default `dashboards/oidc-failures.json`
   */
  readonly template?: unknown;
}

/**
 * The CloudWatch dashboard, deployed from `dashboards/oidc-failures.json` with its placeholders
 * substituted. Synthesis fails if the template names a metric, dimension set, cause or log field
 * the processor does not emit, so the dashboard cannot drift from the code.
 *
 * @example
 * ```ts
 * new FailureDashboard(this, 'Dashboard', { values: { Region: Aws.REGION, ... } });
 * ```
 */
export class FailureDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.CfnDashboard;

  constructor(scope: Construct, id: string, props: FailureDashboardProps) {
    super(scope, id);
    const template = props.template ?? loadDashboardTemplate();
    const problems = findUnknownNames(template);
    if (problems.length > 0)
      throw new Error(
        `dashboards/oidc-failures.json names what the processor does not emit:\n- ${problems.join('\n- ')}`
      );
    this.dashboard = new cloudwatch.CfnDashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? 'oidcwatch-failures',
      dashboardBody: renderDashboard(template, props.values),
    });
  }
}
