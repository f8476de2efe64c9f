/**
 * The notifier's PagerDuty events against a local server playing the Events API v2
 * (`node:http` on 127.0.0.1): the body it posts, trigger and resolve with one dedup key, retries
 * on 5xx, 429 and timeouts, none on 400, and an unreachable PagerDuty. The page always goes out on
 * the pages topic (SNS, mocked); a PagerDuty failure is logged and counted, never thrown; the
 * routing key is in no log line.
 */
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OidcwatchError } from '../../../src/domain/errors.js';
import { PAGERDUTY_EVENTS_URL } from '../../../src/domain/page/render-pagerduty.js';
import { GROUPS_QUERY, TOTALS_QUERY } from '../../../src/domain/page/window-queries.js';
import { readNotifierConfig } from '../../../src/notifier/config.js';
import { buildNotifierDeps, type NotifierOverrides } from '../../../src/notifier/deps.js';
import { handleSnsEvent } from '../../../src/notifier/handle-event.js';
import { jsonLog } from '../../../src/notifier/log.js';
import { PageNotDeliveredError } from '../../../src/notifier/page-publisher.js';
import { PagerDutyClient } from '../../../src/notifier/pagerduty-client.js';
import {
  alarmNotification,
  DASHBOARD_URL,
  recoveryNotification,
} from '../../fixtures/page/result-sets.js';
import {
  ENQUEUE_PATH,
  type FakePagerDuty,
  startFakePagerDuty,
  unreachablePagerDutyUrl,
} from '../../helpers/fake-pagerduty.js';

const logsMock = mockClient(CloudWatchLogsClient);
const snsMock = mockClient(SNSClient);
const secretsMock = mockClient(SecretsManagerClient);
const SECRET = 'oidcwatch/pagerduty';

const PAGES = 'arn:aws:sns:eu-west-1:111122223333:oidcwatch-pages';
const ALARMS = 'arn:aws:sns:eu-west-1:111122223333:oidcwatch-on-call';
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const DEDUP_KEY =
  'oidcwatch/arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-failure-spike';
const NOW = Date.parse('2026-11-27T14:05:30Z');

let pagerDuty: FakePagerDuty;

beforeEach(async () => {
  pagerDuty = await startFakePagerDuty();
  secretsMock
    .on(GetSecretValueCommand, { SecretId: SECRET })
    .resolves({ SecretString: ROUTING_KEY });
});

afterEach(async () => {
  logsMock.reset();
  snsMock.reset();
  secretsMock.reset();
  await pagerDuty.close();
});

function setup(eventsUrl = pagerDuty.url, overrides: NotifierOverrides = {}) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let clock = NOW;
  const config = readNotifierConfig({
    OIDCWATCH_PAGE_TOPIC_ARN: PAGES,
    OIDCWATCH_LOG_GROUP_NAME: '/aws/lambda/oidcwatch-processor',
    OIDCWATCH_DASHBOARD_URL: DASHBOARD_URL,
    OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET: SECRET,
    OIDCWATCH_PAGERDUTY_EVENTS_URL: eventsUrl,
  });
  const deps = buildNotifierDeps(
    config,
    {},
    {
      logs: new CloudWatchLogsClient({ region: 'eu-west-1' }),
      sns: new SNSClient({ region: 'eu-west-1' }),
      secrets: new SecretsManagerClient({ region: 'eu-west-1' }),
      log: jsonLog(
        (l) => {
          raw.push(l);
          lines.push(JSON.parse(l));
        },
        () => clock
      ),
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      ...overrides,
    }
  );
  const logged = (msg: string) => lines.filter((l) => l.msg === msg);
  return { deps, lines, raw, logged };
}

function snsEvent(message: unknown) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        Sns: { MessageId: 'm-1', TopicArn: ALARMS, Message: JSON.stringify(message) },
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
    .resolves({
      status: 'Complete',
      results: [
        [
          { field: 'failedCalls', value: '312' },
          { field: 'failingJobs', value: '26' },
          { field: 'repositories', value: '3' },
        ],
      ],
    })
    .on(GetQueryResultsCommand, { queryId: 'q-groups' })
    .resolves({
      status: 'Complete',
      results: [
        [
          { field: 'repo', value: 'acme-corp/payments-api' },
          { field: 'role', value: 'arn:aws:iam::111122223333:role/payments-deploy' },
          { field: 'cause', value: 'SUB_MISMATCH' },
          { field: 'det', value: 'ENVIRONMENT_FORM' },
          { field: 'acct', value: '111122223333' },
          { field: 'failedCalls', value: '290' },
          { field: 'failingJobs', value: '24' },
        ],
      ],
    });
}

function published(): PublishCommandInput[] {
  return snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

describe('PagerDuty events: trigger and resolve', () => {
  it('triggers on ALARM and resolves on OK with the same dedup_key', async () => {
    // Prepare
    const { deps, logged } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});

    // Act
    const fired = await handleSnsEvent(snsEvent(alarmNotification()), deps);
    const recovered = await handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    expect([fired.paged, recovered.recovered]).toEqual([1, 1]);
    expect(pagerDuty.requests.map((r) => [r.body?.event_action, r.body?.dedup_key])).toEqual([
      ['trigger', DEDUP_KEY],
      ['resolve', DEDUP_KEY],
    ]);
    expect(pagerDuty.requests[1]?.body).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: DEDUP_KEY,
    });
    expect(logged('oidcwatch.notifier.pagerduty_sent')).toEqual([
      expect.objectContaining({ eventAction: 'trigger', attempts: 1, status: 202 }),
      expect.objectContaining({ eventAction: 'resolve', attempts: 1, status: 202 }),
    ]);
    expect(published()).toHaveLength(2);
  });

  it('posts the Events API v2 event as JSON: routing key, summary, severity, source, details and links', async () => {
    // Prepare
    const { deps } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    const [request] = pagerDuty.requests;
    expect(request).toMatchObject({ method: 'POST', path: ENQUEUE_PATH });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: DEDUP_KEY,
      payload: {
        summary: expect.stringContaining(
          '290 from acme-corp/payments-api on role payments-deploy: SUB_MISMATCH/ENVIRONMENT_FORM'
        ),
        severity: 'critical',
        source: 'oidcwatch 111122223333 eu-west-1',
        component: 'acme-corp/payments-api',
        class: 'SUB_MISMATCH/ENVIRONMENT_FORM',
        custom_details: {
          alarm: 'oidcwatch-failure-spike',
          totals: { failedCalls: 312, failingJobs: 26, repositories: 3 },
        },
      },
      client: 'oidcwatch',
      client_url: DASHBOARD_URL,
      links: expect.arrayContaining([{ href: DASHBOARD_URL, text: 'oidcwatch dashboard' }]),
    });
  });
});

describe('PagerDuty events: retries', () => {
  it('retries a 500 and a 429 (honouring Retry-After up to its cap), then succeeds', async () => {
    // Prepare
    const { deps, logged } = setup();
    snsMock.on(PublishCommand).resolves({});
    pagerDuty.answer(
      { status: 500, body: { status: 'error', message: 'Internal Server Error' } },
      { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '30' } }
    );

    // Act
    const summary = await handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    expect(summary.recovered).toBe(1);
    expect(pagerDuty.requests).toHaveLength(3);
    expect(new Set(pagerDuty.requests.map((r) => r.text)).size).toBe(1);
    expect(
      logged('oidcwatch.notifier.pagerduty_retry').map((l) => [l.attempt, l.status, l.delayMs])
    ).toEqual([
      [1, 500, 500],
      [2, 429, 2000],
    ]);
    expect(logged('oidcwatch.notifier.pagerduty_retry')[0]?.error).toBe(
      'HTTP 500: Internal Server Error'
    );
    expect(logged('oidcwatch.notifier.pagerduty_sent')).toEqual([
      expect.objectContaining({ attempts: 3, status: 202 }),
    ]);
    expect(logged('oidcwatch.notifier.pagerduty_failed')).toEqual([]);
  });

  it('does not retry a 400: logs PagerDuty’s answer and counts the failure, and the page still goes out', async () => {
    // Prepare
    const { deps, logged } = setup();
    snsMock.on(PublishCommand).resolves({});
    pagerDuty.answer({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'payload.summary' is missing or blank"],
      },
    });

    // Act
    const summary = await handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    expect(summary.recovered).toBe(1);
    expect(pagerDuty.requests).toHaveLength(1);
    expect(published()).toHaveLength(1);
    expect(logged('oidcwatch.notifier.pagerduty_retry')).toEqual([]);
    expect(logged('oidcwatch.notifier.pagerduty_failed')).toEqual([
      expect.objectContaining({
        level: 'error',
        alarm: 'oidcwatch-failure-spike',
        eventAction: 'resolve',
        dedupKey: DEDUP_KEY,
        attempts: 1,
        status: 400,
        error: "HTTP 400: Event object is invalid: 'payload.summary' is missing or blank",
        pagesTopic: 'published',
        PagerDutyDeliveryFailures: 1,
        _aws: {
          Timestamp: NOW,
          CloudWatchMetrics: [
            {
              Namespace: 'OIDCWatch',
              Dimensions: [[]],
              Metrics: [{ Name: 'PagerDutyDeliveryFailures', Unit: 'Count' }],
            },
          ],
        },
      }),
    ]);
  });

  it('gives up on an attempt that gets no answer within the timeout, and retries it', async () => {
    // Prepare
    const { deps, logged } = setup(pagerDuty.url, {
      pagerDuty: { timeoutMs: 150, attempts: 2 },
    });
    snsMock.on(PublishCommand).resolves({});
    pagerDuty.answer('hang', 'hang');

    // Act
    const summary = await handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    expect(summary.recovered).toBe(1);
    expect(pagerDuty.requests).toHaveLength(2);
    expect(logged('oidcwatch.notifier.pagerduty_failed')).toEqual([
      expect.objectContaining({ attempts: 2, status: null, error: 'no answer within 150 ms' }),
    ]);
  });
});

describe('PagerDuty events: PagerDuty unreachable', () => {
  it('still publishes the page, does not throw, and logs the failure without the routing key', async () => {
    // Prepare
    const { deps, logged, raw } = setup(await unreachablePagerDutyUrl());
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});

    // Act
    const summary = await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(summary).toEqual({ paged: 1, recovered: 0, ignored: 0 });
    expect(published()).toEqual([expect.objectContaining({ TopicArn: PAGES })]);
    expect(logged('oidcwatch.notifier.pagerduty_retry')).toHaveLength(2);
    const [failed] = logged('oidcwatch.notifier.pagerduty_failed');
    expect(failed).toMatchObject({
      eventAction: 'trigger',
      attempts: 3,
      status: null,
      pagesTopic: 'published',
      PagerDutyDeliveryFailures: 1,
    });
    expect(String(failed?.error)).toMatch(/^TypeError: fetch failed \(.*ECONNREFUSED/);
    expect(logged('oidcwatch.notifier.paged')).toHaveLength(1);
    for (const line of raw) expect(line).not.toContain(ROUTING_KEY);
  });

  it('throws when the pages topic takes no form of the page either, having tried PagerDuty', async () => {
    // Prepare
    const { deps, logged, raw } = setup(await unreachablePagerDutyUrl());
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));

    // Act
    const run = handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    await expect(run).rejects.toThrow(PageNotDeliveredError);
    expect(logged('oidcwatch.notifier.pagerduty_failed')).toEqual([
      expect.objectContaining({ pagesTopic: 'not published' }),
    ]);
    expect(logged('oidcwatch.notifier.undelivered')).toHaveLength(1);
    for (const line of raw) expect(line).not.toContain(ROUTING_KEY);
  });

  it('sends PagerDuty the event even when the pages topic refuses the page', async () => {
    // Prepare
    const { deps } = setup();
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));

    // Act
    const run = handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    await expect(run).rejects.toThrow('pages topic: KMSDisabledException: KMS key disabled');
    expect(pagerDuty.requests.map((r) => r.body?.event_action)).toEqual(['resolve']);
  });
});

describe('PagerDuty events: the routing key read from Secrets Manager', () => {
  it('reads the secret once for several pages (cached), at run time', async () => {
    // Prepare
    const { deps } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);
    await handleSnsEvent(snsEvent(recoveryNotification()), deps);

    // Assess
    expect(pagerDuty.requests.map((r) => r.body?.routing_key)).toEqual([ROUTING_KEY, ROUTING_KEY]);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toMatchObject({
      SecretId: SECRET,
    });
  });

  it('still pages on the pages topic when the secret cannot be read, and counts the PagerDuty failure', async () => {
    // Prepare
    secretsMock.reset();
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { deps, logged } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});

    // Act
    const summary = await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(summary.paged).toBe(1);
    expect(published()).toHaveLength(1);
    expect(pagerDuty.requests).toEqual([]);
    expect(logged('oidcwatch.notifier.pagerduty_failed')).toEqual([
      expect.objectContaining({
        attempts: 0,
        PagerDutyDeliveryFailures: 1,
        error: expect.stringMatching(/^routing key: .*not authorized/),
      }),
    ]);
  });
});

describe('PagerDuty events: the routing key stays secret', () => {
  it('writes no log line with the routing key, even when PagerDuty echoes it back', async () => {
    // Prepare
    const { deps, raw, logged } = setup();
    healthyQueries();
    snsMock.on(PublishCommand).resolves({});
    const echo = { status: 'error', message: `routing key ${ROUTING_KEY} is throttled` };
    pagerDuty.answer(
      { status: 503, body: echo },
      { status: 503, body: echo },
      { status: 403, body: echo }
    );

    // Act
    await handleSnsEvent(snsEvent(alarmNotification()), deps);

    // Assess
    expect(pagerDuty.requests).toHaveLength(3);
    expect(raw.length).toBeGreaterThan(3);
    for (const line of raw) expect(line).not.toContain(ROUTING_KEY);
    expect(logged('oidcwatch.notifier.pagerduty_failed')[0]?.error).toBe(
      'HTTP 403: routing key <routing key> is throttled'
    );
  });

  it('returns failures that never hold the routing key, nor part of it when a long answer is cut', async () => {
    // Prepare
    const client = new PagerDutyClient({
      eventsUrl: pagerDuty.url,
      log: jsonLog(() => {}),
      attempts: 1,
    });
    const event = {
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: DEDUP_KEY,
    } as const;
    pagerDuty.answer(
      { status: 400, body: `bad routing_key ${ROUTING_KEY}` },
      { status: 400, body: `${'x'.repeat(280)} ${ROUTING_KEY}` }
    );

    // Act
    const short = await client.send(event);
    const long = await client.send(event);

    // Assess
    expect(short).toEqual({
      ok: false,
      attempts: 1,
      status: 400,
      problem: 'HTTP 400: bad routing_key <routing key>',
    });
    expect(long.ok === false && long.problem).toHaveLength(300);
    expect(long.ok === false && long.problem).not.toContain(ROUTING_KEY.slice(0, 8));
  });

  it('does not follow a redirect, which would carry the routing key elsewhere', async () => {
    // Prepare
    const elsewhere = await startFakePagerDuty();
    const client = new PagerDutyClient({ eventsUrl: pagerDuty.url, log: jsonLog(() => {}) });
    pagerDuty.answer({ status: 307, headers: { location: elsewhere.url } });

    // Act
    const delivery = await client.send({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: DEDUP_KEY,
    });
    await elsewhere.close();

    // Assess
    expect(delivery).toMatchObject({ ok: false, attempts: 1, status: 307 });
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('readNotifierConfig: PagerDuty', () => {
  it('posts to PagerDuty’s Events API unless told otherwise, and only with a routing key secret', () => {
    // Prepare
    const base = { OIDCWATCH_PAGE_TOPIC_ARN: PAGES, OIDCWATCH_LOG_GROUP_NAME: 'g' };

    // Act
    const withKey = readNotifierConfig({ ...base, OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET: SECRET });
    const without = readNotifierConfig(base);

    // Assess
    expect(withKey.pagerDuty).toEqual({
      eventsUrl: PAGERDUTY_EVENTS_URL,
      routingKeySecret: SECRET,
    });
    expect(withKey.namespace).toBe('OIDCWatch');
    expect(without.pagerDuty).toBeNull();
  });

  it('refuses a routing key in plain environment, naming the variable but never the key', () => {
    // Prepare
    const env = {
      OIDCWATCH_PAGE_TOPIC_ARN: PAGES,
      OIDCWATCH_LOG_GROUP_NAME: 'g',
      OIDCWATCH_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    };

    // Act
    const read = () => readNotifierConfig(env);

    // Assess
    expect(read).toThrow(OidcwatchError);
    expect(read).toThrow(/OIDCWATCH_PAGERDUTY_ROUTING_KEY is no longer read/);
    expect(read).not.toThrow(ROUTING_KEY);
  });

  it.each([
    ['http://events.pagerduty.com/v2/enqueue', 'OIDCWATCH_PAGERDUTY_EVENTS_URL'],
    ['events.pagerduty.com/v2/enqueue', 'OIDCWATCH_PAGERDUTY_EVENTS_URL'],
  ])('refuses the events URL %s, naming the variable', (url, name) => {
    // Prepare
    const env = {
      OIDCWATCH_PAGE_TOPIC_ARN: PAGES,
      OIDCWATCH_LOG_GROUP_NAME: 'g',
      OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET: SECRET,
      OIDCWATCH_PAGERDUTY_EVENTS_URL: url,
    };

    // Act
    const read = () => readNotifierConfig(env);

    // Assess
    expect(read).toThrow(OidcwatchError);
    expect(read).toThrow(
      `${name} must be an https URL (http only to a loopback address), got "${url}"`
    );
    expect(read).not.toThrow(ROUTING_KEY);
  });
});
