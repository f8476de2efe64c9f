/**
 * Remedies on the account's IAM OIDC provider (create it, add a client ID, update its thumbprint)
 * and on the audience the job requests, each checked against the role's trust policy: a provider
 * fix that would still leave the call denied says so.
 */
import type { TrustPolicy } from '../policy/parse-policy.js';
import type { OidcCall, OidcProviderInfo } from '../types.js';
import { admitted } from './call-admitted.js';
import { audienceSetting } from './issuer-advice.js';
import { makeRemedy, setInWorkflow } from './make-remedy.js';
import type { Remedy } from './remedy-types.js';

/** The client ID a new provider should list for the call's issuer. */
function clientIdFor(call: OidcCall): string {
  if (call.aud !== null && call.aud !== '') return call.aud;
  if (call.issuer?.kind === 'gitlab') return `https://${call.issuer.url}`;
  return 'sts.amazonaws.com';
}

/** `arn:<partition>:iam::<account>:oidc-provider/<url>`. */
function providerArnFor(call: OidcCall, url: string): string {
  const partition = (call.roleArn ?? call.provider ?? '').split(':')[1] || 'aws';
  return `arn:${partition}:iam::${call.account ?? 'ACCOUNT'}:oidc-provider/${url}`;
}

/**
 * Create the account's provider for the call's issuer.
 *
 * @example
 * ```ts
 * missingProviderRemedy(call, rolePolicy, 'token.actions.githubusercontent.com').command;
 * // 'aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com'
 * ```
 */
export function missingProviderRemedy(
  call: OidcCall,
  rolePolicy: TrustPolicy | null,
  url: string
): Remedy {
  const clientId = clientIdFor(call);
  const arn = providerArnFor(call, url);
  const command = `aws iam create-open-id-connect-provider --url https://${url} --client-id-list ${clientId}`;
  return makeRemedy(
    'provider',
    `Create the IAM OIDC provider for ${url} in account ${call.account ?? '?'} (client ID ${clientId}): ${command}`,
    {
      command,
      verification: admitted(
        rolePolicy,
        { ...call, provider: call.provider?.startsWith('arn:') ? call.provider : arn },
        `once ${arn} exists`
      ),
    }
  );
}

/**
 * Request an audience the provider lists (and the trust policy expects), or add the token's
 * audience to the provider's client IDs.
 */
export function clientIdRemedy(
  call: OidcCall,
  provider: OidcProviderInfo,
  rolePolicy: TrustPolicy | null
): Remedy {
  const aud = call.aud ?? '';
  const setting = audienceSetting(call.issuer?.kind ?? null);
  for (const listed of provider.clientIds) {
    if (setting === null) break;
    const check = admitted(rolePolicy, { ...call, aud: listed }, `with audience ${listed}`);
    if (!check.admitsCall || rolePolicy === null) continue;
    return makeRemedy(
      'workflow',
      `Request the audience the provider lists and the trust policy expects: set ${setting.where} to ${listed}${call.issuer?.kind === 'github' && listed === 'sts.amazonaws.com' ? ' (its default)' : ''}.`,
      { workflow: [setInWorkflow(setting.key, listed)], verification: check }
    );
  }
  const command = `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id ${aud}`;
  return makeRemedy(
    'provider',
    `Add the job's audience "${aud}" to the client IDs of ${provider.arn}: ${command}`,
    { command, verification: admitted(rolePolicy, call, `once the provider lists "${aud}"`) }
  );
}

/**
 * Request the audience the trust policy expects (the job asked for another, often GitHub's
 * default `https://github.com/<owner>`).
 */
export function requestAudienceRemedy(
  call: OidcCall,
  expected: readonly string[],
  rolePolicy: TrustPolicy,
  provider: OidcProviderInfo | null,
  statement: string
): Remedy | null {
  const setting = audienceSetting(call.issuer?.kind ?? null);
  if (setting === null) return null;
  const usable = expected.filter(
    (a) => !/[*?]/.test(a) && (provider === null || provider.clientIds.includes(a))
  );
  for (const aud of usable) {
    const check = admitted(rolePolicy, { ...call, aud }, `with audience ${aud}`);
    if (!check.admitsCall) continue;
    return makeRemedy(
      'workflow',
      `Request the audience statement ${statement} expects: set ${setting.where} to ${aud}${call.issuer?.kind === 'github' && aud === 'sts.amazonaws.com' ? ' (its default; the job overrides it or requests the token itself)' : ''}.`,
      { workflow: [setInWorkflow(setting.key, aud)], verification: check, statement }
    );
  }
  return null;
}

/** Update the provider's thumbprint (GitHub Enterprise Server and other issuers IAM does not trust by CA). */
export function thumbprintRemedy(
  call: OidcCall,
  provider: OidcProviderInfo | null,
  url: string
): Remedy {
  const arn = provider?.arn ?? providerArnFor(call, url);
  const command = `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${arn} --thumbprint-list <SHA-1 of the issuer's top intermediate CA certificate>`;
  return makeRemedy(
    'provider',
    `Update the thumbprint of ${arn} to the SHA-1 fingerprint of the top intermediate CA of https://${url}'s certificate chain: ${command}`,
    { command }
  );
}
