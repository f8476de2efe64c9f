/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Settings come from context; see
 * docs/deploy.md. cdk-nag's AwsSolutions pack and oidcwatch's delivery rules
 * (`infra/nag/delivery-checks.ts`: alarms can publish, filters let pages through, targets can be
 * invoked, dead letters are alarmed) run as CDK validation plugins (cdk-nag v3): an
 * unacknowledged finding fails synthesis.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readContext } from './context.js';
import { OidcwatchDeliveryChecks } from './nag/delivery-checks.js';
import { addOidcwatchStacks } from './oidcwatch-app.js';

const app = new App();
addOidcwatchStacks(app, readContext(app.node, process.env));
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app, { verbose: true }),
  new OidcwatchDeliveryChecks(app, { verbose: true })
);
app.synth();
