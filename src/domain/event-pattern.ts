/**
 * The EventBridge patterns the monitor's rules use, as plain objects. Infra builds the rules from
 * these and the tests match real-shaped envelopes against them: one definition, two users.
 */

import { CHANGE_EVENT_NAMES } from './changes/change-types.js';

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

/**
 * Successful IAM configuration changes that can break (or fix) OIDC role assumptions: trust
 * policies, roles and OIDC providers (`src/domain/changes/change-types.ts`). IAM is global: these
 * events are delivered in us-east-1 only, so a monitor elsewhere receives them through the
 * us-east-1 forwarders. A failed call changed nothing, so `errorCode` must be absent.
 */
export const IAM_CONFIGURATION_CHANGE_PATTERN = {
  source: ['aws.iam'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['iam.amazonaws.com'],
    eventName: [...CHANGE_EVENT_NAMES],
    errorCode: [{ exists: false }],
  },
} as const;

/**
 * The state of the configuration-change rules: these are write events, which a plain `ENABLED`
 * rule receives (the read-only state would only widen what the rule is offered).
 */
export const CONFIGURATION_CHANGE_RULE_STATE = 'ENABLED';

/** Where IAM, a global service, delivers its CloudTrail events to EventBridge. */
export const IAM_EVENTS_REGION = 'us-east-1';
