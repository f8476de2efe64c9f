/**
 * Whether an EventBridge envelope's record belongs to the account that sent it. Every member
 * account may put events on the central bus, so a member could forge a record that names another
 * account and make the processor read that account's IAM (spending its read quota) or page about
 * it. EventBridge sets a CloudTrail event's `account` to the record's `recipientAccountId`, and an
 * `AssumeRoleWithWebIdentity` call is logged in the role's own account (the provider and the role
 * must share it); any other combination did not come from CloudTrail.
 */

/** A mismatch, in words, or `null` when the record is consistent. */
export function envelopeAccountMismatch(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const envelope = value as Record<string, unknown>;
  const detail = envelope.detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return null;
  const record = detail as Record<string, unknown>;
  const sender = typeof envelope.account === 'string' ? envelope.account : null;
  const recipient =
    typeof record.recipientAccountId === 'string' ? record.recipientAccountId : null;
  if (sender !== null && recipient !== null && sender !== recipient)
    return `the envelope's account ${sender} is not the record's recipientAccountId ${recipient}`;
  if (record.eventName !== 'AssumeRoleWithWebIdentity' || recipient === null) return null;
  const params = record.requestParameters;
  const roleArn =
    typeof params === 'object' && params !== null
      ? (params as Record<string, unknown>).roleArn
      : undefined;
  const roleAccount = typeof roleArn === 'string' ? roleArn.split(':')[4] : undefined;
  if (roleAccount !== undefined && roleAccount !== '' && roleAccount !== recipient)
    return `the role ${String(roleArn)} is not in the record's account ${recipient}`;
  return null;
}
