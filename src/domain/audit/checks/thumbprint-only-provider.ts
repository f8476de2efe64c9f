/**
 * `THUMBPRINT_ONLY_PROVIDER` (informational): a provider for an issuer IAM is not known to verify
 * through its library of trusted root CAs. Unless the issuer's certificate chains to one of those
 * CAs, IAM checks it only against the configured thumbprints, and a certificate rotation makes every
 * assumption fail (`THUMBPRINT_MISMATCH`), an error CloudTrail may never record.
 * {@link https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateOpenIDConnectProviderThumbprint.html | UpdateOpenIDConnectProviderThumbprint}
 */
import type { ProviderCheck } from './check.js';

/** Issuers IAM verifies through its trusted root CAs (the thumbprint is kept but not used). */
const TRUST_STORE_HOSTS = [
  /^token\.actions\.githubusercontent\.com$/,
  /^token\.actions\.[a-z0-9-]+\.ghe\.com$/,
  /^gitlab\.com$/,
  /^accounts\.google\.com$/,
  /(^|\.)auth0\.com$/,
  /\.amazonaws\.com(\.cn)?$/,
];

function hostOf(url: string): string {
  const slash = url.indexOf('/');
  return (slash < 0 ? url : url.slice(0, slash)).toLowerCase();
}

/** Flags providers whose issuer may be verified by thumbprint alone. */
export const thumbprintOnlyProvider: ProviderCheck = (provider) => {
  const host = hostOf(provider.url);
  if (TRUST_STORE_HOSTS.some((re) => re.test(host))) return [];
  const prints = provider.thumbprints.length > 0 ? provider.thumbprints.join(', ') : 'none';
  return [
    {
      code: 'THUMBPRINT_ONLY_PROVIDER',
      detail: null,
      providerArn: provider.arn,
      severity: 'info',
      statement: null,
      message: `"${provider.url}" is not an issuer IAM is known to verify through its trusted root CAs (GitHub.com, GitLab.com, Google, Auth0, AWS-hosted). Unless its TLS certificate chains to one of those CAs (a private CA, common for GitHub Enterprise Server, does not), IAM trusts it only by the thumbprints (${prints}), and a certificate rotation makes every assumption fail with THUMBPRINT_MISMATCH.`,
      reason:
        'Nothing is wrong now; a future certificate rotation breaks every assumption, with an error CloudTrail may never record.',
      fix: `Before the issuer rotates its certificate, add the new CA thumbprint: aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${provider.arn} --thumbprint-list …`,
    },
  ];
};
