/**
 * The built `oidcwatch` in pipelines, as a shell runs it: output that respects a slow reader
 * (memory stays as when writing to a file), a reader that goes away early (`| head -1`: quiet exit
 * 0, no stack trace), and nothing on stdout before a fatal input error.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLogFile } from '../../bench/generate-stream.js';
import { OIDCWATCH_BIN, runOidcwatch } from '../helpers/run-oidcwatch.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SNAPSHOT = join(ROOT, 'examples/iam-snapshot.json');
/** Enough records that their JSON Lines (~1 KiB each) dwarf the process's own memory. */
const RECORDS = 40_000;

let dir: string;
let events: string;

/** Runs a bash pipeline; resolves with its exit status (pipefail) and stderr. */
function bash(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      env: { ...process.env, NO_COLOR: '1', OIDCWATCH: OIDCWATCH_BIN },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-streams-'));
  events = join(dir, 'events.json');
  await writeLogFile(events, RECORDS);
  // Reports the process's peak RSS (KiB) into $RSS_FILE when it exits, however it exits.
  await writeFile(
    join(dir, 'peak-rss.mjs'),
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS)));\n"
  );
  // A slow consumer: reads a chunk (≤ 64 KiB), then waits 4 ms; counts the lines it got.
  await writeFile(
    join(dir, 'slow-reader.mjs'),
    "import { setTimeout as sleep } from 'node:timers/promises';\nlet lines = 0;\nfor await (const chunk of process.stdin) {\n  for (const b of chunk) if (b === 10) lines++;\n  await sleep(4);\n}\nprocess.stdout.write(String(lines));\n"
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('oidcwatch classify --json | slow reader', () => {
  it('keeps peak memory within 1.3× of writing the same output to a file', async () => {
    // Prepare
    const classify = `node --import ${join(dir, 'peak-rss.mjs')} "$OIDCWATCH" classify ${events} --iam-snapshot ${SNAPSHOT} --json`;

    // Act
    const toFile = await bash(`RSS_FILE=${dir}/file.rss ${classify} > ${dir}/out.jsonl`);
    const toPipe = await bash(
      `RSS_FILE=${dir}/pipe.rss ${classify} | node ${join(dir, 'slow-reader.mjs')}`
    );

    // Assess
    expect(toFile.code).toBe(0);
    expect(toPipe.code).toBe(0);
    expect(toPipe.stderr).toBe('');
    expect(Number(toPipe.stdout)).toBe(RECORDS);
    const fileKiB = Number(await readFile(join(dir, 'file.rss'), 'utf8'));
    const pipeKiB = Number(await readFile(join(dir, 'pipe.rss'), 'utf8'));
    expect(fileKiB).toBeGreaterThan(0);
    expect(pipeKiB / fileKiB).toBeLessThanOrEqual(1.3);
  }, 120_000);
});

describe('a reader that goes away (EPIPE)', () => {
  it('classify --json | head -1 prints one line and exits 0 without a stack trace', async () => {
    // Act
    const { code, stdout, stderr } = await bash(
      `node "$OIDCWATCH" classify ${events} --iam-snapshot ${SNAPSHOT} --json | head -1`
    );

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ eventName: 'AssumeRoleWithWebIdentity' });
  }, 60_000);

  it('classify (text) | head -1 and simulate | a reader that reads nothing exit 0 quietly', async () => {
    // Act
    const text = await bash(
      `node "$OIDCWATCH" classify ${events} --iam-snapshot ${SNAPSHOT} | head -1`
    );
    const simulate = await bash(
      `node "$OIDCWATCH" simulate --trust-policy ${join(ROOT, 'examples/trust-policy-payments-deploy.json')} --provider arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com --aud sts.amazonaws.com --sub repo:acme-corp/payments-api:environment:production | true`
    );

    // Assess
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(simulate.stderr).toBe('');
    expect(simulate.code).toBe(0);
  }, 60_000);
});

describe('a fatal input error', () => {
  it('classify of a missing file prints nothing on stdout, names the file and exits 1', async () => {
    // Act
    const result = await runOidcwatch([
      'classify',
      join(dir, 'missing.json'),
      '--iam-snapshot',
      SNAPSHOT,
    ]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `oidcwatch classify: cannot read ${join(dir, 'missing.json')}: no such file or directory\n`
    );
  });

  it('report of a missing file prints nothing on stdout and exits 1', async () => {
    // Act
    const result = await runOidcwatch(['report', join(dir, 'missing.jsonl')]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot read ${join(dir, 'missing.jsonl')}`);
  });
});
