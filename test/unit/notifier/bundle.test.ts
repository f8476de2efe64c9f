/**
 * The notifier bundle stays lean: the Logs, CloudWatch, SNS and Secrets Manager clients (and
 * Powertools Parameters to cache the PagerDuty routing key) only, no processor, CLI, CDK,
 * IAM/STS/CloudTrail client or logging library.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

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
    const result = await build({
      entryPoints: ['src/notifier/index.ts'],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      metafile: true,
      mainFields: ['module', 'main'],
      logLevel: 'error',
    });

    // Assess
    const inputs = Object.keys((result.metafile as Metafile).inputs);
    const clients = new Set(
      inputs.flatMap((i) => i.match(/node_modules\/@aws-sdk\/(client-[\w-]+)\//)?.[1] ?? [])
    );
    expect([...clients].sort()).toEqual([
      'client-cloudwatch',
      'client-cloudwatch-logs',
      'client-secrets-manager',
      'client-sns',
    ]);
    expect(inputs.filter((i) => FORBIDDEN.some((re) => re.test(i)))).toEqual([]);
    const bytes = Object.values((result.metafile as Metafile).outputs).reduce(
      (n, o) => n + o.bytes,
      0
    );
    expect(bytes).toBeLessThan(600 * 1024);
  });
});
