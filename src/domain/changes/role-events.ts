/**
 * `UpdateAssumeRolePolicy`, `CreateRole` and `DeleteRole` records as role changes. The new trust
 * policy is in the request (`policyDocument`, `assumeRolePolicyDocument`; `CreateRole`'s response
 * repeats it URL-encoded); the old one is never in the event.
 */
import { child, type JsonObject } from '../input/record-fields.js';
import { param, paramObject, paramText, partitionOf } from './change-fields.js';
import type { ChangeCommon, RoleChange, RoleState } from './change-types.js';
import { policyDocumentOf } from './policy-document.js';

const EXISTS_UNKNOWN_POLICY: RoleState = { exists: true, trustPolicy: null };
const ABSENT: RoleState = { exists: false, trustPolicy: null };

/**
 * The change of one role event, or the reason it cannot be read.
 *
 * @param common - the fields every change shares, already read
 */
export function readRoleEvent(record: JsonObject, common: ChangeCommon): RoleChange | string {
  const request = child(record, 'requestParameters');
  const created = paramObject(child(record, 'responseElements'), 'role');
  const name = paramText(request, 'roleName') ?? paramText(created, 'roleName');
  if (name === null)
    return `${common.eventName} record ${common.eventId ?? 'without eventID'} has no requestParameters.roleName`;
  const arn =
    paramText(created, 'arn') ??
    `arn:${partitionOf(common.actor)}:iam::${common.account}:role/${name}`;
  const target = { kind: 'role', account: common.account, name, arn } as const;
  switch (common.eventName) {
    case 'CreateRole': {
      const policy =
        policyDocumentOf(param(request, 'assumeRolePolicyDocument')) ??
        policyDocumentOf(param(created, 'assumeRolePolicyDocument'));
      return { ...common, target, before: ABSENT, after: { exists: true, trustPolicy: policy } };
    }
    case 'DeleteRole':
      // DeleteRole fails with NoSuchEntity for a role that does not exist: it existed.
      return { ...common, target, before: EXISTS_UNKNOWN_POLICY, after: ABSENT };
    default: {
      const policy = policyDocumentOf(param(request, 'policyDocument'));
      return {
        ...common,
        target,
        before: EXISTS_UNKNOWN_POLICY,
        after: { exists: true, trustPolicy: policy },
      };
    }
  }
}

/** `true` for the role events. */
export function isRoleEvent(eventName: string): boolean {
  return (
    eventName === 'UpdateAssumeRolePolicy' ||
    eventName === 'CreateRole' ||
    eventName === 'DeleteRole'
  );
}
