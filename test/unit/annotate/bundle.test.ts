/**
 * The annotator Lambda as it ships: bundled by esbuild the way its construct bundles it (ESM,
 * minified, the `require` shim, SDK and Octokit inside), holding its three AWS clients and no CDK,
 * CLI, test or browser code; and that bundle, run by Node in a separate process, loads its
 * handler and authenticates as the GitHub App against the local GitHub fake (auth-app, the
 * throttling and retry plugins and Bottleneck all work once bundled).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, sdkClients } from '../../../scripts/bundle-handler.js';
import { type FakeGitHub, startFakeGitHub } from '../../helpers/fake-github/server.js';

const run = promisify(execFile);
const FORBIDDEN = [
  /node_modules\/aws-cdk-lib\//,
  /node_modules\/constructs\//,
  /node_modules\/cdk-nag\//,
  /node_modules\/@aws-sdk\/client-(iam|sts|cloudtrail|cloudwatch|sns)\//,
  /node_modules\/(playwright-core|marked|ajv|@octokit\/openapi)\//,
  /node_modules\/@aws-lambda-powertools\//,
  /^src\/(cli|handler)\//,
  /^(infra|test|scripts)\//,
];

const dir = mkdtempSync(join(tmpdir(), 'oidcwatch-annotator-bundle-'));
let gh: FakeGitHub;

beforeAll(async () => {
  gh = await startFakeGitHub();
  const acme = gh.world.addAccount('acme-corp');
  const repo = gh.world.addRepository(acme, 'payments-api');
  gh.world.install(acme);
  gh.world.addRun(repo, { headSha: 'a'.repeat(40), createdAt: '2026-11-27T14:04:10Z' });
});

afterAll(async () => {
  await gh?.close();
});

describe('annotator bundle', () => {
  it('holds the DynamoDB, Secrets Manager and SQS clients and nothing forbidden', async () => {
    // Act
    const result = await bundle('src/annotator/index.ts', join(dir, 'index.mjs'), FORBIDDEN);

    // Assess
    expect(sdkClients(result.inputs)).toEqual([
      'client-dynamodb',
      'client-secrets-manager',
      'client-sqs',
    ]);
    expect(result.forbidden).toEqual([]);
    expect(result.inputs.some((i) => i.includes('node_modules/@octokit/auth-app/'))).toBe(true);
    expect(result.bytes).toBeLessThan(1536 * 1024);
  });

  it('loads its handler and answers an event it does not know, in its own Node process', async () => {
    // Prepare
    const outfile = join(dir, 'index.mjs');
    await bundle('src/annotator/index.ts', outfile);
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `const { handler } = await import(${JSON.stringify(outfile)});\nprocess.stdout.write(JSON.stringify(await handler({ hello: 'world' })));\n`
    );

    // Act
    const { stdout } = await run(process.execPath, [probe], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        OIDCWATCH_GITHUB_APP_ID: '123456',
        OIDCWATCH_GITHUB_PRIVATE_KEY_SECRET: 'oidcwatch/github-app-private-key',
        OIDCWATCH_ANNOTATION_TABLE: 'oidcwatch-annotations',
        OIDCWATCH_ANNOTATION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/work',
      },
    });

    // Assess
    expect(stdout.trim().split('\n').at(-1)).toBe('{"source":"unknown"}');
  });

  it('authenticates as the GitHub App and reads runs through the bundled Octokit', async () => {
    // Prepare
    const entry = join(dir, 'github-probe.ts');
    writeFileSync(
      entry,
      `import { GitHubConnection } from ${JSON.stringify(resolve('src/adapters/github/github-connection.ts'))};
const c = new GitHubConnection({ baseUrl: process.env.GITHUB_API_URL, credentials: { kind: 'app', appId: process.env.APP_ID, privateKey: process.env.APP_KEY }, writeSpacingMs: 0 });
const installation = await c.app().repositoryInstallation('acme-corp', 'payments-api');
const runs = await c.installation(installation.id).listWorkflowRuns('acme-corp', 'payments-api', { branch: 'main' });
process.stdout.write(JSON.stringify({ installation: installation.id, runs: runs.total }));
`
    );
    const outfile = join(dir, 'github-probe.mjs');
    await bundle(entry, outfile);

    // Act
    const { stdout } = await run(process.execPath, [outfile], {
      env: {
        PATH: process.env.PATH,
        GITHUB_API_URL: gh.url,
        APP_ID: String(gh.app.id),
        APP_KEY: gh.app.privateKey,
      },
    });

    // Assess
    expect(JSON.parse(stdout)).toEqual({ installation: gh.world.installations[0]?.id, runs: 1 });
    expect(gh.requests.map((r) => `${r.route} ${r.auth} ${r.status}`)).toEqual([
      'GET /repos/{owner}/{repo}/installation app 200',
      'POST /app/installations/{installation_id}/access_tokens app 201',
      `GET /repos/{owner}/{repo}/actions/runs installation:${gh.world.installations[0]?.id} 200`,
    ]);
  });
});
