/**
 * Change correlation on sequences of records: IAM configuration changes, then failed calls. The
 * processor's part (the old configuration from its cache) is stood for by `resolveChange` with a
 * cached state; the failure is classified against what IAM shows after the change.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigurationChange } from '../../../src/domain/changes/change-types.js';
import { explainByChange, withChange } from '../../../src/domain/changes/correlate.js';
import { readChange } from '../../../src/domain/changes/read-change.js';
import {
  type CachedState,
  providerStateOf,
  resolveChange,
  roleStateOf,
} from '../../../src/domain/changes/resolve-before.js';
import { classifyCall } from '../../../src/domain/classify/classify.js';
import type { IamView, OidcProviderInfo, RoleInfo } from '../../../src/domain/types.js';
import {
  type CloudTrailRecord,
  callOf,
  failedWebIdentityRecord,
  successWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import {
  ALICE,
  clientIdRecord,
  createRoleRecord,
  deleteProviderRecord,
  deleteRoleRecord,
  type IamRecord,
  thumbprintRecord,
  updateTrustPolicyRecord,
} from '../../helpers/iam-change-records.js';
import {
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';
const WEB = 'repo:acme/web:ref:refs/heads/main';
const DAY = 86_400_000;
/** Loaded well before the changes of these tests (14:00). */
const CACHE_LOADED = Date.parse('2026-11-27T13:30:00Z');

const OLD_POLICY = githubTrustPolicy([MAIN, RELEASE]);
const NEW_POLICY = githubTrustPolicy([RELEASE]);

function change(
  record: IamRecord,
  cached: CachedState | null = null,
  previous?: ConfigurationChange
) {
  const read = readChange(record);
  if (read.kind !== 'change') throw new Error(`not a change: ${JSON.stringify(read)}`);
  return resolveChange(read.change, { cached, previous: previous ?? null });
}

function cachedRole(info: RoleInfo | null): CachedState {
  return { kind: 'role', state: roleStateOf(info), loadedAtMs: CACHE_LOADED };
}

function cachedProviders(list: OidcProviderInfo[], arnOf = githubProvider()): CachedState {
  return { kind: 'provider', state: providerStateOf(list, arnOf), loadedAtMs: CACHE_LOADED };
}

/** Classifies a failure against `view` and correlates it with `changes`. */
function correlate(
  failure: CloudTrailRecord,
  view: IamView,
  changes: readonly ConfigurationChange[],
  windowMs = DAY
) {
  const call = callOf(failure);
  const diagnosis = classifyCall(call, view);
  const annotation = explainByChange({ call, diagnosis, view, changes, windowMs });
  return { diagnosis, annotation, annotated: withChange(diagnosis, annotation) };
}

describe('change correlation: trust policy changes', () => {
  it('names the change, its author and the removed value when a policy change is followed by failures', () => {
    // Prepare
    const update = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY, { eventId: 'c-1' }),
      cachedRole(role('deploy', OLD_POLICY))
    );
    const failure = failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:04:30Z' });

    // Act
    const { diagnosis, annotation, annotated } = correlate(
      failure,
      iamView({ role: role('deploy', NEW_POLICY) }),
      [update]
    );

    // Assess
    expect(diagnosis.cause).toBe('SUB_MISMATCH');
    expect(annotation).toMatchObject({
      kind: 'TRUST_POLICY_UPDATED',
      eventName: 'UpdateAssumeRolePolicy',
      eventId: 'c-1',
      at: '2026-11-27T14:00:00Z',
      by: ALICE,
      roleArn: 'arn:aws:iam::111122223333:role/deploy',
      providerArn: null,
      minutesBefore: 4,
      verdict: 'explains',
      removed: [MAIN],
      added: [],
    });
    expect(annotation?.summary).toBe(
      `The trust policy of role deploy changed 4 min before this failure (UpdateAssumeRolePolicy at 2026-11-27T14:00:00Z by ${ALICE}); the change removed \`${MAIN}\` from StringEquals ${SUB_KEY}.`
    );
    expect(annotated.explanation).toBe(`${diagnosis.explanation} ${annotation?.summary}`);
    expect(annotated.change).toBe(annotation);
  });

  it('names only the removed value that admitted the call when several were removed', () => {
    // Prepare
    const update = change(
      updateTrustPolicyRecord('deploy', githubTrustPolicy([RELEASE])),
      cachedRole(
        role('deploy', githubTrustPolicy([MAIN, RELEASE, 'repo:acme/api:ref:refs/heads/dev']))
      )
    );

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T15:00:00Z' }),
      iamView({ role: role('deploy', githubTrustPolicy([RELEASE])) }),
      [update]
    );

    // Assess
    expect(annotation?.removed).toEqual([MAIN, 'repo:acme/api:ref:refs/heads/dev']);
    expect(annotation?.summary).toContain(`the change removed \`${MAIN}\` from`);
    expect(annotation?.summary).not.toContain('refs/heads/dev');
  });

  it('does not blame a change that does not explain the failure', () => {
    // Prepare: the change adds another repository; main was never allowed.
    const before = githubTrustPolicy([RELEASE]);
    const after = githubTrustPolicy([RELEASE, WEB]);
    const update = change(
      updateTrustPolicyRecord('deploy', after),
      cachedRole(role('deploy', before))
    );

    // Act
    const { diagnosis, annotation, annotated } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:04:30Z' }),
      iamView({ role: role('deploy', after) }),
      [update]
    );

    // Assess
    expect(diagnosis.cause).toBe('SUB_MISMATCH');
    expect(annotation).toBeNull();
    expect(annotated.change).toBeNull();
    expect(annotated.explanation).toBe(diagnosis.explanation);
  });

  it('does not blame a change of another role, or one after the failure, or one outside the window', () => {
    // Prepare
    const other = change(
      updateTrustPolicyRecord('web-deploy', NEW_POLICY),
      cachedRole(role('web-deploy', OLD_POLICY))
    );
    const later = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY, { time: '2026-11-27T14:10:00Z' }),
      cachedRole(role('deploy', OLD_POLICY))
    );
    const failure = failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:05:00Z' });
    const view = iamView({ role: role('deploy', NEW_POLICY) });
    const early = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY),
      cachedRole(role('deploy', OLD_POLICY))
    );

    // Act
    const outcomes = [
      correlate(failure, view, [other]).annotation,
      correlate(failure, view, [later]).annotation,
      correlate(failure, view, [early], 60_000).annotation,
    ];

    // Assess
    expect(outcomes).toEqual([null, null, null]);
  });

  it('says so, rather than guess, when the policy before the change is unknown', () => {
    // Prepare: nothing cached, no previous change.
    const update = change(updateTrustPolicyRecord('deploy', NEW_POLICY));

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:00:40Z' }),
      iamView({ role: role('deploy', NEW_POLICY) }),
      [update]
    );

    // Assess
    expect(annotation).toMatchObject({
      verdict: 'unverified',
      diff: null,
      removed: [],
      minutesBefore: 0,
    });
    expect(annotation?.summary).toBe(
      `The trust policy of role deploy changed less than a minute before this failure (UpdateAssumeRolePolicy at 2026-11-27T14:00:00Z by ${ALICE}); the configuration before it is unknown to oidcwatch, so whether this change caused the failure cannot be told.`
    );
  });

  it('learns the old policy from the previous recorded change when the cache has none', () => {
    // Prepare
    const first = change(
      updateTrustPolicyRecord('deploy', OLD_POLICY, { time: '2026-11-20T09:00:00Z' })
    );
    const second = change(updateTrustPolicyRecord('deploy', NEW_POLICY), null, first);

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T16:30:00Z' }),
      iamView({ role: role('deploy', NEW_POLICY) }),
      [second, first],
      30 * DAY
    );

    // Assess
    expect(second.beforeFrom).toBe('previous-change');
    expect(annotation).toMatchObject({ verdict: 'explains', removed: [MAIN], minutesBefore: 150 });
    expect(annotation?.summary).toContain('changed 2 h before this failure');
  });

  it('blames the change that removed the value, not a later unrelated one', () => {
    // Prepare
    const removal = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY, { eventId: 'c-removal' }),
      cachedRole(role('deploy', OLD_POLICY))
    );
    const unrelated = change(
      updateTrustPolicyRecord('deploy', githubTrustPolicy([RELEASE, WEB]), {
        eventId: 'c-unrelated',
        time: '2026-11-27T14:20:00Z',
      }),
      null,
      removal
    );

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:30:00Z' }),
      iamView({ role: role('deploy', githubTrustPolicy([RELEASE, WEB])) }),
      [unrelated, removal]
    );

    // Assess
    expect(annotation).toMatchObject({ eventId: 'c-removal', minutesBefore: 30 });
  });

  it('does not blame a change whose effect a later change undid', () => {
    // Prepare
    const removal = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY),
      cachedRole(role('deploy', OLD_POLICY))
    );
    const restore = change(
      updateTrustPolicyRecord('deploy', OLD_POLICY, { time: '2026-11-27T14:10:00Z' }),
      null,
      removal
    );

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:30:00Z' }),
      iamView({ role: role('deploy', OLD_POLICY) }),
      [restore, removal]
    );

    // Assess
    expect(annotation).toBeNull();
  });

  it('names a Deny statement the change added', () => {
    // Prepare
    const deny = webIdentityStatement({
      sid: 'NoMain',
      effect: 'Deny',
      condition: { StringEquals: { [SUB_KEY]: MAIN } },
    });
    const after = trustPolicy(...(OLD_POLICY.Statement as never[]), deny);
    const update = change(
      updateTrustPolicyRecord('deploy', after),
      cachedRole(role('deploy', OLD_POLICY))
    );

    // Act
    const { diagnosis, annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:02:00Z' }),
      iamView({ role: role('deploy', after) }),
      [update]
    );

    // Assess
    expect(diagnosis.cause).toBe('EXPLICIT_DENY');
    expect(annotation?.verdict).toBe('explains');
    expect(annotation?.summary).toContain(
      `added \`${MAIN}\` to a Deny statement’s StringEquals ${SUB_KEY}`
    );
  });

  it('names a removed principal when the conditions did not change', () => {
    // Prepare
    const other =
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com/acme';
    const after = trustPolicy(
      webIdentityStatement({ provider: other, condition: { StringEquals: { [SUB_KEY]: MAIN } } })
    );
    const before = trustPolicy(
      webIdentityStatement({ condition: { StringEquals: { [SUB_KEY]: MAIN } } })
    );
    const update = change(
      updateTrustPolicyRecord('deploy', after),
      cachedRole(role('deploy', before))
    );

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:02:00Z' }),
      iamView({ role: role('deploy', after) }),
      [update]
    );

    // Assess
    expect(annotation?.summary).toContain(
      'the change removed `arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com` from Principal.Federated'
    );
  });
});

describe('change correlation: roles created and deleted', () => {
  it('names the deletion of the role behind ROLE_NOT_FOUND', () => {
    // Prepare
    const deletion = change(deleteRoleRecord('deploy'), cachedRole(role('deploy', OLD_POLICY)));

    // Act
    const { diagnosis, annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:07:00Z' }),
      iamView({ role: null }),
      [deletion]
    );

    // Assess
    expect(diagnosis.cause).toBe('ROLE_NOT_FOUND');
    expect(annotation).toMatchObject({ kind: 'ROLE_DELETED', verdict: 'explains' });
    expect(annotation?.removed).toEqual(expect.arrayContaining([MAIN, RELEASE]));
    expect(annotation?.summary).toBe(
      `Role deploy was deleted 7 min before this failure (DeleteRole at 2026-11-27T14:00:00Z by ${ALICE}); the configuration before it admitted these claims, the one after it does not.`
    );
  });

  it('compares a role deleted and created again with the role as it was before the deletion', () => {
    // Prepare
    const deletion = change(deleteRoleRecord('deploy'), cachedRole(role('deploy', OLD_POLICY)));
    const creation = change(
      createRoleRecord('deploy', NEW_POLICY, { time: '2026-11-27T14:01:00Z' }),
      null,
      deletion
    );

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:11:00Z' }),
      iamView({ role: role('deploy', NEW_POLICY) }),
      [creation, deletion]
    );

    // Assess
    expect(annotation).toMatchObject({
      kind: 'ROLE_CREATED',
      verdict: 'explains',
      removed: [MAIN],
    });
    expect(annotation?.summary).toContain(
      'Role deploy was deleted and created again 10 min before'
    );
  });

  it('does not blame the creation of a role that did not exist before', () => {
    // Prepare
    const creation = change(createRoleRecord('deploy', NEW_POLICY));

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:11:00Z' }),
      iamView({ role: role('deploy', NEW_POLICY) }),
      [creation]
    );

    // Assess
    expect(annotation).toBeNull();
  });
});

describe('change correlation: OIDC providers', () => {
  it('names the deletion behind MISSING_OIDC_PROVIDER when the provider was deleted, then calls failed', () => {
    // Prepare
    const deletion = change(
      deleteProviderRecord({ eventId: 'c-del' }),
      cachedProviders([githubProvider()])
    );
    const failures = [
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:03:00Z' }),
      failedWebIdentityRecord({
        sub: MAIN,
        time: '2026-11-27T14:03:05Z',
        errorCode: 'InvalidIdentityToken',
        errorMessage:
          'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
      }),
    ];
    const view = iamView({ role: role('deploy', OLD_POLICY), providers: [] });

    // Act
    const results = failures.map((f) => correlate(f, view, [deletion]));

    // Assess
    for (const { diagnosis, annotation, annotated } of results) {
      expect(diagnosis.cause).toBe('MISSING_OIDC_PROVIDER');
      expect(annotation).toMatchObject({
        kind: 'PROVIDER_DELETED',
        eventId: 'c-del',
        verdict: 'explains',
        by: ALICE,
        providerArn: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        roleArn: null,
        removed: ['sts.amazonaws.com', '6938fd4d98bab03faadb97b34396831e3780aea1'],
      });
      expect(annotated.explanation).toContain(
        `The OIDC provider token.actions.githubusercontent.com was deleted 3 min before this failure (DeleteOpenIDConnectProvider at 2026-11-27T14:00:00Z by ${ALICE})`
      );
    }
  });

  it('names the removal of the client ID the token asked for', () => {
    // Prepare
    const removal = change(
      clientIdRecord('remove', 'sts.amazonaws.com'),
      cachedProviders([githubProvider()])
    );

    // Act
    const { diagnosis, annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:03:00Z' }),
      iamView({ role: role('deploy', OLD_POLICY), providers: [githubProvider({ clientIds: [] })] }),
      [removal]
    );

    // Assess
    expect(diagnosis).toMatchObject({ cause: 'AUDIENCE_MISMATCH', detail: 'PROVIDER_CLIENT_ID' });
    expect(annotation).toMatchObject({
      kind: 'PROVIDER_CLIENT_ID_REMOVED',
      verdict: 'explains',
      removed: ['sts.amazonaws.com'],
    });
    expect(annotation?.summary).toContain(
      'Client ID `sts.amazonaws.com` was removed from the OIDC provider token.actions.githubusercontent.com 3 min before'
    );
    expect(annotation?.summary).toContain(
      'the change removed `sts.amazonaws.com` from the client IDs'
    );
  });

  it('does not blame the removal of a client ID the token did not use', () => {
    // Prepare
    const removal = change(
      clientIdRecord('remove', 'https://github.com/acme'),
      cachedProviders([
        githubProvider({ clientIds: ['sts.amazonaws.com', 'https://github.com/acme'] }),
      ])
    );

    // Act
    const { annotation } = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-27T14:03:00Z' }),
      iamView({ role: role('deploy', NEW_POLICY) }),
      [removal]
    );

    // Assess
    expect(annotation).toBeNull();
  });

  it('names a thumbprint change only beside a thumbprint failure, and only as unverified', () => {
    // Prepare
    const update = change(thumbprintRecord(['1c58a3a8518e8759bf075b76b750d4f2df264fcd']));
    const thumbprintFailure = failedWebIdentityRecord({
      sub: MAIN,
      time: '2026-11-27T14:03:00Z',
      errorCode: 'InvalidIdentityToken',
      errorMessage:
        "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
    });
    const view = iamView({ role: role('deploy', OLD_POLICY) });

    // Act
    const onThumbprint = correlate(thumbprintFailure, view, [update]).annotation;
    const onOther = correlate(
      failedWebIdentityRecord({ sub: WEB, time: '2026-11-27T14:03:00Z' }),
      view,
      [update]
    ).annotation;

    // Assess
    expect(onThumbprint).toMatchObject({
      kind: 'PROVIDER_THUMBPRINT_UPDATED',
      verdict: 'unverified',
    });
    expect(onThumbprint?.summary).toContain(
      'The thumbprints of the OIDC provider token.actions.githubusercontent.com were replaced'
    );
    expect(onOther).toBeNull();
  });
});

describe('change correlation: scope', () => {
  it('annotates no success and no chained AssumeRole', () => {
    // Prepare
    const update = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY),
      cachedRole(role('deploy', OLD_POLICY))
    );
    const success = successWebIdentityRecord({ sub: RELEASE, time: '2026-11-27T14:03:00Z' });

    // Act
    const { annotation } = correlate(success, iamView({ role: role('deploy', NEW_POLICY) }), [
      update,
    ]);

    // Assess
    expect(annotation).toBeNull();
  });

  it('formats long gaps in hours and days', () => {
    // Prepare
    const update = change(
      updateTrustPolicyRecord('deploy', NEW_POLICY),
      cachedRole(role('deploy', OLD_POLICY))
    );
    const view = iamView({ role: role('deploy', NEW_POLICY) });

    // Act
    const hours = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-28T13:00:00Z' }),
      view,
      [update],
      7 * DAY
    );
    const days = correlate(
      failedWebIdentityRecord({ sub: MAIN, time: '2026-11-30T14:00:00Z' }),
      view,
      [update],
      7 * DAY
    );

    // Assess
    expect(hours.annotation?.summary).toContain('changed 23 h before');
    expect(days.annotation?.summary).toContain('changed 3 days before');
  });
});
