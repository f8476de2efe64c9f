/**
 * The annotator in the monitor stack: off unless both the app id and the key's secret are in
 * context; when on, a subscription filter on the processor's failure lines (the processor itself
 * unchanged), its queue, dead-letter queue and alarm, its claim table, exactly the permissions it
 * needs, the dashboard widget, and cdk-nag clean. One synthesis with the annotator, one without.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_LINES_PATTERN } from '../../infra/constructs/annotator.js';
import { ContextError, readContext } from '../../infra/context.js';
import { RESULT_MESSAGE } from '../../src/adapters/log/result-logger.js';
import { acknowledgements, buildApp, CENTRAL, ORGANISATION_CONTEXT } from './helpers/synth.js';
import { flatten, resourcesOfType } from './helpers/template-values.js';

const ANNOTATOR = {
  githubAppId: '123456',
  githubAppPrivateKeySecret: 'oidcwatch/github-app-private-key',
};

let template: Template;
let without: Template;
let synthError: unknown;
let acks: ReturnType<typeof acknowledgements>;

beforeAll(() => {
  const { app, stacks } = buildApp({ ...ORGANISATION_CONTEXT, ...ANNOTATOR });
  template = Template.fromStack(stacks.monitor);
  try {
    app.synth();
  } catch (e) {
    synthError = e;
  }
  acks = acknowledgements(app);
  without = Template.fromStack(buildApp(ORGANISATION_CONTEXT).stacks.monitor);
}, 240_000);

function roleId(t: Template): string {
  const id = Object.keys(resourcesOfType(t, 'AWS::IAM::Role')).find((k) =>
    k.startsWith('AnnotatorRole')
  );
  if (id === undefined) throw new Error('no annotator role');
  return id;
}

function grants(t: Template): string[] {
  const role = roleId(t);
  return Object.values(resourcesOfType(t, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
    .flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement
    )
    .flatMap((s) => {
      const actions = ([] as string[]).concat(s.Action as string | string[]);
      const resources = ([] as unknown[]).concat(s.Resource);
      return actions.flatMap((a) => resources.map((r) => `${a} ${flatten(r)}`));
    })
    .sort();
}

describe('Annotator: optional', () => {
  it('is not deployed without the app id and the secret', () => {
    // Act
    const functions = Object.values(resourcesOfType(without, 'AWS::Lambda::Function')).map(
      (f) => f.Properties.FunctionName
    );

    // Assess
    expect(functions).not.toContain('oidcwatch-annotator');
    expect(Object.keys(resourcesOfType(without, 'AWS::Logs::SubscriptionFilter'))).toEqual([]);
  });

  it('refuses the app id without the secret, and a secret without the app id', () => {
    // Prepare
    const node = (ctx: Record<string, unknown>) => ({ tryGetContext: (k: string) => ctx[k] });

    // Act
    const noSecret = () => readContext(node({ githubAppId: '123456' }));
    const noApp = () => readContext(node({ githubAppPrivateKeySecret: 'x' }));

    // Assess
    expect(noSecret).toThrow(ContextError);
    expect(noSecret).toThrow(
      'context "githubAppId" and "githubAppPrivateKeySecret" turn the annotator on together: set both, or neither'
    );
    expect(noApp).toThrow(ContextError);
  });
});

describe('Annotator: wiring', () => {
  it("subscribes to the processor's failure result lines only", () => {
    // Assess
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^ProcessorLogGroup') },
      FilterPattern: FAILURE_LINES_PATTERN,
      DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AnnotatorFunction'), 'Arn'] },
    });
    expect(FAILURE_LINES_PATTERN).toContain(`$.msg = "${RESULT_MESSAGE}"`);
    const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission'))
      .map((p) => p.Properties)
      .filter((p) => flatten(p.FunctionName).includes('AnnotatorFunction'));
    expect(permissions.map((p) => [p.Action, flatten(p.Principal), flatten(p.SourceArn)])).toEqual([
      [
        'lambda:InvokeFunction',
        'logs.amazonaws.com',
        expect.stringMatching(/^\{GetAtt:ProcessorLogGroup\w+\.Arn\}$/),
      ],
    ]);
  });

  it('works the queue two batches at a time, with partial batch failures, and parks after 12 receipts', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^AnnotatorFunction') },
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 360,
      RedrivePolicy: { maxReceiveCount: 12, deadLetterTargetArn: Match.anyValue() },
      SqsManagedSseEnabled: true,
    });
  });

  it('pages through the on-call topic when anything reaches its dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'oidcwatch-annotator-dead-letters',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^OnCallTopic') }],
    });
  });

  it('keeps the key out of the template: the function gets the secret name, never its value', () => {
    // Prepare
    const fn = Object.values(resourcesOfType(template, 'AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'oidcwatch-annotator'
    );

    // Act
    const env = (fn?.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;

    // Assess
    expect(env).toMatchObject({
      OIDCWATCH_GITHUB_APP_ID: '123456',
      OIDCWATCH_GITHUB_PRIVATE_KEY_SECRET: 'oidcwatch/github-app-private-key',
      GITHUB_API_URL: 'https://api.github.com',
      OIDCWATCH_PULL_REQUEST_COMMENTS: 'false',
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(
      /resolve:secretsmanager:oidcwatch\/github/
    );
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  it('adds the Annotations-by-outcome widget to the dashboard', () => {
    // Prepare
    const dashboard = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0];

    // Act
    const body = flatten(dashboard?.Properties.DashboardBody);

    // Assess
    expect(body).toContain('Annotations on GitHub runs by outcome');
    for (const outcome of ['posted', 'unmatched', 'not_installed', 'failed'])
      expect(body).toContain(`"Annotations","Outcome","${outcome}"`);
    expect(
      flatten(
        Object.values(resourcesOfType(without, 'AWS::CloudWatch::Dashboard'))[0]?.Properties
          .DashboardBody
      )
    ).not.toContain('Annotations');
  });
});

describe('Annotator: least privilege', () => {
  it('grants exactly the secret read, the claim-table and queue actions, and its own log writes', () => {
    // Prepare
    const p = '\\{Ref:AWS::Partition\\}';
    const expected = [
      'dynamodb:DeleteItem \\{GetAtt:AnnotatorTable\\w+\\.Arn\\}',
      'dynamodb:GetItem \\{GetAtt:AnnotatorTable\\w+\\.Arn\\}',
      'dynamodb:PutItem \\{GetAtt:AnnotatorTable\\w+\\.Arn\\}',
      'logs:CreateLogStream \\{GetAtt:AnnotatorLogGroup\\w+\\.Arn\\}',
      'logs:PutLogEvents \\{GetAtt:AnnotatorLogGroup\\w+\\.Arn\\}',
      `secretsmanager:GetSecretValue arn:${p}:secretsmanager:${CENTRAL.region}:${CENTRAL.account}:secret:oidcwatch/github-app-private-key-\\?\\?\\?\\?\\?\\?`,
      'sqs:ChangeMessageVisibility \\{GetAtt:AnnotatorWorkQueue\\w+\\.Arn\\}',
      'sqs:DeleteMessage \\{GetAtt:AnnotatorWorkQueue\\w+\\.Arn\\}',
      'sqs:GetQueueAttributes \\{GetAtt:AnnotatorWorkQueue\\w+\\.Arn\\}',
      'sqs:GetQueueUrl \\{GetAtt:AnnotatorWorkQueue\\w+\\.Arn\\}',
      'sqs:ReceiveMessage \\{GetAtt:AnnotatorWorkQueue\\w+\\.Arn\\}',
      // The on-failure destination of the intake (the CDK's grant for Lambda destinations).
      'sqs:GetQueueAttributes \\{GetAtt:AnnotatorDeadLetterQueue\\w+\\.Arn\\}',
      'sqs:GetQueueUrl \\{GetAtt:AnnotatorDeadLetterQueue\\w+\\.Arn\\}',
      'sqs:SendMessage \\{GetAtt:AnnotatorDeadLetterQueue\\w+\\.Arn\\}',
      'sqs:SendMessage \\{GetAtt:AnnotatorWorkQueue\\w+\\.Arn\\}',
    ].map((pattern) => expect.stringMatching(new RegExp(`^${pattern}$`)));

    // Act
    const found = [...new Set(grants(template))];

    // Assess
    expect(found).toEqual(expect.arrayContaining(expected));
    expect(found).toHaveLength(expected.length);
  });

  it('passes cdk-nag, each acknowledgement with a reason', () => {
    // Prepare
    const mine = acks.filter((a) => a.path.startsWith('OidcwatchMonitor/Annotator/'));

    // Act
    const message = synthError instanceof Error ? synthError.message : String(synthError ?? '');

    // Assess
    expect(message).toBe('');
    expect(mine.map((a) => a.id.replace(/^\w+::/, '')).sort()).toEqual([
      'AwsSolutions-DDB3',
      'AwsSolutions-SQS3',
    ]);
    for (const a of mine) expect(a.reason.length).toBeGreaterThan(60);
  });
});
