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
  SINGLE_ACCOUNT_CONTEXT,
} from './helpers/synth.js';

interface Built {
  stacks: OidcwatchStacks;
  acks: Acknowledgement[];
  synth: () => unknown;
}

let defaults: Built;
let organisation: Built;
let organisationOnly: Built;

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
  defaults = build({ ...SINGLE_ACCOUNT_CONTEXT });
  organisation = build({ ...ORGANISATION_CONTEXT });
  // The StackSets path: the organisation, no member account listed.
  organisationOnly = build({
    ...ORGANISATION_CONTEXT,
    memberAccounts: undefined,
    memberRegions: undefined,
  });
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
    const acks = [...defaults.acks, ...organisation.acks, ...organisationOnly.acks];

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
        'AwsSolutions-SMG4',
        'CloudFormation-Validate::W1030',
      ].sort()
    );
    for (const a of acks) expect(a.reason.length, `${a.path} ${a.id}`).toBeGreaterThan(60);
  });

  it('acknowledges the wildcard AssumeRole only for an organisation without listed accounts', () => {
    // Prepare
    const wildcard = (a: Acknowledgement) => a.id.includes('iam::*:role/');

    // Act
    const orgOnly = organisationOnly.acks.filter(wildcard);
    const withMembers = organisation.acks.filter(wildcard);
    const single = defaults.acks.filter(wildcard);

    // Assess
    expect(orgOnly.map((a) => a.path)).toEqual(['OidcwatchMonitor/Processor/AssumeReadRolePolicy']);
    expect(withMembers).toEqual([]);
    expect(single).toEqual([]);
  });

  it('scopes the wildcard AssumeRole to the organisation’s accounts (aws:ResourceOrgID)', () => {
    // Prepare
    const template = Template.fromStack(organisationOnly.stacks.monitor);

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
              Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
            }),
          ],
        },
      },
    });

    // Assess
    expect(Object.keys(policies)).toHaveLength(1);
  });

  it('leaves no error or warning annotation on any stack', () => {
    // Prepare
    const stacks = [
      ...allStacks(defaults.stacks),
      ...allStacks(organisation.stacks),
      ...allStacks(organisationOnly.stacks),
    ];

    // Act
    const messages = stacks.flatMap((s) => [
      ...Annotations.fromStack(s).findError('*', Match.anyValue()),
      ...Annotations.fromStack(s).findWarning('*', Match.anyValue()),
    ]);

    // Assess
    expect(messages).toEqual([]);
  });
});

describe('a single-account deployment (e-mail, no organisation, no member accounts)', () => {
  it('gives the processor no sts:AssumeRole at all: it reads its own account only', () => {
    // Prepare
    const template = Template.fromStack(defaults.stacks.monitor);

    // Act
    const assume = JSON.stringify(template.findResources('AWS::IAM::Policy')).includes(
      'sts:AssumeRole'
    );

    // Assess
    expect(assume).toBe(false);
  });

  it('admits no other account to the central bus and subscribes the e-mail to pages and raw alarms', () => {
    // Prepare
    const template = Template.fromStack(defaults.stacks.monitor);

    // Act
    const busPolicies = template.findResources('AWS::Events::EventBusPolicy');
    const subscriptions = Object.values(
      template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'email' } })
    ).map((s) => JSON.stringify(s.Properties.TopicArn));

    // Assess
    expect(busPolicies).toEqual({});
    expect(subscriptions.sort()).toEqual([
      expect.stringContaining('NotifierPageTopic'),
      expect.stringContaining('OnCallTopic'),
    ]);
    template.resourceCountIs('AWS::SNS::Topic', 2);
  });

  it('emits no member template, since no other account could send to the bus', () => {
    // Prepare
    const { stacks } = defaults;

    // Act
    const templates = [stacks.forwarderTemplate, stacks.readRoleTemplate];

    // Assess
    expect(templates).toEqual([undefined, undefined]);
    expect(stacks.forwarders).toEqual([]);
    expect(stacks.readRoles).toEqual([]);
  });
});
