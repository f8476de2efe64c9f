/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Settings come from context; see
 * docs/deploy.md. cdk-nag's AwsSolutions pack runs as a CDK validation plugin (cdk-nag v3):
 * an unacknowledged finding fails synthesis.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readContext } from './context.js';
import { addOidcwatchStacks } from './oidcwatch-app.js';

const app = new App();
addOidcwatchStacks(app, readContext(app.node, process.env));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
