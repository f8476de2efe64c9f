/**
 * Issue 15: a hung dependency never holds the annotator until its Lambda timeout. Its own AWS
 * clients (built by `buildAnnotatorDeps`, with its timeouts and retries) talk to a loopback endpoint
 * that accepts connections and never answers: queueing failing jobs (SQS) and reading the GitHub
 * App's key (Secrets Manager) fail after {@link ANNOTATOR_AWS_CALLS}' attempts, so Lambda retries the
 * invocation (then its dead-letter queue) instead of the event waiting out the function's timeout.
 *
 * Outcomes only: the bound is the function's own timeout (60 s), far more than the calls need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnnotatorConfig } from '../../src/annotator/config.js';
import { ANNOTATOR_AWS_CALLS, buildAnnotatorDeps } from '../../src/annotator/deps.js';
import { groupFailingJobs } from '../../src/domain/annotate/failing-jobs.js';
import { jsonLog } from '../../src/notifier/log.js';
import { failure } from '../helpers/annotate-fixtures.js';
import { type HungEndpoint, startHungEndpoint } from '../helpers/hung-endpoint.js';

/** The annotator function's timeout (infra/constructs/annotator.ts). */
const LAMBDA_TIMEOUT_MS = 60_000;

let hung: HungEndpoint;
/** The first line of each request the hung endpoint got (and never answered). */
const requests = () => hung.received.map((r) => r.split('\r\n')[0] ?? '');

function deps() {
  const config = readAnnotatorConfig({
    OIDCWATCH_GITHUB_APP_ID: '424242',
    OIDCWATCH_GITHUB_PRIVATE_KEY_SECRET: 'oidcwatch/github-app',
    OIDCWATCH_ANNOTATION_TABLE: 'oidcwatch-annotations',
    OIDCWATCH_ANNOTATION_QUEUE_URL: `${hung.url}/123456789012/oidcwatch-annotations`,
  });
  const lines: string[] = [];
  return buildAnnotatorDeps(
    config,
    { AWS_REGION: 'us-east-1' },
    {
      clientConfig: {
        endpoint: hung.url,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      },
      log: jsonLog((l) => lines.push(l)),
    }
  );
}

describe('annotator with a hung AWS endpoint', () => {
  beforeAll(async () => {
    hung = await startHungEndpoint();
  });
  afterAll(async () => {
    await hung.close();
  });

  it(
    'fails queueing a failing job after its attempts, so Lambda retries the event',
    async () => {
      // Prepare
      const before = hung.received.length;
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
      expect(requests().slice(before)).toHaveLength(ANNOTATOR_AWS_CALLS.attempts);
      expect(
        requests()
          .slice(before)
          .every((r) => r.startsWith('POST /'))
      ).toBe(true);
    },
    LAMBDA_TIMEOUT_MS
  );

  it(
    "fails reading the GitHub App's key after its attempts, so the job is retried, not lost",
    async () => {
      // Prepare
      const before = hung.received.length;
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
      expect(requests().slice(before)).toHaveLength(ANNOTATOR_AWS_CALLS.attempts);
    },
    LAMBDA_TIMEOUT_MS
  );
});
