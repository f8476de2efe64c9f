/**
 * The doctor GitHub Action as the runner runs it: `action.yml` says `node24` and
 * `action/dist/index.js` (the committed bundle, the code a workflow's `uses:` runs), and this test
 * plays the Actions runtime around that file: `INPUT_*` variables, the job summary and output
 * files (`GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`), and the job's token endpoint
 * (`ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`) served by a local server issuing RS256 tokens signed
 * with keys made here. Neither the token nor the request token may appear anywhere.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ActionsOidcServer, startActionsOidcServer } from '../helpers/actions-oidc-server.js';
import {
  generateTestKey,
  type JobSpec,
  jobClaims,
  signToken,
  type TestKey,
} from '../helpers/github-oidc-token.js';

const ROOT = resolve(import.meta.dirname, '../..');
const GITHUB = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${GITHUB}`;

let server: ActionsOidcServer;
let key: TestKey;
let requestToken = '';
let dir = '';
let runs = 0;
const issued: string[] = [];
/** Everything the Action wrote anywhere, for the secrets check. */
const written: string[] = [];
let nextJob: Omit<JobSpec, 'aud'> = { iss: `https://${GITHUB}` };

/** What one run of the Action left behind. */
interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
  readonly commands: { command: string; properties: string; message: string }[];
}

/** Parses `name<<DELIMITER\nvalue\nDELIMITER` blocks of a `GITHUB_OUTPUT` file. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const block = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(block)) out[m[1] as string] = m[3] as string;
  return out;
}

/** Workflow commands (`::error title=…::message`) printed on stdout, unescaped. */
function parseCommands(stdout: string): ActionRun['commands'] {
  const decode = (s: string) =>
    s
      .replace(/%0A/g, '\n')
      .replace(/%0D/g, '\r')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%');
  return [...stdout.matchAll(/^::(\w+)( [^:]*)?::(.*)$/gm)].map((m) => ({
    command: m[1] as string,
    properties: decode((m[2] ?? '').trim()),
    message: decode(m[3] as string),
  }));
}

/** Runs action/dist/index.js as the runner would, with `inputs` as `INPUT_*` variables. */
async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  runs += 1;
  const summaryFile = join(dir, `summary-${runs}.md`);
  const outputFile = join(dir, `output-${runs}.txt`);
  await writeFile(summaryFile, '');
  await writeFile(outputFile, '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])
  );
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'action/dist/index.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
        ACTIONS_ID_TOKEN_REQUEST_URL: server.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
        ...inputEnv,
        ...env,
      },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += String(c);
    });
    child.stderr.on('data', (c) => {
      err += String(c);
    });
    child.on('error', reject);
    child.on('close', (c) => resolvePromise({ code: c, stdout: out, stderr: err }));
  });
  const summary = await readFile(summaryFile, 'utf8');
  const outputText = await readFile(outputFile, 'utf8');
  written.push(stdout, stderr, summary, outputText);
  return {
    code,
    stdout,
    stderr,
    summary,
    outputs: parseOutputs(outputText),
    commands: parseCommands(stdout),
  };
}

async function policyFile(name: string, sub: string): Promise<string> {
  await writeFile(
    join(dir, name),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitHubActions',
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GITHUB}:sub`]: sub },
          },
        },
      ],
    })
  );
  return name;
}

beforeAll(async () => {
  key = await generateTestKey('action-key-1');
  requestToken = await signToken(
    { scp: 'Actions.Results:test', iss: 'https://vstoken.example' },
    await generateTestKey('request-key')
  );
  server = await startActionsOidcServer(requestToken);
  server.keys = [key.jwk];
  server.issue = async (audience) => {
    const iat = Math.floor(Date.now() / 1000) - 10;
    const token = await signToken(jobClaims({ ...nextJob, aud: audience, iat }), key);
    issued.push(token);
    return token;
  };
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-action-'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('action.yml', () => {
  it('runs the committed bundle on node24 and declares every input the code reads', async () => {
    // Prepare
    const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, unknown>;
    };
    const source = await readFile(join(ROOT, 'src/action/main.ts'), 'utf8');

    // Act
    const read = [...source.matchAll(/(?:getInput|booleanInput)\('([\w-]+)'\)/g)].map((m) => m[1]);
    const set = [...source.matchAll(/setOutput\(\s*'([\w-]+)'/g)].map((m) => m[1]);

    // Assess
    expect(action.runs).toEqual({ using: 'node24', main: 'action/dist/index.js' });
    expect(new Set(read)).toEqual(new Set(Object.keys(action.inputs)));
    expect(new Set(set)).toEqual(new Set(Object.keys(action.outputs)));
    expect(action.inputs['fail-on-deny']?.default).toBe('false');
  });
});

describe('the doctor Action in a job', () => {
  it('writes a denial to the job summary and as an error annotation, and passes the step', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, environment: 'production' };
    const file = await policyFile(
      'main-only.json',
      'repo:acme-corp/payments-api:ref:refs/heads/main'
    );

    // Act
    const run = await runAction({ 'trust-policy': file });

    // Assess
    expect(run.code).toBe(0);
    expect(run.summary).toContain('## oidcwatch doctor: ❌ the role would not be assumed');
    expect(run.summary).toContain(
      '**sub** `repo:acme-corp/payments-api:environment:production`: Environment form'
    );
    expect(run.summary).toContain(`| \`${GITHUB}:environment\` | \`production\` |`);
    expect(run.summary).toContain(`**Trust policy** \`main-only.json\`, principal \`${PROVIDER}\``);
    expect(run.summary).toContain('| head_ref | *(empty)* |');
    expect(run.summary).toContain('**Cause** `SUB_MISMATCH/ENVIRONMENT_FORM`');
    expect(run.summary).toContain(
      `**Fix** Add "repo:acme-corp/payments-api:environment:production" to StringLike["${GITHUB}:sub"] in statement "GitHubActions"`
    );
    const errors = run.commands.filter((c) => c.command === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.properties).toBe(
      'title=oidcwatch doctor: SUB_MISMATCH/ENVIRONMENT_FORM: the role would not be assumed'
    );
    expect(errors[0]?.message).toContain('the job declares `environment: production`');
    expect(run.outputs).toEqual({
      allowed: 'false',
      cause: 'SUB_MISMATCH',
      detail: 'ENVIRONMENT_FORM',
      sub: 'repo:acme-corp/payments-api:environment:production',
    });
    expect(server.requests.at(-1)?.query.get('audience')).toBe('sts.amazonaws.com');
  });

  it('fails the step (exit 1) on a denial only with fail-on-deny: true', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, environment: 'production' };
    const file = await policyFile('gate.json', 'repo:acme-corp/payments-api:ref:refs/heads/main');

    // Act
    const run = await runAction({ 'trust-policy': file, 'fail-on-deny': 'true' });

    // Assess
    expect(run.code).toBe(1);
    expect(run.commands.filter((c) => c.command === 'error')).toHaveLength(1);
  });

  it('reports an admitted token as a notice and passes, even with fail-on-deny: true', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, ref: 'refs/heads/main' };
    const file = await policyFile('main.json', 'repo:acme-corp/payments-api:ref:refs/heads/main');

    // Act
    const run = await runAction({ 'trust-policy': file, 'fail-on-deny': 'true' });

    // Assess
    expect(run.code).toBe(0);
    expect(run.summary).toContain('## oidcwatch doctor: ✅ the role would be assumed');
    expect(run.commands.map((c) => c.command)).toEqual(['notice']);
    expect(run.outputs.allowed).toBe('true');
    expect(run.outputs.cause).toBe('');
  });

  it('requests the audience given as input', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}` };

    // Act
    const run = await runAction({ audience: 'api://AzureADTokenExchange' });

    // Assess
    expect(run.code).toBe(0);
    expect(server.requests.at(-1)?.query.get('audience')).toBe('api://AzureADTokenExchange');
    expect(run.summary).toContain('Requested for audience `api://AzureADTokenExchange`');
    expect(run.outputs.allowed).toBe('');
  });

  it('annotates a job without id-token: write with the permissions to add', async () => {
    // Act
    const run = await runAction(
      { 'trust-policy': 'main.json' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' }
    );
    const gated = await runAction(
      { 'trust-policy': 'main.json', 'fail-on-deny': 'true' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' }
    );

    // Assess
    expect(run.code).toBe(0);
    const [error] = run.commands.filter((c) => c.command === 'error');
    expect(error?.properties).toBe('title=oidcwatch doctor: this job cannot get an OIDC token');
    expect(error?.message).toContain('id-token: write');
    expect(run.summary).toContain('id-token: write');
    expect(gated.code).toBe(1);
  });

  it('annotates an unreadable trust-policy input naming the file, in the one error format', async () => {
    // Act
    const run = await runAction({ 'trust-policy': 'no-such-policy.json' });

    // Assess
    expect(run.code).toBe(0);
    const [error] = run.commands.filter((c) => c.command === 'error');
    expect(error?.message).toMatch(
      /^oidcwatch doctor: cannot read trust policy no-such-policy\.json/
    );
  });

  it('never writes the token or the request token anywhere', () => {
    // Assess
    expect(issued.length).toBeGreaterThan(3);
    const everything = written.join('\n');
    for (const secret of [...issued, requestToken]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.split('.')[2] as string);
    }
  });
});
