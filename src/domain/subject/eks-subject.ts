/**
 * EKS IAM Roles for Service Accounts subjects: `system:serviceaccount:NAMESPACE:NAME`.
 */
import type { Subject } from '../types.js';
import { buildSubject } from './subject-builder.js';

const SERVICE_ACCOUNT_SUB = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * Parses an EKS service-account subject. A pod names no repository, so `repository` is `null`;
 * `claims` holds `namespace` and `service_account`.
 *
 * @param sub - the subject as recorded
 * @returns the subject (form `service-account`), or `null` when the string is not one
 *
 * @example
 * ```ts
 * parseEksSubject('system:serviceaccount:harbor:registry')?.claims;
 * // { namespace: 'harbor', service_account: 'registry' }
 * ```
 */
function parseEksSubject(sub: string): Subject | null {
  const match = SERVICE_ACCOUNT_SUB.exec(sub);
  if (!match) return null;
  const [, namespace = '', serviceAccount = ''] = match;
  return buildSubject(sub, 'eks', {
    form: 'service-account',
    claims: { namespace, service_account: serviceAccount },
  });
}

export { parseEksSubject };
