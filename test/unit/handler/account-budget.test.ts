/**
 * What one source account can cost: uncached IAM lookups are limited per account; cached ones
 * never are; other accounts keep their own budget; the budget refills; and a refused lookup makes
 * an ENRICHMENT_FAILED result with the bounded detail `AccountBudgetDenied`, never a lost record.
 */
import { describe, expect, it } from 'vitest';
import { enrichmentDetail } from '../../../src/domain/classify/rules/enrichment-failed.js';
import { AccountBudgetReader, BUDGET_REASON } from '../../../src/handler/account-budget.js';
import type { IamReader } from '../../../src/ports.js';

const ATTACKER = '444455556666';
const OTHER = '777788889999';

function fakeIam() {
  const calls: string[] = [];
  const cached = new Set<string>();
  const inner: IamReader = {
    source: 'iam',
    getRole: async (account, roleArn) => {
      calls.push(`${account} ${roleArn}`);
      return { ok: true, value: null };
    },
    listOidcProviders: async () => ({ ok: true, value: [] }),
    listRolesTrustingProvider: async () => ({ ok: true, value: [] }),
    inferOwners: async () => ({ ok: true, value: [] }),
  };
  const cache = {
    peekRole: (account: string, name: string) =>
      cached.has(`${account}/${name}`) ? { value: null, loadedAtMs: 0 } : undefined,
    peekProviders: () => undefined,
  };
  return { inner, cache, calls, cached };
}

const role = (account: string, i: number) => `arn:aws:iam::${account}:role/r${i}`;

describe('AccountBudgetReader', () => {
  it('refuses an account’s uncached lookups past its budget, without calling IAM, and leaves other accounts alone', async () => {
    // Prepare
    const iam = fakeIam();
    const reader = new AccountBudgetReader({ ...iam, burst: 5, perMinute: 5, now: () => 0 });

    // Act
    const attacker = await Promise.all(
      Array.from({ length: 8 }, (_, i) => reader.getRole(ATTACKER, role(ATTACKER, i)))
    );
    const other = await reader.getRole(OTHER, role(OTHER, 1));

    // Assess
    expect(attacker.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false, false]);
    expect(attacker[7]).toEqual({ ok: false, reason: BUDGET_REASON });
    expect(other.ok).toBe(true);
    expect(iam.calls).toHaveLength(6);
  });

  it('never limits cached answers: a burst on one role costs one lookup', async () => {
    // Prepare
    const iam = fakeIam();
    const reader = new AccountBudgetReader({ ...iam, burst: 1, perMinute: 1, now: () => 0 });
    await reader.getRole(ATTACKER, role(ATTACKER, 1));
    iam.cached.add(`${ATTACKER}/r1`);

    // Act
    const burst = await Promise.all(
      Array.from({ length: 50 }, () => reader.getRole(ATTACKER, role(ATTACKER, 1)))
    );

    // Assess
    expect(burst.every((r) => r.ok)).toBe(true);
  });

  it('refills the budget over time', async () => {
    // Prepare
    const iam = fakeIam();
    let clock = 0;
    const reader = new AccountBudgetReader({ ...iam, burst: 2, perMinute: 2, now: () => clock });
    await reader.getRole(ATTACKER, role(ATTACKER, 1));
    await reader.getRole(ATTACKER, role(ATTACKER, 2));
    const spent = await reader.getRole(ATTACKER, role(ATTACKER, 3));

    // Act
    clock += 30_000;
    const refilled = await reader.getRole(ATTACKER, role(ATTACKER, 4));

    // Assess
    expect(spent.ok).toBe(false);
    expect(refilled.ok).toBe(true);
  });

  it('names the refusal with a bounded ENRICHMENT_FAILED detail', () => {
    // Prepare
    const reason = BUDGET_REASON;

    // Act
    const detail = enrichmentDetail(reason);

    // Assess
    expect(detail).toBe('AccountBudgetDenied');
  });
});
