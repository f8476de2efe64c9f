/**
 * `oidcwatch dashboard [--region R] [--namespace N] [--name-prefix P] [--account ID]
 * [--dead-letter-queue NAME]`: prints the CloudWatch dashboard body of a monitor deployed with
 * these names, ready for `aws cloudwatch put-dashboard --dashboard-body file://…`. The same source
 * as the stack's dashboard (`dashboards/oidc-failures.template.json`) with the placeholders filled;
 * offline (no AWS call). Widgets or rows that need a value not given are left out, and stderr says
 * which and how to include them.
 */
import {
  findUnknownNames,
  loadDashboardTemplate,
  renderDashboardBody,
} from '../../../infra/lib/dashboard-template.js';
import { OidcwatchError } from '../../domain/errors.js';
import { DEFAULT_NAMESPACE } from '../../domain/metric-names.js';
import { parseCommandArgs } from '../common/args.js';
import { reportError } from '../common/exit-code.js';
import { dashboardValues } from '../dashboard/dashboard-values.js';
import type { Command } from '../io.js';
import { EXIT } from '../io.js';

const HELP = `usage: oidcwatch dashboard [--region R] [options] > body.json

Prints the CloudWatch dashboard body of an oidcwatch monitor (the one the CDK stack deploys:
failing jobs with cause, sub and fix; IAM changes behind failures; failures by cause, account and
repository; alarms; processor health), ready for
  aws cloudwatch put-dashboard --dashboard-name oidcwatch-failures --dashboard-body file://body.json

options:
  --region R               the monitor's Region (default: AWS_REGION, else us-east-1)
  --namespace N            the metrics namespace (default: ${DEFAULT_NAMESPACE})
  --name-prefix P          the stack's name prefix (default: oidcwatch)
  --event-bus NAME         the central event bus (default: oidcwatch)
  --account ID             the monitor's account: adds the alarm widget (alarm ARNs)
  --dead-letter-queue NAME the dead-letter queue (the stack's DeadLetterQueueUrl output ends
                           with it): adds its depth to "Delivery and enrichment"
  --intake-queue NAME      the intake queue (the stack's IntakeQueueArn output ends with it):
                           adds the intake queue widget (age of the oldest event, depth)
  --anomaly-band N         the anomaly band width of the failure-anomaly alarm (default: 2)
  -h, --help               show this help
`;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;

/** The option that supplies what a left-out item needs. */
function optionFor(item: string): string {
  if (item.includes('DeadLetterQueueName')) return '--dead-letter-queue';
  if (item.includes('IntakeQueueName')) return '--intake-queue';
  return '--account';
}

/** Runs `oidcwatch dashboard`. */
export const run: Command = async (argv, io) => {
  try {
    const { values, positionals } = parseCommandArgs('dashboard', argv, {
      region: { type: 'string' },
      namespace: { type: 'string' },
      'name-prefix': { type: 'string' },
      'event-bus': { type: 'string' },
      account: { type: 'string' },
      'dead-letter-queue': { type: 'string' },
      'intake-queue': { type: 'string' },
      'anomaly-band': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    if (positionals.length > 0)
      throw new OidcwatchError('ERR_USAGE', `dashboard: unexpected argument "${positionals[0]}"`);
    const region = values.region ?? io.env.AWS_REGION ?? 'us-east-1';
    if (!REGION.test(region))
      throw new OidcwatchError(
        'ERR_USAGE',
        `dashboard: --region must be a Region such as eu-west-1, got "${region}"`
      );
    const account = values.account ?? null;
    if (account !== null && !ACCOUNT.test(account))
      throw new OidcwatchError(
        'ERR_USAGE',
        `dashboard: --account must be 12 digits, got "${account}"`
      );
    const band = Number(values['anomaly-band'] ?? '2');
    if (!Number.isFinite(band) || band <= 0)
      throw new OidcwatchError(
        'ERR_USAGE',
        `dashboard: --anomaly-band must be a positive number, got "${values['anomaly-band']}"`
      );
    const namespace = values.namespace ?? DEFAULT_NAMESPACE;
    const { body, leftOut } = renderDashboardBody(
      loadDashboardTemplate(),
      dashboardValues({
        region,
        namespace,
        namePrefix: values['name-prefix'] ?? 'oidcwatch',
        eventBusName: values['event-bus'] ?? 'oidcwatch',
        account,
        deadLetterQueue: values['dead-letter-queue'] ?? null,
        intakeQueue: values['intake-queue'] ?? null,
        anomalyBandWidth: band,
      })
    );
    const problems = findUnknownNames(JSON.parse(body), namespace);
    if (problems.length > 0)
      throw new Error(
        `the dashboard names what the processor does not emit:\n- ${problems.join('\n- ')}`
      );
    io.stdout.write(`${JSON.stringify(JSON.parse(body), null, 2)}\n`);
    for (const item of leftOut)
      io.stderr.write(
        `oidcwatch dashboard: left out ${item}; pass ${optionFor(item)} to include it\n`
      );
    return EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'dashboard');
  }
};
