/**
 * The notifier under the faults that matter at 3 a.m. (aws-sdk-client-mock): the query fails,
 * times out or finds nothing, the report fails too, SNS refuses the message; and under bad input.
 * A page always goes out with what is known; only a page SNS will not take at all is thrown.
 * PagerDuty's events: test/unit/notifier/pagerduty.test.ts.
 */
import { CloudWatchClient, GetInsightRuleReportCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { OidcwatchError } from '../../../src/domain/errors.js';
import { GROUPS_QUERY, TOTALS_QUERY } from '../../../src/domain/page/window-queries.js';
import { readNotifierConfig } from '../../../src/notifier/config.js';
import { buildNotifierDeps } from '../../../src/notifier/deps.js';
import { handleSnsEvent } from '../../../src/notifier/handle-event.js';
import { jsonLog } from '../../../src/notifier/log.js';
import { PageNotDeliveredError } from '../../../src/notifier/page-publisher.js';
import {
  alarmNotification,
  DASHBOARD_URL,
  recoveryNotification,
} from '../../fixtures/page/result-sets.js';

const logsMock = mockClient(CloudWatchLogsClient);
const cwMock = mockClient(CloudWatchClient);
const snsMock = mockClient(SNSClient);

const PAGES = 'arn:aws:sns:eu-west-1:111122223333:oidcwatch-pages';
const ALARMS = 'arn:aws:sns:eu-west-1:111122223333:oidcwatch-on-call';
const NOW = Date.parse('2026-11-27T14:05:30Z');

const TOTALS_ROWS = [
  [
    { field: 'failedCalls', value: '312' },
    { field: 'failingJobs', value: '26' },
    { field: 'repositories', value: '3' },
  ],
];
const GROUP_ROWS = [
  [
    { field: 'repo', value: 'acme-corp/payments-api' },
    { field: 'role', value: 'arn:aws:iam::111122223333:role/payments-deploy' },
    { field: 'cause', value: 'SUB_MISMATCH' },
    { field: 'det', value: 'ENVIRONMENT_FORM' },
    { field: 'acct', value: '111122223333' },
    { field: 'failedCalls', value: '290' },
    { field: 'failingJobs', value: '24' },
    { field: 'explanation', value: 'the job declares `environment: production`' },
    { field: 'fix', value: 'Add "repo:acme-corp/payments-api:environment:production".' },
    { field: 'change', value: 'trust policy of payments-deploy changed 6 min before by alice' },
  ],
];

afterEach(() => {
  logsMock.reset();
  cwMock.reset();
  snsMock.reset();
});

function setup(env: Record<string, string> = {}) {
  const lines: Record<string, unknown>[] = [];
  let clock = NOW;
  const config = readNotifierConfig({
    OIDCWATCH_PAGE_TOPIC_ARN: PAGES,
    OIDCWATCH_LOG_GROUP_NAME: '/aws/lambda/oidcwatch-processor',
    OIDCWATCH_INSIGHT_RULE_NAME: 'oidcwatch-failures-by-repository-cause',
    OIDCWATCH_DASHBOARD_URL: DASHBOARD_URL,
    OIDCWATCH_QUERY_TIMEOUT_SECONDS: '20',
    ...env,
  });
  const deps = buildNotifierDeps(
    config,
    {},
    {
      logs: new CloudWatchLogsClient({ region: 'eu-west-1' }),
      cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
      sns: new SNSClient({ region: 'eu-west-1' }),
      log: jsonLog(
        (l) => lines.push(JSON.parse(l)),
        () => clock
      ),
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    }
  );
  return { deps, lines, elapsed: () => clock - NOW };
}

function snsEvent(message: unknown, extra: Record<string, unknown> = {}) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${ALARMS}:0d4f5c3e-1111-2222-3333-444455556666`,
        Sns: {
          Type: 'Notification',
          MessageId: '5a4c1f6e-0000-4000-8000-000000000001',
          TopicArn: ALARMS,
          Subject: 'ALARM: "oidcwatch-failure-spike" in EU (Ireland)',
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: '2026-11-27T14:05:07.512Z',
          MessageAttributes: {},
          ...extra,
        },
      },
    ],
  };
}

function healthyQueries() {
  logsMock
    .on(StartQueryCommand, { queryString: TOTALS_QUERY })
    .resolves({ queryId: 'q-totals' })
    .on(StartQueryCommand, { queryString: GROUPS_QUERY })
    .resolves({ queryId: 'q-groups' });
  logsMock
    .on(GetQueryResultsCommand, { queryId: 'q-totals' })
    .resolvesOnce({ status: 'Running', results: [] })
    .resolves({ status: 'Complete', results: TOTALS_ROWS })
    .on(GetQueryResultsCommand, { queryId: 'q-groups' })
    .resolves({ status: 'Complete', results: GROUP_ROWS });
}

function published(topic: string): PublishCommandInput[] {
  return snsMock
    .commandCalls(PublishCommand)
    .map((c) => c.args[0].input)
    .filter((i) => i.TopicArn === topic);
}

function pageText(topic = PAGES): string {
  const input = published(topic)[0];
  if (input?.Message === undefined) throw new Error('no page published');
  return input.MessageStructure === 'json'
    ? ((JSON.parse(input.Message) as Record<string, string>).email ?? '')
    : input.Message;
}

describe('handleSnsEvent: ALARM', () => {
  it('queries the window of the alarm and pages with the summary', async () => {
    // Prepare
    const { deps } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });

    // Act
    const summary = await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(summary).toEqual({ paged: 1, recovered: 0, ignored: 0 });
    const starts = logsMock.commandCalls(StartQueryCommand).map((c) => c.args[0].input);
    expect(starts).toHaveLength(2);
    for (const s of starts)
      expect(s).toMatchObject({
        logGroupName: '/aws/lambda/oidcwatch-processor',
        startTime: Date.parse('2026-11-27T14:00:08Z') / 1000,
        endTime: Date.parse('2026-11-27T14:05:08Z') / 1000,
      });
    expect(cwMock.commandCalls(GetInsightRuleReportCommand)).toHaveLength(0);
    const [input] = published(PAGES);
    expect(input).toMatchObject({
      Subject:
        'ALARM 312 OIDC failures in 5 min (26 jobs): acme-corp/payments-api SUB_MISMATCH after a change',
      MessageStructure: 'json',
      MessageAttributes: { oidcwatch_origin: { DataType: 'String', StringValue: 'notifier' } },
    });
    expect(pageText()).toContain(
      '290 from acme-corp/payments-api on role payments-deploy: SUB_MISMATCH/ENVIRONMENT_FORM'
    );
  });

  it('still pages when the query fails, with the error and the Contributor Insights top contributors', async () => {
    // Prepare
    const { deps, lines } = setup();
    logsMock.on(StartQueryCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: logs:StartQuery'), {
        name: 'AccessDeniedException',
      })
    );
    cwMock.on(GetInsightRuleReportCommand).resolves({
      AggregateValue: 312,
      Contributors: [
        {
          Keys: ['acme-corp/payments-api', 'SUB_MISMATCH'],
          ApproximateAggregateValue: 290,
          Datapoints: [],
        },
        { Keys: ['acme-corp/web', 'SUB_MISMATCH'], ApproximateAggregateValue: 12, Datapoints: [] },
      ],
    });
    snsMock.on(PublishCommand).resolves({});

    // Act
    const summary = await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(summary.paged).toBe(1);
    expect(cwMock.commandCalls(GetInsightRuleReportCommand)[0]?.args[0].input).toMatchObject({
      RuleName: 'oidcwatch-failures-by-repository-cause',
      OrderBy: 'Sum',
      MaxContributorCount: 10,
    });
    const text = pageText();
    expect(text).toContain(
      '312 failed role assumptions in 5 min; 290 from acme-corp/payments-api: SUB_MISMATCH.'
    );
    expect(text).toContain(
      '- Logs Insights query failed: AccessDeniedException: User is not authorized to perform: logs:StartQuery'
    );
    expect(text).toContain('Top repositories from the Contributor Insights report');
    expect(lines.find((l) => l.msg === 'oidcwatch.notifier.paged')).toMatchObject({
      source: 'contributor-insights',
    });
  });

  it('pages with the alarm, reason and dashboard when the query times out and the report fails', async () => {
    // Prepare
    const { deps, elapsed } = setup();
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Running', results: [] });
    cwMock
      .on(GetInsightRuleReportCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    snsMock.on(PublishCommand).resolves({});

    // Act
    const summary = await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(summary.paged).toBe(1);
    expect(elapsed()).toBe(20_000);
    const [input] = published(PAGES);
    expect(input?.Subject).toBe('ALARM oidcwatch-failure-spike: no summary, see dashboard');
    const text = pageText();
    expect(text).toContain(
      'the failures of the last 5 min could not be read (Logs Insights query timed out after 20 s)'
    );
    expect(text).toContain('Reason: Threshold Crossed: 3 out of the last 5 datapoints');
    expect(text).toContain(
      '- Contributor Insights report failed: ThrottlingException: Rate exceeded'
    );
    expect(text).toContain(`Dashboard: ${DASHBOARD_URL}`);
  });

  it('keeps polling through a throttled GetQueryResults and names the last error on timeout', async () => {
    // Prepare
    const { deps } = setup({ OIDCWATCH_QUERY_TIMEOUT_SECONDS: '5' });
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q' });
    logsMock
      .on(GetQueryResultsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    snsMock.on(PublishCommand).resolves({});

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(logsMock.commandCalls(GetQueryResultsCommand).length).toBe(10);
    expect(pageText()).toContain(
      'Logs Insights query timed out after 5 s (last error: ThrottlingException: Rate exceeded)'
    );
  });

  it('pages an empty window with what that can mean', async () => {
    // Prepare
    const { deps } = setup();
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [] });
    snsMock.on(PublishCommand).resolves({});

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(published(PAGES)[0]?.Subject).toBe(
      'ALARM oidcwatch-failure-spike: no OIDC failures logged in 5 min'
    );
    expect(pageText()).toContain('- No failed call was logged in the window.');
    expect(cwMock.commandCalls(GetInsightRuleReportCommand)).toHaveLength(0);
  });

  it('reports a query that ends Failed as such', async () => {
    // Prepare
    const { deps } = setup({ OIDCWATCH_INSIGHT_RULE_NAME: '' });
    logsMock.on(StartQueryCommand).resolves({ queryId: 'q' });
    logsMock.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    snsMock.on(PublishCommand).resolves({});

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(pageText()).toContain('- Logs Insights query ended with status Failed');
    expect(cwMock.commandCalls(GetInsightRuleReportCommand)).toHaveLength(0);
  });
});

describe('handleSnsEvent: each subscriber shape', () => {
  it('publishes one message with the page per protocol', async () => {
    // Prepare
    const { deps } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    const page = published(PAGES)[0];
    const byProtocol = JSON.parse(page?.Message ?? '{}') as Record<string, string>;
    expect(JSON.parse(byProtocol.https ?? '{}')).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    expect(JSON.parse(byProtocol.sqs ?? '{}')).toMatchObject({
      schema: 'oidcwatch.page/1',
      kind: 'alarm',
    });
    expect(byProtocol.email).toContain('ALARM oidcwatch-failure-spike (111122223333, eu-west-1)');
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('falls back to plain text when SNS refuses the structured message', async () => {
    // Prepare
    const { deps, lines } = setup();
    healthyQueries();
    snsMock
      .on(PublishCommand, { MessageStructure: 'json' })
      .rejects(
        Object.assign(new Error('Invalid parameter: Message'), {
          name: 'InvalidParameterException',
        })
      )
      .on(PublishCommand, { MessageStructure: undefined })
      .resolves({});

    // Act
    const summary = await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(summary.paged).toBe(1);
    const inputs = published(PAGES);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]?.MessageStructure).toBeUndefined();
    expect(inputs[1]?.Message).toContain('290 from acme-corp/payments-api');
    expect(lines.some((l) => l.msg === 'oidcwatch.notifier.page_refused')).toBe(true);
  });

  it('throws when no form of the page can be published, so that Lambda retries', async () => {
    // Prepare
    const { deps, lines } = setup();
    healthyQueries();
    snsMock
      .on(PublishCommand, { TopicArn: PAGES })
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));

    // Act
    const run = handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    await expect(run).rejects.toThrow(PageNotDeliveredError);
    await expect(run).rejects.toThrow('pages topic: KMSDisabledException: KMS key disabled');
    expect(published(PAGES)).toHaveLength(2);
    expect(lines.find((l) => l.msg === 'oidcwatch.notifier.undelivered')).toBeDefined();
  });
});

describe('handleSnsEvent: OK', () => {
  it('sends the recovery without querying', async () => {
    // Prepare
    const { deps } = setup();
    snsMock.on(PublishCommand).resolves({});

    // Act
    const summary = await handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    expect(summary).toEqual({ paged: 0, recovered: 1, ignored: 0 });
    expect(logsMock.commandCalls(StartQueryCommand)).toHaveLength(0);
    expect(published(PAGES)[0]?.Subject).toBe('OK oidcwatch-failure-spike recovered');
    expect(published(PAGES)[0]?.MessageAttributes?.oidcwatch_kind?.StringValue).toBe('recovery');
  });
});

describe('handleSnsEvent: bad input', () => {
  it.each([
    ['a non-alarm SNS message', snsEvent('Hello from the console')],
    ['an SNS message without a known state', snsEvent({ AlarmName: 'x', NewStateValue: 'FIRING' })],
    [
      'an INSUFFICIENT_DATA transition',
      snsEvent(alarmNotification({ NewStateValue: 'INSUFFICIENT_DATA' })),
    ],
    ['an event that is not from SNS', { detail: { eventName: 'AssumeRoleWithWebIdentity' } }],
    ['a record without Sns', { Records: [{ EventSource: 'aws:sqs', body: '{}' }] }],
    ['null', null],
  ])('logs and ignores %s without throwing or publishing', async (_what, event) => {
    // Prepare
    const { deps, lines } = setup();

    // Act
    const summary = await handleSnsEvent(event, deps);

    // Assess
    expect(summary).toEqual({ paged: 0, recovered: 0, ignored: 1 });
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'oidcwatch.notifier.ignored' });
  });

  it('ignores its own page (loop guard) by attribute and by topic', async () => {
    // Prepare
    const { deps, lines } = setup();
    const byAttribute = snsEvent(alarmNotification(), {
      MessageAttributes: { oidcwatch_origin: { Type: 'String', Value: 'notifier' } },
    });
    const byTopic = snsEvent(alarmNotification(), { TopicArn: PAGES });

    // Act
    const summaries = [
      await handleSnsEvent(byAttribute, deps),
      await handleSnsEvent(byTopic, deps),
    ];

    // Assess
    expect(summaries.map((s) => s.ignored)).toEqual([1, 1]);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    expect(lines.map((l) => l.reason)).toEqual([
      "the notifier's own page: it carries oidcwatch_origin=notifier",
      "the notifier's own page: it comes from a topic the notifier publishes to",
    ]);
  });
});

describe('readNotifierConfig', () => {
  it.each([
    [{}, 'OIDCWATCH_PAGE_TOPIC_ARN must be set'],
    [
      { OIDCWATCH_PAGE_TOPIC_ARN: 'pages' },
      'OIDCWATCH_PAGE_TOPIC_ARN must be an SNS topic ARN, got "pages"',
    ],
    [{ OIDCWATCH_PAGE_TOPIC_ARN: PAGES }, 'OIDCWATCH_LOG_GROUP_NAME must be set'],
    [
      {
        OIDCWATCH_PAGE_TOPIC_ARN: PAGES,
        OIDCWATCH_LOG_GROUP_NAME: 'g',
        OIDCWATCH_NAMESPACE: 'OIDC Watch',
      },
      'OIDCWATCH_NAMESPACE must be a CloudWatch namespace',
    ],
    [
      {
        OIDCWATCH_PAGE_TOPIC_ARN: PAGES,
        OIDCWATCH_LOG_GROUP_NAME: 'g',
        OIDCWATCH_QUERY_TIMEOUT_SECONDS: '0',
      },
      'OIDCWATCH_QUERY_TIMEOUT_SECONDS must be a whole number from 1 to 600, got "0"',
    ],
  ])('rejects %j with a message naming the variable', (env, message) => {
    // Prepare
    const read = () => readNotifierConfig(env);

    // Act
    let error: unknown;
    try {
      read();
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(OidcwatchError);
    expect(error).toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: expect.stringContaining(message),
    });
  });
});
