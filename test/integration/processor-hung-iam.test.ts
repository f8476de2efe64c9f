/**
 * Issue 15, item 3: with IAM accepting connections and never answering, the processor still gives
 * ENRICHMENT_FAILED (well within the Lambda timeout, with its default request timeout), and a burst
 * from the same account does not queue behind the dead endpoint: the next events fail at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/handler/config.js';
import { buildDeps } from '../../src/handler/deps.js';
import { handleEvent, type ProcessSummary } from '../../src/handler/process-event.js';
import { lineCollector } from '../helpers/capture.js';
import { type HungEndpoint, startHungEndpoint } from '../helpers/hung-endpoint.js';
import { deniedRecord, eventBridge } from '../helpers/records.js';

let hung: HungEndpoint;

beforeAll(async () => {
  hung = await startHungEndpoint();
});

afterAll(async () => {
  await hung.close();
});

function hungDeps(env: Record<string, string>) {
  const logs = lineCollector();
  const config = readConfig({ OIDCWATCH_HOME_ACCOUNT: '111122223333', LOG_LEVEL: 'info', ...env });
  const deps = buildDeps(
    config,
    { AWS_REGION: 'us-east-1' },
    {
      // Only where to connect and who to be: the timeouts and retries are the processor's own.
      clientConfig: {
        region: 'us-east-1',
        endpoint: hung.url,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      },
      logDestination: logs.stream,
    }
  );
  return { deps, logs };
}

describe('processor with an IAM endpoint that never answers', () => {
  it('gives ENRICHMENT_FAILED with its configured request timeout, and the next events of the account fail at once', async () => {
    // Prepare
    const { deps, logs } = hungDeps({ OIDCWATCH_IAM_TIMEOUT_MS: '300' });
    const first = eventBridge(deniedRecord({ role: 'deploy-a', account: '111122223333' }));
    const burst = ['deploy-b', 'deploy-c', 'deploy-d'].map((role) =>
      eventBridge(deniedRecord({ role, account: '111122223333' }))
    );

    // Act
    const out = (await handleEvent(first, deps)) as ProcessSummary;
    const before = hung.received.length;
    const rest = (await Promise.all(burst.map((e) => handleEvent(e, deps)))) as ProcessSummary[];

    // Assess
    expect(out.results[0]).toMatchObject({ cause: 'ENRICHMENT_FAILED', detail: 'TimeoutError' });
    expect(before).toBeGreaterThan(0);
    for (const r of rest) expect(r.results[0]?.cause).toBe('ENRICHMENT_FAILED');
    expect(rest[0]?.results[0]?.explanation).toContain('did not answer');
    expect(hung.received.length).toBe(before);
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toHaveLength(4);
  });

  it('uses a default request timeout far below the Lambda timeout', () => {
    // Prepare
    const config = readConfig({});

    // Act
    const { iamTimeoutMs, iamUnreachableMs } = config;

    // Assess: two attempts of each of the (parallel) reads stay well within the 30 s function timeout.
    expect(iamTimeoutMs * 2).toBeLessThanOrEqual(10_000);
    expect(iamUnreachableMs).toBeGreaterThan(0);
  });
});
