/**
 * Builds the oidcwatch app the way `infra/app.ts` does, with cdk-nag's AwsSolutions pack
 * registered, for the infra tests. Synthesis bundles the Lambda with esbuild, so each test file
 * builds its app once (in `beforeAll`).
 */
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type OidcwatchContext, readContext } from '../../../infra/context.js';
import { OidcwatchDeliveryChecks } from '../../../infra/nag/delivery-checks.js';
import { addOidcwatchStacks, type OidcwatchStacks } from '../../../infra/oidcwatch-app.js';

/** The central account and Region the tests deploy to. */
export const CENTRAL = { account: '111122223333', region: 'eu-west-1' } as const;

/** A full organisation set-up: e-mail, organisation, two member accounts in two Regions. */
export const ORGANISATION_CONTEXT: Readonly<Record<string, unknown>> = {
  centralAccount: CENTRAL.account,
  centralRegion: CENTRAL.region,
  email: 'oncall@example.com',
  organizationId: 'o-a1b2c3d4e5',
  memberAccounts: '444455556666,777788889999',
  memberRegions: '["eu-west-1","us-east-1"]',
  owners: 'acme-corp',
};

/** A new App with the given context, the AwsSolutions checks and the delivery rules registered. */
export function newApp(context: Readonly<Record<string, unknown>> = {}): App {
  // The built-in CloudFormation schema validation is left to cfn-lint in CI (it takes ~15 s).
  const app = new App({ context: { ...context }, builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new OidcwatchDeliveryChecks(app, { verbose: true })
  );
  return app;
}

/** The app and its stacks, built from context as `infra/app.ts` builds them. */
export function buildApp(context: Readonly<Record<string, unknown>> = {}): {
  app: App;
  settings: OidcwatchContext;
  stacks: OidcwatchStacks;
} {
  const app = newApp(context);
  const settings = readContext(app.node, {});
  return { app, settings, stacks: addOidcwatchStacks(app, settings) };
}

/** Every stack of the app. */
export function allStacks(stacks: OidcwatchStacks): Stack[] {
  return [
    stacks.monitor,
    ...(stacks.forwarderTemplate === undefined ? [] : [stacks.forwarderTemplate]),
    ...(stacks.readRoleTemplate === undefined ? [] : [stacks.readRoleTemplate]),
    ...stacks.forwarders,
    ...stacks.readRoles,
  ];
}

/** A stack the test expects to exist. */
export function present<T>(stack: T | undefined, what = 'stack'): T {
  if (stack === undefined) throw new Error(`expected the ${what}`);
  return stack;
}

/** A single-account deployment: no organisation, no member accounts, an e-mail to page. */
export const SINGLE_ACCOUNT_CONTEXT: Readonly<Record<string, unknown>> = {
  email: 'oncall@example.com',
};

/** One acknowledgement (`Validations.of(x).acknowledge`) found in the construct tree. */
export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement under `root`. */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const c of root.node.findAll())
    for (const entry of c.node.metadata)
      if (entry.type === 'aws:cdk:acknowledged-rules' && entry.data)
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>))
          found.push({ path: c.node.path, id, reason: String(reason) });
  return found;
}
