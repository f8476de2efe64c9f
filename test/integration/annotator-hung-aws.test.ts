/**
 * Issue 15: a hung dependency never holds the annotator until its Lambda timeout. Its own AWS
 * clients (built by `buildAnnotatorDeps`, with its timeouts and retries) talk to a loopback endpoint
 * that accepts connections and never answers: queueing failing jobs (SQS) and reading the GitHub
 * App's key (Secrets Manager) fail after {@link ANNOTATOR_AWS_CALLS}' attempts, so Lambda retries the
 * invocation (then its dead-letter queue) instead of the event waiting out the function's timeout.
 *
 * Outcomes only: the bound is the function's own timeout (60 s), far more than the calls need.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnnotatorConfig } from '../../src/annotator/config.js';
import { ANNOTATOR_AWS_CALLS, buildAnnotatorDeps } from '../../src/annotator/deps.js';
import { groupFailingJobs } from '../../src/domain/annotate/failing-jobs.js';
import { jsonLog } from '../../src/notifier/log.js';
import { failure } from '../helpers/annotate-fixtures.js';

/** The annotator function's timeout (infra/constructs/annotator.ts). */
const LAMBDA_TIMEOUT_MS = 60_000;

let hung: Server;
let endpoint = '';
/** The first line of each request the hung endpoint got (and never answered). */
const requests: string[] = [];
const sockets: Socket[] = [];

function deps() {
  const config = readAnnotatorConfig({
    OIDCWATCH_GITHUB_APP_ID: '424242',
    OIDCWATCH_GITHUB_PRIVATE_KEY_SECRET: 'oidcwatch/github-app',
    OIDCWATCH_ANNOTATION_TABLE: 'oidcwatch-annotations',
    OIDCWATCH_ANNOTATION_QUEUE_URL: `${endpoint}/123456789012/oidcwatch-annotations`,
  });
  const lines: string[] = [];
  return buildAnnotatorDeps(
    config,
    { AWS_REGION: 'us-east-1' },
    {
      clientConfig: {
        endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      },
      log: jsonLog((l) => lines.push(l)),
    }
  );
}

describe('annotator with a hung AWS endpoint', () => {
  beforeAll(async () => {
    hung = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.once('data', (d) => requests.push(d.toString('latin1').split('\r\n')[0] ?? ''));
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const address = hung.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => hung.close(r));
  });

  it(
    'fails queueing a failing job after its attempts, so Lambda retries the event',
    async () => {
      // Prepare
      requests.length = 0;
      const [job] = groupFailingJobs([failure()]);

      // Act
      const outcome = await deps()
        .enqueue(job === undefined ? [] : [job])
        .then(
          () => 'sent',
          (e: Error) => e.name
        );

      // Assess
      expect(job).toBeDefined();
      expect(outcome).toMatch(/Timeout|Abort/);
      expect(requests).toHaveLength(ANNOTATOR_AWS_CALLS.attempts);
      expect(requests.every((r) => r.startsWith('POST /'))).toBe(true);
    },
    LAMBDA_TIMEOUT_MS
  );

  it(
    "fails reading the GitHub App's key after its attempts, so the job is retried, not lost",
    async () => {
      // Prepare
      requests.length = 0;
      const [job] = groupFailingJobs([failure()]);

      // Act
      const outcome = await deps()
        .annotate(job as NonNullable<typeof job>)
        .then(
          () => 'annotated',
          (e: Error) => e.name
        );

      // Assess
      expect(outcome).toMatch(/Timeout|Abort/);
      expect(requests).toHaveLength(ANNOTATOR_AWS_CALLS.attempts);
    },
    LAMBDA_TIMEOUT_MS
  );
});
