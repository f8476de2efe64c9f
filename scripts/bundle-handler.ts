/**
 * Bundles the processor Lambda the way the CDK app does (esbuild, ESM, minified, SDK included) and
 * checks what went in: no CDK, no CLI-only code, no CloudTrail/CloudWatch clients.
 */
import { build, type Metafile } from 'esbuild';

/** Modules that must never reach the Lambda bundle. */
export const FORBIDDEN_IN_HANDLER: readonly RegExp[] = [
  /node_modules\/aws-cdk-lib\//,
  /node_modules\/constructs\//,
  /node_modules\/cdk-nag\//,
  /node_modules\/@aws-sdk\/client-cloudtrail\//,
  /node_modules\/@aws-sdk\/client-cloudwatch\//,
  /node_modules\/@aws-sdk\/client-cloudwatch-logs\//,
  /node_modules\/playwright-core\//,
  /node_modules\/jose\//,
  /^src\/cli\//,
  /^infra\//,
];

/** A bundle and what it holds. */
export interface BundleResult {
  readonly bytes: number;
  readonly inputs: readonly string[];
  readonly forbidden: readonly string[];
}

/**
 * Bundles `entry` to `outfile` like the Lambda is bundled, and lists the inputs that match
 * `forbidden` (by default what must never reach the processor).
 */
export async function bundle(
  entry: string,
  outfile: string,
  forbidden: readonly RegExp[] = FORBIDDEN_IN_HANDLER
): Promise<BundleResult> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // As infra/lib/lambda-bundling.ts bundles every function for the Lambda runtime.
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    treeShaking: true,
    metafile: true,
    logLevel: 'error',
    // ESM bundles of CommonJS dependencies need a `require`.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  const meta = result.metafile as Metafile;
  const inputs = Object.keys(meta.inputs);
  const bytes = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
  return { bytes, inputs, forbidden: inputs.filter((i) => forbidden.some((re) => re.test(i))) };
}

/** The AWS SDK clients among a bundle's inputs (`client-sns`, …), sorted. */
export function sdkClients(inputs: readonly string[]): string[] {
  return [
    ...new Set(
      inputs.flatMap((i) => i.match(/node_modules\/@aws-sdk\/(client-[\w-]+)\//)?.[1] ?? [])
    ),
  ].sort();
}
