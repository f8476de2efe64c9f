/**
 * The EventBridge patterns the monitor's rules use, as plain objects. Infra builds the rules from
 * these and the tests match real-shaped envelopes against them: one definition, two users.
 */

/**
 * Failed `AssumeRoleWithWebIdentity` calls, from any web identity provider. The provider is not
 * filtered here: the bare-issuer shape and non-GitHub issuers are classified in code, and an
 * `identityProvider` filter would drop them (reference §3.3).
 */
export const WEB_IDENTITY_FAILURE_PATTERN = {
  source: ['aws.sts'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['sts.amazonaws.com'],
    eventName: ['AssumeRoleWithWebIdentity'],
    errorCode: [{ exists: true }],
  },
} as const;

/**
 * Failed chained `AssumeRole` calls made by sessions that came from web identity (the
 * `sts:TagSession` case). Only such sessions carry `webIdFederationData`.
 */
export const CHAINED_ASSUME_ROLE_FAILURE_PATTERN = {
  source: ['aws.sts'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['sts.amazonaws.com'],
    eventName: ['AssumeRole'],
    errorCode: [{ exists: true }],
    userIdentity: {
      type: ['AssumedRole'],
      sessionContext: { webIdFederationData: { federatedProvider: [{ exists: true }] } },
    },
  },
} as const;

/**
 * The rule state both rules need: `AssumeRoleWithWebIdentity` and `AssumeRole` are read-only
 * management events, which a plain `ENABLED` rule does not receive.
 */
export const RULE_STATE = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
