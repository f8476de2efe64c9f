/**
 * Builds what the package runs: the CLI as ESM JavaScript in `dist/` (esbuild, dependencies
 * bundled, one chunk per command so a command loads only what it uses), and, with `--action`, the
 * doctor GitHub Action in `action/dist/` (committed: Actions run committed code).
 *
 *     npx tsx scripts/build.ts             # dist/ (also `npm run build`; `npm pack` runs it first)
 *     npx tsx scripts/build.ts --action    # action/dist/index.js (commit it)
 *     npx tsx scripts/build.ts --check-action  # exit 1 when action/dist is not what the source builds
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** ESM bundles of CommonJS dependencies need a `require`. */
const REQUIRE_SHIM =
  "import { createRequire as __oidcwatchRequire } from 'node:module'; const require = __oidcwatchRequire(import.meta.url);";

const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Node ≥ 22 is the supported range (`engines`); the build keeps to what Node 20 runs too.
  target: 'node20',
  legalComments: 'none',
  logLevel: 'error',
  define: { OIDCWATCH_VERSION: JSON.stringify(pkg.version) },
};

/**
 * Builds the CLI into `outdir` (default `dist/`), and the CDK constructs into `outdir/cdk/` (their
 * declarations are {@link buildCdkTypes}: slower, so tests that do not pack skip them).
 */
export async function buildCli(outdir = join(ROOT, 'dist')): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { oidcwatch: 'src/cli/bin.ts' },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
  });
  await buildCdk(outdir);
}

/**
 * `oidcwatch/cdk` (the package's `exports`): the constructs with the generator bundled in, and
 * `aws-cdk-lib`/`constructs` left to the user's app (optional peer dependencies: a CLI-only user
 * does not install them).
 */
async function buildCdk(outdir: string): Promise<void> {
  await build({
    ...common,
    entryPoints: { index: 'src/cdk/index.ts' },
    outdir: join(outdir, 'cdk'),
    external: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
  });
}

/** The type declarations of `oidcwatch/cdk`, into `outdir/types/` (what `exports` points at). */
export function buildCdkTypes(outdir = join(ROOT, 'dist')): void {
  const program = ts.createProgram([join(ROOT, 'src/cdk/index.ts')], {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir: join(ROOT, 'src'),
    outDir: join(outdir, 'types'),
    types: ['node'],
  });
  const emitted = program.emit();
  const problems = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
  if (emitted.emitSkipped || problems.length > 0)
    throw new Error(
      `the declarations of oidcwatch/cdk: ${ts.formatDiagnostics(problems, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => '\n',
      })}`
    );
}

/** Builds the doctor Action's single file into `outdir` (default `action/dist/`). */
export async function buildAction(outdir = join(ROOT, 'action', 'dist')): Promise<string> {
  const outfile = join(outdir, 'index.js');
  await build({
    ...common,
    entryPoints: ['src/action/main.ts'],
    outfile,
    // The Action runs on the runner's Node 24 (`runs.using: node24`).
    target: 'node24',
    minify: true,
    banner: { js: REQUIRE_SHIM },
  });
  return outfile;
}

async function checkAction(): Promise<number> {
  const fresh = await buildAction(await mkdtemp(join(tmpdir(), 'oidcwatch-action-')));
  const committed = await readFile(join(ROOT, 'action', 'dist', 'index.js'), 'utf8').catch(
    () => ''
  );
  if (committed === (await readFile(fresh, 'utf8'))) {
    console.log('action/dist/index.js is up to date');
    return 0;
  }
  console.error(
    'action/dist/index.js is stale: the doctor Action would run other code than the source.\n' +
      'Run `npm run build:action` and commit action/dist/index.js.'
  );
  return 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const arg = process.argv[2];
  if (arg === '--check-action') process.exitCode = await checkAction();
  else if (arg === '--action') console.log(`built ${await buildAction()}`);
  else {
    await buildCli();
    buildCdkTypes();
  }
}
