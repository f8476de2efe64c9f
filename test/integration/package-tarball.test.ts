/**
 * The package as users get it: `npm pack` makes a tarball holding only what runs (the build, the
 * README, package.json), and that tarball installs into an empty folder, where `oidcwatch
 * --version` and `oidcwatch classify` on the bundled examples work with nothing else installed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOidcwatch } from '../helpers/run-oidcwatch.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1' };

describe('npm pack → install into an empty folder', () => {
  let dir: string;
  let files: string[];
  let installedBin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oidcwatch-pack-'));
    // dist/ was built from the current source by the test run's global setup; --ignore-scripts
    // keeps `prepare` from rebuilding it under the feet of tests running in parallel.
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
      { cwd: ROOT, env: npmEnv }
    );
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    files = (packed?.files ?? []).map((f) => f.path);
    const app = join(dir, 'app');
    await mkdir(app);
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        join(dir, packed?.filename ?? 'missing.tgz'),
      ],
      { cwd: app, env: npmEnv }
    );
    installedBin = join(app, 'node_modules', '.bin', 'oidcwatch');
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ships only the build, the README and package.json', () => {
    // Assess
    expect(files).toContain('dist/oidcwatch.js');
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    const other = files.filter(
      (f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f)
    );
    expect(other).toEqual([]);
  });

  it('prints its version from the installed bin (shebang, no tsx, no source)', async () => {
    // Prepare
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };

    // Act
    const { stdout, stderr } = await run(installedBin, ['--version'], { env: npmEnv });

    // Assess
    expect(stderr).toBe('');
    expect(stdout).toBe(`oidcwatch ${pkg.version}\n`);
  });

  it('classifies the examples exactly as the build in the repository does', async () => {
    // Prepare
    const args = [
      'classify',
      join(ROOT, 'examples/events'),
      '--iam-snapshot',
      join(ROOT, 'examples/iam-snapshot.json'),
      '--json',
    ];
    const reference = await runOidcwatch(args);

    // Act
    const { stdout, stderr } = await run(installedBin, args, {
      env: npmEnv,
      cwd: tmpdir(),
      maxBuffer: 1 << 24,
    });

    // Assess
    expect(stderr).toBe('');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(85);
    const causes = new Set(lines.map((l) => (JSON.parse(l) as { cause: string }).cause));
    expect(causes).toContain('SUB_MISMATCH');
    expect(causes).toContain('MISSING_OIDC_PROVIDER');
    expect(stdout).toBe(reference.stdout);
  });
});
