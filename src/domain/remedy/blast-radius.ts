/**
 * The blast radius of a trust-policy patch, computed: the original and the patched policy are
 * evaluated on probe subjects around the job (see `probe-subjects.ts`) and whatever the patch
 * newly admits is reported, with the widest distance as the scope.
 */

import { stripSubjectIds } from '../classify/trust/sub-mismatch-detail.js';
import { awsPrincipalRequest } from '../policy/aws-principal-request.js';
import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import type { TrustPolicy } from '../policy/parse-policy.js';
import { arnAccount, type KeyLookup, type TrustRequest } from '../policy/trust-request.js';
import { WEB_IDENTITY_ACTION, webIdentityRequest } from '../policy/web-identity-request.js';
import { parseSubject } from '../subject/parse-subject.js';
import type { EvaluationTrace, OidcCall, Subject } from '../types.js';
import { PROBE, type ProbeSubject, probeSubjects, subjectOwner } from './probe-subjects.js';
import type { BlastProbe, BlastRadius, BlastScope, ProbeOutcome } from './remedy-types.js';

const RANK: Readonly<Record<ProbeOutcome, number>> = { deny: 0, unknown: 1, allow: 2 };

/**
 * Outcomes of the ORIGINAL policy per probe: every failure of a role asks about the same
 * neighbours (a job's contexts share its repository's probes), and a role's policy object is
 * shared by all its calls. Bounded per policy; dropped with the policy.
 */
const originalOutcomes = new WeakMap<TrustPolicy, Map<string, ProbeOutcome>>();
const OUTCOMES_PER_POLICY = 2_000;

function originalOutcome(
  policy: TrustPolicy,
  call: OidcCall,
  probe: ProbeSubject,
  request?: TrustRequest
): ProbeOutcome {
  let memo = originalOutcomes.get(policy);
  if (memo === undefined) {
    memo = new Map();
    originalOutcomes.set(policy, memo);
  }
  const key = `${call.provider}\u0000${call.aud}\u0000${call.roleSessionName}\u0000${probe.sub}\u0000${probe.claims === undefined ? '' : JSON.stringify(probe.claims)}`;
  let hit = memo.get(key);
  if (hit === undefined) {
    hit = outcomeOf(evaluateTrustPolicy(policy, request ?? probeRequest(call, probe)));
    if (memo.size >= OUTCOMES_PER_POLICY) memo.clear();
    memo.set(key, hit);
  }
  return hit;
}
const SCOPES: readonly BlastScope[] = ['call', 'repository', 'owner', 'wider'];

/** The outcome of an evaluation, for a probe. */
export function outcomeOf(trace: EvaluationTrace): ProbeOutcome {
  if (trace.decision === 'allow') return 'allow';
  return trace.decision === 'unknown' ? 'unknown' : 'deny';
}

/**
 * The request of the call, as if its token had carried the probe's subject (and claims). `aud` and
 * `sub` are answered at once; the probe's subject is parsed only when a condition asks for a claim
 * it proves (most policies test `aud` and `sub` alone, and a probe is evaluated twice).
 */
export function probeRequest(call: OidcCall, probe: ProbeSubject): TrustRequest {
  const prefix = call.issuer?.url.toLowerCase();
  if (prefix === undefined) return fullProbeRequest(call, probe);
  const subKey = `${prefix}:sub`;
  const audKey = `${prefix}:aud`;
  let full: TrustRequest | null = null;
  const sub: KeyLookup = { state: 'present', values: [probe.sub], origin: 'recorded' };
  const aud: KeyLookup | null =
    call.aud === null ? null : { state: 'present', values: [call.aud], origin: 'recorded' };
  return {
    action: WEB_IDENTITY_ACTION,
    principal: { type: 'Federated', id: call.provider ?? '' },
    lookup: (key) => {
      const lower = key.toLowerCase();
      if (lower === subKey) return sub;
      if (lower === audKey && aud !== null) return aud;
      full ??= fullProbeRequest(call, probe);
      return full.lookup(key);
    },
  };
}

function fullProbeRequest(call: OidcCall, probe: ProbeSubject): TrustRequest {
  const base = webIdentityRequest({
    provider: call.provider,
    issuer: call.issuer,
    aud: call.aud,
    sub: probe.sub,
    subject: parseSubject(probe.sub, call.issuer?.kind ?? null),
    roleSessionName: call.roleSessionName,
  });
  const claims = probe.claims;
  const prefix = call.issuer?.url.toLowerCase();
  if (claims === undefined || prefix === undefined) return base;
  const extra = new Map<string, KeyLookup>(
    Object.entries(claims).map(([claim, value]) => [
      `${prefix}:${claim}`,
      { state: 'present', values: [value], origin: 'derived' },
    ])
  );
  return { ...base, lookup: (key) => extra.get(key.toLowerCase()) ?? base.lookup(key) };
}

/** Every spelling of `owner` (any letter case) that appears in the policy's condition values. */
function ownerSpellingsIn(policy: TrustPolicy, owner: string): string[] {
  const lower = owner.toLowerCase();
  const found = new Set<string>([owner]);
  for (const st of policy.statements)
    for (const c of st.conditions)
      for (const v of c.values) {
        const at = v.toLowerCase().indexOf(lower);
        if (at >= 0) found.add(v.slice(at, at + owner.length));
      }
  return [...found];
}

/**
 * `true` when the original policy admits (or may admit) another repository of the job's owner,
 * in any spelling of the owner it uses.
 */
function admitsOwner(call: OidcCall, subject: Subject, original: TrustPolicy): boolean {
  const owner = subjectOwner(subject);
  if (owner === null) return false;
  // An immutable subject's owner is admitted by a name-based owner-wide pattern too.
  const forms = subject.immutable
    ? [subject, parseSubject(stripSubjectIds(subject.raw), subject.issuerKind)]
    : [subject];
  for (const form of forms)
    for (const spelling of ownerSpellingsIn(original, owner)) {
      const probe = probeSubjects(form, spelling).find((p) => p.distance === 'owner');
      if (probe === undefined) continue;
      if (originalOutcome(original, call, probe) !== 'deny') return true;
    }
  return false;
}

/**
 * What `patched` newly admits compared with `original`, over the probes around the call's subject.
 *
 * @param ownerBaseline - the call as the original policy was written for (another provider or
 *   issuer), on which "the policy already admits the owner" is judged
 * @param ownerPolicy - the policy on which "already admits the owner" is judged: the original,
 *   or, for a document IAM would reject as written, the corrected one (what its author wrote)
 *
 * @example
 * ```ts
 * const radius = blastRadius(call, original, patched);
 * radius.scope; // 'call' when only subjects like the recorded one are newly admitted
 * ```
 */
export function blastRadius(
  call: OidcCall,
  original: TrustPolicy,
  patched: TrustPolicy,
  ownerBaseline: OidcCall = call,
  additive = false,
  ownerPolicy: TrustPolicy = original
): BlastRadius {
  const subject = call.subject;
  if (subject === null)
    return { scope: 'call', probes: [], newlyAdmitted: [], ownerAdmitted: false };
  const probes: BlastProbe[] = [];
  const newlyAdmitted: string[] = [];
  let scope: BlastScope = 'call';
  for (const p of probeSubjects(subject)) {
    const request = probeRequest(call, p);
    const after = outcomeOf(evaluateTrustPolicy(patched, request));
    // An additive patch admits a superset: what it denies, the original denied.
    const before =
      additive && after === 'deny' ? 'deny' : originalOutcome(original, call, p, request);
    probes.push({ label: p.label, sub: p.sub, before, after });
    // Another workflow with the very same sub is the call itself as far as the policy's sub goes.
    if (RANK[after] <= RANK[before] || after === 'deny' || p.sub === subject.raw) continue;
    newlyAdmitted.push(p.label);
    if (SCOPES.indexOf(p.distance) > SCOPES.indexOf(scope)) scope = p.distance;
  }
  return {
    scope,
    probes,
    newlyAdmitted,
    ownerAdmitted: admitsOwner(ownerBaseline, subject, ownerPolicy),
  };
}

/** An account no one has: a role of it stands for "a role of another account". */
const PROBE_ACCOUNT = '000000000000';

/** `allow` when `policy` lets `principal` perform every action of `actions`. */
function chainOutcome(policy: TrustPolicy, principal: string, actions: readonly string[]) {
  let worst: ProbeOutcome = 'allow';
  for (const action of actions) {
    const outcome = outcomeOf(evaluateTrustPolicy(policy, awsPrincipalRequest(action, principal)));
    if (RANK[outcome] < RANK[worst]) worst = outcome;
  }
  return worst;
}

/**
 * The blast radius of a patch for a chained `AssumeRole` (an AWS principal, not a token): the
 * original and the patched policy evaluated, for every action the chain needs, on the session's
 * own role and on probe principals (another role of its account, the account itself, a role of
 * another account). Anything newly admitted beyond the session's role is `wider`.
 *
 * @example
 * ```ts
 * principalBlastRadius(original, patched, 'arn:aws:iam::111122223333:role/gha-base', ['sts:AssumeRole', 'sts:TagSession']).scope;
 * // 'call' when only gha-base gains anything
 * ```
 */
export function principalBlastRadius(
  original: TrustPolicy,
  patched: TrustPolicy,
  principal: string,
  actions: readonly string[]
): BlastRadius {
  const account = arnAccount(principal) ?? PROBE_ACCOUNT;
  const name = principal.slice(principal.lastIndexOf('/') + 1);
  const others = [
    { label: `another role of account ${account}`, sub: `arn:aws:iam::${account}:role/${PROBE}` },
    { label: `account ${account} itself (its root)`, sub: `arn:aws:iam::${account}:root` },
    {
      label: 'a role of the same name in another account',
      sub: `arn:aws:iam::${account === PROBE_ACCOUNT ? '000000000001' : PROBE_ACCOUNT}:role/${name}`,
    },
  ];
  const probes: BlastProbe[] = [];
  const newlyAdmitted: string[] = [];
  for (const p of others) {
    const before = chainOutcome(original, p.sub, actions);
    const after = chainOutcome(patched, p.sub, actions);
    probes.push({ label: p.label, sub: p.sub, before, after });
    if (after !== 'deny' && RANK[after] > RANK[before]) newlyAdmitted.push(p.label);
  }
  return {
    scope: newlyAdmitted.length === 0 ? 'call' : 'wider',
    probes,
    newlyAdmitted,
    ownerAdmitted: false,
  };
}

/** `true` when the radius stays within the job's repository, or an owner the policy already admits. */
export function radiusAllowed(radius: BlastRadius): boolean {
  return (
    radius.scope === 'call' ||
    radius.scope === 'repository' ||
    (radius.scope === 'owner' && radius.ownerAdmitted)
  );
}
