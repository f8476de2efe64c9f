/**
 * What a change learns about the configuration before it: from the IAM cache only when loaded
 * before the change, from the previous change when that is more recent, never from after it; and
 * the condition-level diff that follows.
 */
import { describe, expect, it } from 'vitest';
import type {
  ConfigurationChange,
  ProviderChange,
  RoleChange,
} from '../../../src/domain/changes/change-types.js';
import { diffTrustPolicies } from '../../../src/domain/changes/policy-diff.js';
import { readChange } from '../../../src/domain/changes/read-change.js';
import {
  providerStateOf,
  resolveChange,
  roleStateOf,
} from '../../../src/domain/changes/resolve-before.js';
import {
  clientIdRecord,
  deleteProviderRecord,
  type IamRecord,
  updateTrustPolicyRecord,
} from '../../helpers/iam-change-records.js';
import {
  AUD_KEY,
  githubProvider,
  githubTrustPolicy,
  role,
  SUB_KEY,
} from '../../helpers/iam-view.js';

const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';
const CHANGED_AT = Date.parse('2026-11-27T14:00:00Z');

function read(record: IamRecord): ConfigurationChange {
  const r = readChange(record);
  if (r.kind !== 'change') throw new Error('not a change');
  return r.change;
}

describe('resolveChange: the configuration before a change', () => {
  it('takes the trust policy the cache held before the change, and diffs it condition by condition', () => {
    // Prepare
    const change = read(updateTrustPolicyRecord('deploy', githubTrustPolicy([RELEASE])));
    const cached = {
      kind: 'role',
      state: roleStateOf(
        role('deploy', encodeURIComponent(JSON.stringify(githubTrustPolicy([MAIN, RELEASE]))))
      ),
      loadedAtMs: CHANGED_AT - 60_000,
    } as const;

    // Act
    const resolved = resolveChange(change, { cached }) as RoleChange;

    // Assess
    expect(resolved.beforeFrom).toBe('iam-cache');
    expect(resolved.before.trustPolicy).toEqual(githubTrustPolicy([MAIN, RELEASE]));
    expect(resolved.diff).toEqual([
      {
        element: 'Condition',
        effect: 'Allow',
        operator: 'StringEquals',
        key: SUB_KEY,
        added: [],
        removed: [MAIN],
      },
    ]);
  });

  it('ignores a cache entry loaded after the change: it already holds the new policy', () => {
    // Prepare
    const change = read(updateTrustPolicyRecord('deploy', githubTrustPolicy([RELEASE])));
    const cached = {
      kind: 'role',
      state: roleStateOf(role('deploy', githubTrustPolicy([RELEASE]))),
      loadedAtMs: CHANGED_AT + 30_000,
    } as const;

    // Act
    const resolved = resolveChange(change, { cached });

    // Assess
    expect(resolved).toBe(change);
    expect(resolved.beforeFrom).toBe('event');
    expect(resolved.diff).toBeNull();
  });

  it('prefers the previous change when it is more recent than the cache entry', () => {
    // Prepare
    const previous = read(
      updateTrustPolicyRecord('deploy', githubTrustPolicy([MAIN]), { time: '2026-11-27T13:59:00Z' })
    );
    const change = read(updateTrustPolicyRecord('deploy', githubTrustPolicy([RELEASE])));
    const cached = {
      kind: 'role',
      state: roleStateOf(role('deploy', githubTrustPolicy(['repo:acme/old:*']))),
      loadedAtMs: CHANGED_AT - 3_600_000,
    } as const;

    // Act
    const resolved = resolveChange(change, { cached, previous }) as RoleChange;

    // Assess
    expect(resolved.beforeFrom).toBe('previous-change');
    expect(resolved.before.trustPolicy).toEqual(githubTrustPolicy([MAIN]));
  });

  it('applies a removed client ID to the list the cache held', () => {
    // Prepare
    const change = read(clientIdRecord('remove', 'sts.amazonaws.com'));
    const cached = {
      kind: 'provider',
      state: providerStateOf(
        [githubProvider({ clientIds: ['sts.amazonaws.com', 'https://github.com/acme'] })],
        githubProvider()
      ),
      loadedAtMs: CHANGED_AT - 60_000,
    } as const;

    // Act
    const resolved = resolveChange(change, { cached }) as ProviderChange;

    // Assess
    expect(resolved.before.clientIds).toEqual(['sts.amazonaws.com', 'https://github.com/acme']);
    expect(resolved.after.clientIds).toEqual(['https://github.com/acme']);
    expect(resolved.diff).toEqual([
      {
        element: 'ClientIDList',
        effect: null,
        operator: null,
        key: null,
        added: [],
        removed: ['sts.amazonaws.com'],
      },
    ]);
  });

  it('learns from the cache that a deleted provider existed, or that it was already gone', () => {
    // Prepare
    const change = read(deleteProviderRecord());
    const loadedAtMs = CHANGED_AT - 60_000;

    // Act
    const existed = resolveChange(change, {
      cached: {
        kind: 'provider',
        state: providerStateOf([githubProvider()], githubProvider()),
        loadedAtMs,
      },
    }) as ProviderChange;
    const gone = resolveChange(change, {
      cached: { kind: 'provider', state: providerStateOf([], githubProvider()), loadedAtMs },
    }) as ProviderChange;

    // Assess
    expect(existed.before).toMatchObject({ exists: true, clientIds: ['sts.amazonaws.com'] });
    expect(gone.before.exists).toBe(false);
    expect(gone.diff).toEqual([]);
  });
});

describe('diffTrustPolicies', () => {
  it('lists values added and removed per effect × operator × key, principals and actions too', () => {
    // Prepare
    const before = githubTrustPolicy([MAIN], { aud: 'sts.amazonaws.com' });
    const after = githubTrustPolicy(['repo:acme/api:*'], { operator: 'StringLike' });

    // Act
    const diff = diffTrustPolicies(before, after);

    // Assess
    expect(diff).toEqual([
      {
        element: 'Condition',
        effect: 'Allow',
        operator: 'StringEquals',
        key: SUB_KEY,
        added: [],
        removed: [MAIN],
      },
      {
        element: 'Condition',
        effect: 'Allow',
        operator: 'StringLike',
        key: SUB_KEY,
        added: ['repo:acme/api:*'],
        removed: [],
      },
    ]);
    expect(diff?.some((d) => d.key === AUD_KEY)).toBe(false);
  });

  it('cannot diff an unreadable document', () => {
    // Prepare
    const unreadable = '{"Statement": 42';

    // Act
    const diff = diffTrustPolicies(unreadable, githubTrustPolicy([MAIN]));

    // Assess
    expect(diff).toBeNull();
  });
});
