/**
 * The notifier against the local AWS API emulator (moto_server over loopback): real SDK clients
 * run the Logs Insights queries and publish to a real SNS topic, whose HTTP subscriber (a local
 * server) receives the structured page; the same server plays PagerDuty's Events API, which the
 * notifier posts its events to directly.
 */
import { createServer, type Server } from 'node:http';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotifierConfig } from '../../src/notifier/config.js';
import { buildNotifierDeps } from '../../src/notifier/deps.js';
import { handleSnsEvent } from '../../src/notifier/handle-event.js';
import { jsonLog } from '../../src/notifier/log.js';
import {
  alarmNotification,
  DASHBOARD_URL,
  recoveryNotification,
} from '../fixtures/page/result-sets.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';

const run = shouldRunMotoSuite('notifier against moto');
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

interface Delivery {
  readonly path: string;
  readonly body: Record<string, unknown>;
}

let moto: Moto;
let server: Server;
const deliveries: Delivery[] = [];
let pages = '';
let alarms = '';
let base = '';

async function listen(): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      deliveries.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      res.statusCode = req.url === '/pd' ? 202 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function delivered(path: string, count: number): Promise<Delivery[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = deliveries.filter((d) => d.path === path);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function deps() {
  const config = readNotifierConfig({
    OIDCWATCH_PAGE_TOPIC_ARN: pages,
    OIDCWATCH_PAGERDUTY_EVENTS_URL: `${base}/pd`,
    OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET: 'oidcwatch/pagerduty',
    OIDCWATCH_LOG_GROUP_NAME: '/aws/lambda/oidcwatch-processor',
    OIDCWATCH_DASHBOARD_URL: DASHBOARD_URL,
    OIDCWATCH_QUERY_TIMEOUT_SECONDS: '10',
  });
  const clientConfig = motoClientConfig(moto.endpoint);
  return buildNotifierDeps(
    config,
    {},
    {
      logs: new CloudWatchLogsClient(clientConfig),
      cloudwatch: new CloudWatchClient(clientConfig),
      sns: new SNSClient(clientConfig),
      secrets: new SecretsManagerClient(clientConfig),
      log: jsonLog(() => {}),
      pollIntervalMs: 200,
    }
  );
}

function snsEvent(message: Record<string, unknown>) {
  return {
    Records: [
      { EventSource: 'aws:sns', Sns: { TopicArn: alarms, Message: JSON.stringify(message) } },
    ],
  };
}

describe.runIf(run)('notifier against moto', () => {
  beforeAll(async () => {
    moto = await startMoto();
    base = await listen();
    const sns = new SNSClient(motoClientConfig(moto.endpoint));
    const topic = async (Name: string) =>
      (await sns.send(new CreateTopicCommand({ Name }))).TopicArn ?? '';
    [pages, alarms] = await Promise.all([topic('oidcwatch-pages'), topic('oidcwatch-on-call')]);
    await sns.send(
      new SubscribeCommand({ TopicArn: pages, Protocol: 'http', Endpoint: `${base}/queue` })
    );
    await new CloudWatchLogsClient(motoClientConfig(moto.endpoint)).send(
      new CreateLogGroupCommand({ logGroupName: '/aws/lambda/oidcwatch-processor' })
    );
    // The routing key lives in Secrets Manager; the notifier reads it at run time.
    await new SecretsManagerClient(motoClientConfig(moto.endpoint)).send(
      new CreateSecretCommand({ Name: 'oidcwatch/pagerduty', SecretString: ROUTING_KEY })
    );
  });

  afterAll(async () => {
    server?.close();
    await moto?.stop();
  });

  it('publishes the page SNS accepts and delivers per protocol, and posts the PagerDuty trigger', async () => {
    // Prepare
    const event = snsEvent(alarmNotification({ StateChangeTime: new Date().toISOString() }));

    // Act
    const summary = await handleSnsEvent(event, deps());

    // Assess
    expect(summary).toEqual({ paged: 1, recovered: 0, ignored: 0 });
    const [page] = await delivered('/queue', 1);
    expect(page?.body.Subject).toBe(
      'ALARM oidcwatch-failure-spike: no OIDC failures logged in 5 min'
    );
    expect(JSON.parse(String(page?.body.Message))).toMatchObject({
      schema: 'oidcwatch.page/1',
      kind: 'alarm',
      source: 'logs-insights',
      dashboardUrl: DASHBOARD_URL,
    });
    const [pd] = await delivered('/pd', 1);
    expect(pd?.body).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      payload: { severity: 'error' },
    });
  });

  it('sends the recovery and resolves the PagerDuty incident', async () => {
    // Prepare
    const event = snsEvent(recoveryNotification());

    // Act
    const summary = await handleSnsEvent(event, deps());

    // Assess
    expect(summary.recovered).toBe(1);
    const pagesSeen = await delivered('/queue', 2);
    expect(pagesSeen[1]?.body.Subject).toBe('OK oidcwatch-failure-spike recovered');
    const pdSeen = await delivered('/pd', 2);
    expect(pdSeen[1]?.body).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: pdSeen[0]?.body.dedup_key,
    });
  });
});
