/**
 * The canary bundles stay to their job: the issuer holds jose and the Secrets Manager client only
 * (it cannot call STS or anything else), the probe adds the STS client; neither holds processor,
 * notifier, CLI or CDK code. The processor bundle rules (scripts/check-bundle.ts) are unchanged:
 * the processor's canary path is pure domain code, no jose.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, sdkClients } from '../../../scripts/bundle-handler.js';

const FORBIDDEN = [
  /node_modules\/aws-cdk-lib\//,
  /node_modules\/constructs\//,
  /node_modules\/pino/,
  /node_modules\/@aws-lambda-powertools\//,
  // The bounded client settings (no dependency) are shared with every Lambda; nothing else.
  /^src\/(cli|handler|notifier|adapters)\/(?!aws-client-config\.ts$)/,
  /^infra\//,
];

async function inputsOf(entry: string): Promise<readonly string[]> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'oidcwatch-canary-')), 'index.mjs');
  return (await bundle(entry, outfile, FORBIDDEN)).inputs;
}

describe('canary bundles', () => {
  it('gives the issuer jose and Secrets Manager only', async () => {
    // Prepare
    const entry = 'src/canary/issuer-index.ts';

    // Act
    const inputs = await inputsOf(entry);

    // Assess
    expect(sdkClients(inputs)).toEqual(['client-secrets-manager']);
    expect(inputs.some((i) => i.includes('node_modules/jose/'))).toBe(true);
    expect(inputs.filter((i) => FORBIDDEN.some((re) => re.test(i)))).toEqual([]);
  });

  it('gives the probe jose, Secrets Manager and STS only', async () => {
    // Prepare
    const entry = 'src/canary/probe-index.ts';

    // Act
    const inputs = await inputsOf(entry);

    // Assess
    expect(sdkClients(inputs)).toEqual(['client-secrets-manager', 'client-sts']);
    expect(inputs.filter((i) => FORBIDDEN.some((re) => re.test(i)))).toEqual([]);
  });

  it('keeps jose out of the processor bundle, canary path included', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'oidcwatch-processor-')), 'index.mjs');

    // Act
    const result = await bundle('src/handler/index.ts', out);

    // Assess
    expect(result.forbidden).toEqual([]);
    expect(result.inputs).toContain('src/domain/canary/canary-probe.ts');
  });
});
