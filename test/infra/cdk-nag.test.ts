import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OidcwatchStacks } from '../../infra/oidcwatch-app.js';
import {
  type Acknowledgement,
  acknowledgements,
  allStacks,
  buildApp,
  newApp,
  ORGANISATION_CONTEXT,
} from './helpers/synth.js';

interface Built {
  stacks: OidcwatchStacks;
  acks: Acknowledgement[];
  synth: () => unknown;
}

let defaults: Built;
let organisation: Built;

function build(context: Record<string, unknown>): Built {
  const { app, stacks } = buildApp(context);
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  return {
    stacks,
    acks: acknowledgements(app),
    synth: () => {
      if (error !== undefined) throw error;
      return 'synthesized';
    },
  };
}

beforeAll(() => {
  defaults = build({});
  organisation = build({ ...ORGANISATION_CONTEXT });
});

/** Finding ids without the namespace CDK stores them under, concrete accounts normalised. */
function ids(acks: readonly Acknowledgement[]): string[] {
  const normalise = (id: string) =>
    id.replace(/^\w+::(?=AwsSolutions-)/, '').replace(/iam::\d{12}:/, 'iam::<account>:');
  return [...new Set(acks.map((a) => normalise(a.id)))].sort();
}

const IAM_READ_FINDINGS = [
  'AwsSolutions-IAM5[Resource::*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<account>:oidc-provider/*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<account>:role/*]',
];

describe('cdk-nag AwsSolutions checks', () => {
  it('pass with no unacknowledged finding for the default app', () => {
    // Prepare
    const { synth } = defaults;

    // Act
    const result = synth();

    // Assess
    expect(result).toBe('synthesized');
  });

  it('pass with no unacknowledged finding for an organisation with member accounts', () => {
    // Prepare
    const { synth } = organisation;

    // Act
    const result = synth();

    // Assess
    expect(result).toBe('synthesized');
  });

  it('fail synthesis on an unacknowledged finding (the checks are active)', () => {
    // Prepare
    const app = newApp();
    const stack = new Stack(app, 'Insecure');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS/);
  });

  it('acknowledge only the expected findings, each with a reason', () => {
    // Prepare
    const acks = [...defaults.acks, ...organisation.acks];

    // Act
    const found = ids(acks);

    // Assess
    expect(found).toEqual(
      [
        ...IAM_READ_FINDINGS,
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/oidcwatch-read]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:oidc-provider/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
        'AwsSolutions-DDB3',
        'AwsSolutions-SQS3',
      ].sort()
    );
    for (const a of acks) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(60);
  });

  it('acknowledges the wildcard AssumeRole only when no member accounts are listed', () => {
    // Prepare
    const wildcard = (a: Acknowledgement) => a.id.includes('iam::*:role/');

    // Act
    const withoutMembers = defaults.acks.filter(wildcard);
    const withMembers = organisation.acks.filter(wildcard);

    // Assess
    expect(withoutMembers.map((a) => a.path)).toEqual([
      'OidcwatchMonitor/Processor/AssumeReadRolePolicy',
    ]);
    expect(withMembers).toEqual([]);
  });

  it('leaves no error or warning annotation on any stack', () => {
    // Prepare
    const stacks = [...allStacks(defaults.stacks), ...allStacks(organisation.stacks)];

    // Act
    const messages = stacks.flatMap((s) => [
      ...Annotations.fromStack(s).findError('*', Match.anyValue()),
      ...Annotations.fromStack(s).findWarning('*', Match.anyValue()),
    ]);

    // Assess
    expect(messages).toEqual([]);
  });
});

describe('the default app (no context)', () => {
  it('lets the processor assume the read role name in any account', () => {
    // Prepare
    const template = Template.fromStack(defaults.stacks.monitor);

    // Act
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'sts:AssumeRole',
              Resource: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/oidcwatch-read'],
                ],
              },
            }),
          ],
        },
      },
    });

    // Assess
    expect(Object.keys(policies)).toHaveLength(1);
  });

  it('admits no other account to the central bus and subscribes no e-mail', () => {
    // Prepare
    const template = Template.fromStack(defaults.stacks.monitor);

    // Act
    const busPolicies = template.findResources('AWS::Events::EventBusPolicy');
    const subscriptions = template.findResources('AWS::SNS::Subscription', {
      Properties: { Protocol: 'email' },
    });

    // Assess
    expect(busPolicies).toEqual({});
    expect(subscriptions).toEqual({});
    // The alarm topic and the notifier's pages topic (PagerDuty is posted to, not subscribed).
    template.resourceCountIs('AWS::SNS::Topic', 2);
  });

  it('leaves the member templates parameters to be filled in at deployment', () => {
    // Prepare
    const forwarder = Template.fromStack(defaults.stacks.forwarderTemplate).toJSON();

    // Act
    const readRole = Template.fromStack(defaults.stacks.readRoleTemplate).toJSON();

    // Assess
    expect(forwarder.Parameters.CentralEventBusArn.Default).toBeUndefined();
    expect(readRole.Parameters.ProcessorAccountId.Default).toBeUndefined();
    expect(defaults.stacks.forwarders).toEqual([]);
    expect(defaults.stacks.readRoles).toEqual([]);
  });
});
