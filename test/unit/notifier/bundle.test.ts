/**
 * The notifier bundle stays lean: the Logs, CloudWatch, SNS and Secrets Manager clients (and
 * Powertools Parameters to cache the PagerDuty routing key) only, no processor, CLI, CDK,
 * IAM/STS/CloudTrail client or logging library.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, sdkClients } from '../../../scripts/bundle-handler.js';

const FORBIDDEN = [
  /node_modules\/aws-cdk-lib\//,
  /node_modules\/constructs\//,
  /node_modules\/@aws-sdk\/client-(iam|sts|cloudtrail|dynamodb)\//,
  /node_modules\/pino/,
  /node_modules\/jose\//,
  /node_modules\/@aws-lambda-powertools\/(logger|metrics|tracer)\//,
  // The bounded client settings (no dependency) are shared with every Lambda; nothing else.
  /^src\/(cli|handler|adapters)\/(?!aws-client-config\.ts$)/,
  /^infra\//,
];

describe('notifier bundle', () => {
  it('holds the Logs, CloudWatch, SNS and Secrets Manager clients and nothing forbidden', async () => {
    // Prepare
    const outfile = join(mkdtempSync(join(tmpdir(), 'oidcwatch-notifier-')), 'index.mjs');

    // Act
    const result = await bundle('src/notifier/index.ts', outfile, FORBIDDEN);

    // Assess
    expect(sdkClients(result.inputs)).toEqual([
      'client-cloudwatch',
      'client-cloudwatch-logs',
      'client-secrets-manager',
      'client-sns',
    ]);
    expect(result.forbidden).toEqual([]);
    expect(result.bytes).toBeLessThan(600 * 1024);
  });
});
