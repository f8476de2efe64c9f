/**
 * `classify --changes FILE` and `report` with IAM configuration changes: a role created with one
 * trust policy, that policy narrowed days later, then a job's twelve retries failing four minutes
 * after. The file's earlier change gives the later one its old policy, so the annotation can name
 * the value removed; a failure of a role nobody changed carries no annotation.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as classify } from '../../../src/cli/commands/classify.js';
import { run as report } from '../../../src/cli/commands/report.js';
import type { Report } from '../../../src/domain/report/report-types.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';
import {
  ALICE,
  createRoleRecord,
  iamEnvelope,
  updateTrustPolicyRecord,
} from '../../helpers/iam-change-records.js';
import { githubProvider, githubTrustPolicy, role } from '../../helpers/iam-view.js';

const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';
const OLD_POLICY = githubTrustPolicy([MAIN, RELEASE]);
const NEW_POLICY = githubTrustPolicy([RELEASE]);

let dir = '';
let snapshot = '';
let changes = '';
let events = '';

async function writeLines(name: string, values: readonly unknown[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, values.map((v) => `${JSON.stringify(v)}\n`).join(''));
  return file;
}

function jsonLines(out: string): Diagnosis[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Diagnosis);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-changes-cli-'));
  snapshot = await writeLines('iam-snapshot.json', [
    {
      accounts: {
        '111122223333': {
          roles: [
            role('deploy', NEW_POLICY),
            role('web-deploy', githubTrustPolicy('repo:acme/web:ref:refs/heads/main')),
          ],
          oidcProviders: [githubProvider()],
        },
      },
    },
  ]);
  changes = await writeLines('changes.jsonl', [
    // The later change first: the loader orders them by time.
    iamEnvelope(updateTrustPolicyRecord('deploy', NEW_POLICY, { eventId: 'c-narrow' })),
    createRoleRecord('deploy', OLD_POLICY, { time: '2026-11-20T09:00:00Z', eventId: 'c-create' }),
    failedWebIdentityRecord({ sub: MAIN, role: 'deploy' }),
  ]);
  const t0 = Date.parse('2026-11-27T14:04:10Z');
  const retries = [0, 0.1, 0.3, 0.7, 1.4, 2.6, 4.2, 6.1, 14, 31, 62, 101].map((s, i) =>
    failedWebIdentityRecord({
      sub: MAIN,
      role: 'deploy',
      eventId: `f-${i}`,
      time: new Date(t0 + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    })
  );
  events = await writeLines('events.jsonl', [
    ...retries,
    failedWebIdentityRecord({
      sub: 'repo:acme/web:ref:refs/heads/dev',
      role: 'web-deploy',
      eventId: 'f-web',
      time: '2026-11-27T14:10:00Z',
    }),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('classify --changes', () => {
  it('annotates each failure the change explains with the change, its author and the removed value', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await classify(
      [events, '--iam-snapshot', snapshot, '--changes', changes, '--json'],
      io
    );

    // Assess
    expect(code).toBe(0);
    const results = jsonLines(io.out());
    const deploy = results.filter((d) => d.roleArn?.endsWith('/deploy'));
    expect(deploy).toHaveLength(12);
    for (const d of deploy) {
      expect(d.cause).toBe('SUB_MISMATCH');
      expect(d.change).toMatchObject({
        kind: 'TRUST_POLICY_UPDATED',
        eventId: 'c-narrow',
        by: ALICE,
        verdict: 'explains',
        removed: [MAIN],
      });
      expect(d.explanation).toContain(`the change removed \`${MAIN}\``);
    }
    expect(deploy[0]?.change?.minutesBefore).toBe(4);
    expect(results.find((d) => d.eventId === 'f-web')?.change).toBeNull();
    expect(io.err()).toContain('1 record(s) are not IAM configuration changes and were left out');
  });

  it('shows the annotation in the text output', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await classify([events, '--iam-snapshot', snapshot, '--changes', changes], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain(
      `The trust policy of role deploy changed 4 min before this failure (UpdateAssumeRolePolicy at 2026-11-27T14:00:00Z by ${ALICE}); the change removed \`${MAIN}\``
    );
  });

  it('names no change when it was made longer before the failure than the window', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await classify(
      [events, '--iam-snapshot', snapshot, '--changes', changes, '--change-window', '2', '--json'],
      io
    );

    // Assess
    expect(code).toBe(0);
    expect(jsonLines(io.out()).every((d) => d.change === null)).toBe(true);
  });

  it.each([
    [
      ['--change-window', 'soon'],
      '--change-window must be a whole number of minutes ≥ 1, got "soon"',
    ],
    [
      ['--changes', 'missing.jsonl'],
      '--changes: cannot read missing.jsonl: no such file or directory',
    ],
    [['--changes', '-'], '--changes needs a file or directory, not stdin'],
  ])('rejects %j with a message naming the option', async (args, message) => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await classify([events, '--iam-snapshot', snapshot, ...args], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain(message);
  });
});

describe('report with change annotations', () => {
  it('lists the change behind the failures, said of the first failure, from raw records and --changes', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await report(
      [events, '--iam-snapshot', snapshot, '--changes', changes, '--json'],
      io
    );

    // Assess
    expect(code).toBe(0);
    const r = JSON.parse(io.out()) as Report;
    expect(r.changes).toEqual([
      {
        kind: 'TRUST_POLICY_UPDATED',
        eventName: 'UpdateAssumeRolePolicy',
        eventId: 'c-narrow',
        at: '2026-11-27T14:00:00Z',
        by: ALICE,
        roleArn: 'arn:aws:iam::111122223333:role/deploy',
        providerArn: null,
        verdict: 'explains',
        summary: `The trust policy of role deploy changed 4 min before the first failure (UpdateAssumeRolePolicy at 2026-11-27T14:00:00Z by ${ALICE}); the change removed \`${MAIN}\` from StringEquals token.actions.githubusercontent.com:sub.`,
        removed: [MAIN],
        added: [],
        failures: 12,
        failingJobs: 1,
        repositories: ['acme/api'],
        firstFailure: '2026-11-27T14:04:10Z',
        lastFailure: '2026-11-27T14:05:51Z',
        minutesBeforeFirstFailure: 4,
      },
    ]);
  });

  it('shows the change in the text report, read back from classify --json lines', async () => {
    // Prepare
    const first = fakeIo();
    await classify([events, '--iam-snapshot', snapshot, '--changes', changes, '--json'], first);
    const lines = await writeLines('diagnoses.jsonl', jsonLines(first.out()));
    const io = fakeIo();

    // Act
    const code = await report([lines], io);

    // Assess
    expect(code).toBe(0);
    const out = io.out();
    expect(out).toContain('CONFIGURATION CHANGES BEHIND FAILURES');
    expect(out).toMatch(/TRUST_POLICY_UPDATED\s+role\/deploy\s+12\s+1\s+acme\/api/);
    expect(out).toContain('changed 4 min before the first failure');
  });

  it('shows the change in the HTML report', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await report(
      [events, '--iam-snapshot', snapshot, '--changes', changes, '--html', '-'],
      io
    );

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain('<section id="changes">');
    expect(io.out()).toContain('data-change="c-narrow" data-count="12"');
  });

  it('has no change section when no result carries a change', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    await report([events, '--iam-snapshot', snapshot], io);

    // Assess
    expect(io.out()).not.toContain('CONFIGURATION CHANGES');
  });
});
