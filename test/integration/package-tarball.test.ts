/**
 * The package as users get it: `npm pack` makes a tarball holding only what runs (the build, the
 * README, package.json), and that tarball installs into an empty folder, where `oidcwatch
 * --version` and `oidcwatch classify` on the bundled examples work with nothing else installed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCdkTypes } from '../../scripts/build.js';
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

describe('npm pack → oidcwatch/cdk in a CDK app', () => {
  let dir: string;
  let app: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oidcwatch-cdk-'));
    // The declarations of oidcwatch/cdk are not part of the test run's quick build.
    buildCdkTypes();
    const { stdout } = await run(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
      { cwd: ROOT, env: npmEnv }
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    app = join(dir, 'app');
    await mkdir(app);
    await writeFile(
      join(app, 'package.json'),
      '{ "name": "app", "type": "module", "private": true }\n'
    );
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, packed?.filename ?? '')],
      { cwd: app, env: npmEnv }
    );
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('installs without the CDK: aws-cdk-lib and constructs are optional peer dependencies', async () => {
    // Act
    const present = await Promise.all(
      ['aws-cdk-lib', 'constructs'].map((m) =>
        stat(join(app, 'node_modules', m)).then(
          () => true,
          () => false
        )
      )
    );

    // Assess
    expect(present).toEqual([false, false]);
  });

  it('exports GitHubOidcRole, typed, to an app that has the CDK', async () => {
    // Prepare: the app's own CDK (the repository's, linked in).
    for (const m of ['aws-cdk-lib', 'constructs'])
      await symlink(join(ROOT, 'node_modules', m), join(app, 'node_modules', m), 'dir');
    const source = [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import { GitHubOidcRole } from 'oidcwatch/cdk';",
      'const app = new App();',
      "const stack = new Stack(app, 'S', { env: { account: '111122223333', region: 'eu-west-1' } });",
      "const role: GitHubOidcRole = new GitHubOidcRole(stack, 'Deploy', { repositories: ['acme-corp/api'], environments: ['production'] });",
      'const template = app.synth().getStackByName(stack.stackName).template;',
      'console.log(JSON.stringify({ probes: role.trustPolicyChecks.results.length, template }));',
    ].join('\n');
    await writeFile(join(app, 'main.ts'), source);
    await writeFile(join(app, 'main.mjs'), source.replace(': GitHubOidcRole =', ' ='));
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['main.ts'],
      })
    );

    // Act
    const typecheck = await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', app], {
      cwd: app,
    }).then(
      () => 'ok',
      (e: { stdout: string }) => e.stdout
    );
    const { stdout } = await run('node', ['main.mjs'], { cwd: app, env: npmEnv });
    const { probes, template } = JSON.parse(stdout) as {
      probes: number;
      template: {
        Resources: Record<
          string,
          {
            Type: string;
            Properties: { AssumeRolePolicyDocument: { Statement: { Condition: unknown }[] } };
          }
        >;
      };
    };

    // Assess
    expect(typecheck).toBe('ok');
    expect(probes).toBe(8);
    const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles.map((r) => r.Properties.AssumeRolePolicyDocument.Statement[0]?.Condition)).toEqual(
      [
        {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme-corp/api:environment:production',
          },
        },
      ]
    );
  }, 180_000);
});
