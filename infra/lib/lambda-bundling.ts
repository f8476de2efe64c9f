/**
 * How every Lambda of the stack is bundled: esbuild on this machine (never Docker), ESM for
 * Node 24, minified with source maps, the SDK inside the bundle (no layer, no runtime copy).
 */
import { fileURLToPath } from 'node:url';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** The repository root: `depsLockFilePath` and `projectRoot` of every function. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Lets the CommonJS dependencies of the ESM bundle (pino and parts of the SDK) call `require` for
 * Node built-ins; esbuild's ESM output has no `require` of its own.
 */
const ESM_REQUIRE_SHIM =
  "import { createRequire as __oidcwatchCreateRequire } from 'node:module'; const require = __oidcwatchCreateRequire(import.meta.url);";

/**
 * The bundling options of a function; `requireShim` for bundles whose CommonJS dependencies
 * `require` Node built-ins.
 *
 * @example
 * ```ts
 * new nodejs.NodejsFunction(this, 'Fn', { entry, bundling: esmBundling({ requireShim: true }) });
 * ```
 */
export function esmBundling(
  options: { readonly requireShim?: boolean } = {}
): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node24',
    minify: true,
    sourceMap: true,
    mainFields: ['module', 'main'],
    ...(options.requireShim === true ? { banner: ESM_REQUIRE_SHIM } : {}),
    externalModules: [],
    forceDockerBundling: false,
  };
}
