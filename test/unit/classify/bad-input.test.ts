/**
 * Bad input: a truncated JSON file, a record without userIdentity, a trust policy that is not
 * JSON, a condition operator oidcwatch does not evaluate, an unreadable path, an invalid snapshot.
 * Each is reported honestly and named; one bad record or file never stops the rest.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/classify.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import {
  failedWebIdentityRecord,
  omit,
  successWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';
import {
  AUD_KEY,
  diagnose,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

let dir = '';
let snapshotFile = '';

const DENIED_BRANCH = failedWebIdentityRecord({
  sub: 'repo:acme-corp/payments-api:ref:refs/heads/dev',
  role: 'payments-deploy',
  eventId: '11111111-1111-4111-8111-111111111111',
});
const SUCCEEDED = successWebIdentityRecord({
  sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
  role: 'payments-deploy',
  eventId: '22222222-2222-4222-8222-222222222222',
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-bad-input-'));
  snapshotFile = join(dir, 'iam-snapshot.json');
  await writeFile(
    snapshotFile,
    JSON.stringify({
      accounts: {
        '111122223333': {
          roles: [
            role(
              'payments-deploy',
              githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main')
            ),
            role('broken-deploy', '{not json'),
          ],
          oidcProviders: [githubProvider()],
        },
      },
    })
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The JSON Lines of a `--json` run, parsed. */
function linesOf(out: string): Diagnosis[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Diagnosis);
}

describe('a truncated JSON file', () => {
  it('reports the truncated record as MALFORMED_EVENT naming the file and still classifies the others', async () => {
    // Prepare
    const file = join(dir, 'truncated.jsonl');
    const cut = JSON.stringify(
      failedWebIdentityRecord({ sub: 'repo:acme-corp/web:ref:refs/heads/main' })
    ).slice(0, 180);
    await writeFile(
      file,
      `${JSON.stringify(DENIED_BRANCH)}\n${cut}\n${JSON.stringify(SUCCEEDED)}\n`
    );
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshotFile, '--json'], io);

    // Assess
    expect(code).toBe(0);
    const lines = linesOf(io.out());
    expect(lines.map((d) => d.cause)).toEqual(['SUB_MISMATCH', 'MALFORMED_EVENT', 'SUCCESS']);
    expect(lines[1]?.detail).toContain(`${file}, record 1: invalid JSON`);
  });

  it('reports a JSON array cut off in the middle and keeps the records before the cut', async () => {
    // Prepare
    const file = join(dir, 'truncated-array.json');
    const text = JSON.stringify([DENIED_BRANCH, SUCCEEDED]);
    await writeFile(file, text.slice(0, text.length - 40));
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshotFile, '--json'], io);

    // Assess
    expect(code).toBe(0);
    const lines = linesOf(io.out());
    expect(lines.map((d) => d.cause)).toEqual(['SUB_MISMATCH', 'MALFORMED_EVENT']);
    expect(lines[1]?.detail).toContain(file);
  });
});

describe('a record without userIdentity', () => {
  it('is MALFORMED_EVENT naming the field, between records that are still classified', async () => {
    // Prepare
    const file = join(dir, 'no-identity.json');
    const noIdentity = omit(
      failedWebIdentityRecord({ sub: 'x', eventId: '33333333-3333-4333-8333-333333333333' }),
      'userIdentity'
    );
    await writeFile(file, JSON.stringify({ Records: [DENIED_BRANCH, noIdentity, SUCCEEDED] }));
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshotFile, '--json'], io);

    // Assess
    expect(code).toBe(0);
    const lines = linesOf(io.out());
    expect(lines.map((d) => [d.cause, d.detail])).toEqual([
      ['SUB_MISMATCH', 'BRANCH'],
      [
        'MALFORMED_EVENT',
        `${file}, record 1 (byte ${JSON.stringify({ Records: [DENIED_BRANCH] }).length - 1}, line 1): record 33333333-3333-4333-8333-333333333333 has no "userIdentity"`,
      ],
      ['SUCCESS', null],
    ]);
  });
});

describe('a trust policy that is not JSON', () => {
  it('is ENRICHMENT_FAILED/TRUST_POLICY_UNREADABLE and the explanation quotes the reason', async () => {
    // Prepare
    const file = join(dir, 'broken-role.json');
    await writeFile(
      file,
      JSON.stringify(
        failedWebIdentityRecord({
          sub: 'repo:acme-corp/broken:ref:refs/heads/main',
          role: 'broken-deploy',
        })
      )
    );
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshotFile, '--json'], io);

    // Assess
    expect(code).toBe(0);
    const [d] = linesOf(io.out());
    expect([d?.cause, d?.detail]).toEqual(['ENRICHMENT_FAILED', 'TRUST_POLICY_UNREADABLE']);
    expect(d?.explanation).toMatch(
      /^The trust policy of arn:aws:iam::111122223333:role\/broken-deploy could not be read \(trust policy is not JSON: .+\), so this AccessDenied is classified from its code alone\.$/
    );
  });
});

describe('a condition operator oidcwatch does not evaluate', () => {
  const record = failedWebIdentityRecord({
    sub: 'repo:acme-corp/api:ref:refs/heads/main',
    role: 'api-deploy',
  });

  it('names DateGreaterThan in the trace and answers UNVERIFIABLE_CONDITION, saying the operator is not evaluated', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: {
            [AUD_KEY]: 'sts.amazonaws.com',
            [SUB_KEY]: 'repo:acme-corp/api:ref:refs/heads/main',
          },
          DateGreaterThan: { 'aws:CurrentTime': '2026-12-01T00:00:00Z' },
        },
      })
    );

    // Act
    const d = diagnose(record, iamView({ role: role('api-deploy', policy) }));

    // Assess
    expect(d.cause).toBe('UNVERIFIABLE_CONDITION');
    const traced = d.trace?.statements[0]?.conditions.find((c) => c.operator === 'DateGreaterThan');
    expect(traced).toMatchObject({ verdict: 'unknown', key: 'aws:CurrentTime' });
    expect(traced?.note).toContain('operator "DateGreaterThan" is not evaluated by oidcwatch');
    expect(d.explanation).toContain('oidcwatch does not evaluate the DateGreaterThan operator');
    expect(d.explanation).not.toContain('not recorded in CloudTrail');
    expect(d.fix).toContain('Check the DateGreaterThan condition on aws:CurrentTime by hand');
  });

  it('does not call an ArnLike on sub a SUB_MISMATCH, nor claim the sub is unrecorded', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' },
          ArnLike: { [SUB_KEY]: 'repo:acme-corp/api:*' },
        },
      })
    );

    // Act
    const d = diagnose(record, iamView({ role: role('api-deploy', policy) }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['UNVERIFIABLE_CONDITION', 'sub']);
    expect(d.trace?.statements[0]?.conditions[1]?.note).toContain(
      'operator "ArnLike" is not evaluated'
    );
    expect(d.explanation).toContain(
      'ArnLike token.actions.githubusercontent.com:sub "repo:acme-corp/api:*"'
    );
    expect(d.explanation).not.toContain("the token's sub is not recorded");
  });

  it('still reports a sub the string conditions reject as SUB_MISMATCH', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: {
            [AUD_KEY]: 'sts.amazonaws.com',
            [SUB_KEY]: 'repo:acme-corp/api:ref:refs/heads/release',
          },
          ArnLike: { 'aws:SourceArn': 'arn:aws:iam::111122223333:*' },
        },
      })
    );

    // Act
    const d = diagnose(record, iamView({ role: role('api-deploy', policy) }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
  });
});

describe('an unreadable path', () => {
  it('exits 1 naming the missing file before printing anything, even beside a good file', async () => {
    // Prepare
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify(DENIED_BRANCH));
    const io = fakeIo();

    // Act
    const code = await run(['/no/such/file', good, '--iam-snapshot', snapshotFile, '--json'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(
      'oidcwatch classify: cannot read /no/such/file: no such file or directory\n'
    );
    expect(io.out()).toBe('');
  });
});

describe('an invalid snapshot', () => {
  it('exits 1 with a message naming the file and the field path', async () => {
    // Prepare
    const bad = join(dir, 'bad-snapshot.json');
    await writeFile(
      bad,
      JSON.stringify({
        accounts: {
          '111122223333': { roles: [{ arn: 'deploy', trustPolicy: {} }], oidcProviders: [] },
        },
      })
    );
    const good = join(dir, 'good-for-snapshot.json');
    await writeFile(good, JSON.stringify(DENIED_BRANCH));
    const io = fakeIo();

    // Act
    const code = await run([good, '--iam-snapshot', bad], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(
      `oidcwatch classify: ${bad}: "accounts.111122223333.roles[0].arn" must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)\n`
    );
    expect(io.out()).toBe('');
  });

  it('exits 1 naming the file when the snapshot is not JSON', async () => {
    // Prepare
    const bad = join(dir, 'not-json-snapshot.json');
    await writeFile(bad, '{"accounts": {');
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', bad, '-'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain(`oidcwatch classify: ${bad}: not JSON`);
  });

  it('exits 1 naming a snapshot file that does not exist', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', '/no/such/snapshot.json', '-'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain('cannot read IAM snapshot /no/such/snapshot.json');
  });
});
