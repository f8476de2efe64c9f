/**
 * The words of a change annotation: what changed, how long before the failure, by whom, and what
 * that removed — the sentence on-call reads first.
 */
import type { PolicyDelta } from '../types.js';
import { type ConfigurationChange, isProviderChange } from './change-types.js';

/** `12 min`, `3 h`, `2 days`: the gap between a change and a failure. */
export function formatGap(minutes: number): string {
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / (24 * 60))} days`;
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `\`${v}\``).join(', ');
}

/** What happened, as the subject of the sentence. */
function what(change: ConfigurationChange): string {
  if (isProviderChange(change)) {
    const url = change.target.url;
    switch (change.type) {
      case 'PROVIDER_CREATED':
        return `The OIDC provider ${url} was created`;
      case 'PROVIDER_DELETED':
        return `The OIDC provider ${url} was deleted`;
      case 'PROVIDER_THUMBPRINT_UPDATED':
        return `The thumbprints of the OIDC provider ${url} were replaced`;
      case 'PROVIDER_CLIENT_ID_ADDED':
        return `Client ID \`${change.after.withClientIds.at(-1) ?? '?'}\` was added to the OIDC provider ${url}`;
      default:
        return `Client ID \`${change.after.withoutClientIds.at(-1) ?? '?'}\` was removed from the OIDC provider ${url}`;
    }
  }
  const name = change.target.name;
  if (change.type === 'ROLE_DELETED') return `Role ${name} was deleted`;
  if (change.type === 'ROLE_CREATED')
    return change.before.exists === true
      ? `Role ${name} was deleted and created again`
      : `Role ${name} was created`;
  return `The trust policy of role ${name} changed`;
}

function deltaWords(d: PolicyDelta): string {
  const where =
    d.element === 'Condition'
      ? `${d.effect === 'Deny' ? 'a Deny statement’s ' : ''}${d.operator} ${d.key}`
      : d.element === 'ClientIDList'
        ? 'the client IDs'
        : `${d.effect === 'Deny' ? 'Deny ' : ''}${d.element}`;
  if (d.removed.length > 0) return `removed ${quoted(d.removed)} from ${where}`;
  return `added ${quoted(d.added)} to ${where}`;
}

/**
 * The annotation sentence.
 *
 * @param relevant - the parts of the change that turned the call away (empty: not told apart)
 *
 * @example
 * ```ts
 * changeSummary(change, { minutesBefore: 4, verdict: 'explains', relevant });
 * // 'The trust policy of role deploy changed 4 min before this failure (UpdateAssumeRolePolicy at
 * //  2026-11-27T14:00:00Z by arn:aws:iam::111122223333:user/alice); the change removed
 * //  `repo:acme/api:ref:refs/heads/main` from StringEquals token.actions.githubusercontent.com:sub.'
 * ```
 */
export function changeSummary(
  change: ConfigurationChange,
  opts: {
    readonly minutesBefore: number;
    readonly verdict: 'explains' | 'unverified';
    readonly relevant: readonly PolicyDelta[];
  }
): string {
  const head =
    `${what(change)} ${formatGap(opts.minutesBefore)} before this failure ` +
    `(${change.eventName} at ${change.eventTime} by ${change.actor ?? 'an unknown caller'})`;
  if (opts.verdict === 'unverified')
    return `${head}; the configuration before it is unknown to oidcwatch, so whether this change caused the failure cannot be told.`;
  if (opts.relevant.length > 0)
    return `${head}; the change ${opts.relevant.map(deltaWords).join(' and ')}.`;
  return `${head}; the configuration before it admitted these claims, the one after it does not.`;
}
