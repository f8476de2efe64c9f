/**
 * IAM configuration changes that can break (or fix) OIDC role assumptions: trust policies, roles
 * and OIDC providers. The event names and change types are public codes: the change types are the
 * values of the `ChangeType` metric dimension, so they are few and never renamed.
 */
import type { PolicyDelta } from '../types.js';

/** The IAM API calls whose CloudTrail records the monitor reads as configuration changes. */
export const CHANGE_EVENT_NAMES = [
  'UpdateAssumeRolePolicy',
  'CreateRole',
  'DeleteRole',
  'CreateOpenIDConnectProvider',
  'DeleteOpenIDConnectProvider',
  'UpdateOpenIDConnectProviderThumbprint',
  'AddClientIDToOpenIDConnectProvider',
  'RemoveClientIDFromOpenIDConnectProvider',
] as const;

/** One of {@link CHANGE_EVENT_NAMES}. */
export type ChangeEventName = (typeof CHANGE_EVENT_NAMES)[number];

/** Change types: the bounded values of the `ChangeType` dimension, one per event name. */
export const CHANGE_TYPES = [
  'TRUST_POLICY_UPDATED',
  'ROLE_CREATED',
  'ROLE_DELETED',
  'PROVIDER_CREATED',
  'PROVIDER_DELETED',
  'PROVIDER_THUMBPRINT_UPDATED',
  'PROVIDER_CLIENT_ID_ADDED',
  'PROVIDER_CLIENT_ID_REMOVED',
] as const;

/** One of {@link CHANGE_TYPES}. */
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** The change type of each event name. */
export const CHANGE_TYPE_OF: Readonly<Record<ChangeEventName, ChangeType>> = {
  UpdateAssumeRolePolicy: 'TRUST_POLICY_UPDATED',
  CreateRole: 'ROLE_CREATED',
  DeleteRole: 'ROLE_DELETED',
  CreateOpenIDConnectProvider: 'PROVIDER_CREATED',
  DeleteOpenIDConnectProvider: 'PROVIDER_DELETED',
  UpdateOpenIDConnectProviderThumbprint: 'PROVIDER_THUMBPRINT_UPDATED',
  AddClientIDToOpenIDConnectProvider: 'PROVIDER_CLIENT_ID_ADDED',
  RemoveClientIDFromOpenIDConnectProvider: 'PROVIDER_CLIENT_ID_REMOVED',
};

/** A role, by account and name (IAM role names are unique regardless of case). */
export interface RoleTarget {
  readonly kind: 'role';
  readonly account: string;
  readonly name: string;
  /** The role ARN: exact when the event names it (`CreateRole`), else built without a path. */
  readonly arn: string;
}

/** An OIDC provider, by account and URL. */
export interface ProviderTarget {
  readonly kind: 'provider';
  readonly account: string;
  /** Provider URL without scheme, as in its ARN and condition keys. */
  readonly url: string;
  readonly arn: string;
}

/** A role as a change left it, or found it. `null` fields are unknown. */
export interface RoleState {
  readonly exists: boolean | null;
  /** The trust policy document (an object, or the text the event carried when unreadable). */
  readonly trustPolicy: unknown | null;
}

/**
 * A provider as a change left it, or found it. `null` fields are unknown; when the whole client
 * list is unknown, `withClientIds`/`withoutClientIds` still say what the change proves.
 */
export interface ProviderState {
  readonly exists: boolean | null;
  readonly clientIds: readonly string[] | null;
  /** Client IDs certainly in the list (`AddClientIDToOpenIDConnectProvider`). */
  readonly withClientIds: readonly string[];
  /** Client IDs certainly not in the list (`RemoveClientIDFromOpenIDConnectProvider`). */
  readonly withoutClientIds: readonly string[];
  readonly thumbprints: readonly string[] | null;
}

/** Where the configuration before a change was learnt. */
export type BeforeSource = 'event' | 'iam-cache' | 'previous-change';

/** What every change carries. */
export interface ChangeCommon {
  readonly eventId: string | null;
  /** CloudTrail `eventTime` (ISO 8601). */
  readonly eventTime: string;
  readonly eventName: ChangeEventName;
  readonly type: ChangeType;
  readonly account: string;
  /** `awsRegion` (us-east-1 for IAM, a global service). */
  readonly region: string | null;
  /** Who made the change: the caller's ARN, else the service that called on its behalf. */
  readonly actor: string | null;
  readonly userAgent: string | null;
  /**
   * Where `before` came from: `event` when only the event's own semantics are known (e.g. a
   * created role did not exist before), else the processor's IAM cache or the previous change.
   */
  readonly beforeFrom: BeforeSource;
  /** The change element by element; `null` while the configuration before it is unknown. */
  readonly diff: readonly PolicyDelta[] | null;
}

/** A change of a role (its trust policy, its creation or deletion). */
export interface RoleChange extends ChangeCommon {
  readonly target: RoleTarget;
  readonly before: RoleState;
  readonly after: RoleState;
}

/** A change of an OIDC provider. */
export interface ProviderChange extends ChangeCommon {
  readonly target: ProviderTarget;
  readonly before: ProviderState;
  readonly after: ProviderState;
}

/** One IAM configuration change, read from its CloudTrail record. */
export type ConfigurationChange = RoleChange | ProviderChange;

/** What reading a record as a configuration change gave. */
export type ChangeReadOutcome =
  | { readonly kind: 'change'; readonly change: ConfigurationChange }
  | {
      readonly kind: 'ignored' | 'malformed';
      readonly eventId: string | null;
      readonly eventTime: string | null;
      readonly reason: string;
    }
  /** Not an IAM configuration event at all: another reader's business. */
  | { readonly kind: 'other' };

/** A provider state with nothing known. */
export const UNKNOWN_PROVIDER: ProviderState = {
  exists: null,
  clientIds: null,
  withClientIds: [],
  withoutClientIds: [],
  thumbprints: null,
};

/** `true` for a change of an OIDC provider (else it is a role's). */
export function isProviderChange(change: ConfigurationChange): change is ProviderChange {
  return change.target.kind === 'provider';
}
