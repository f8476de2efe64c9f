/**
 * The families an `errorCode` other than AccessDenied decides (docs/causes.md, "Order of judgement"):
 * EXPIRED_TOKEN, IDP_ERROR (COMMUNICATION, REJECTED_CLAIM, VERIFICATION_KEY), INVALID_TOKEN (detail:
 * the message) and INVALID_REQUEST (DURATION_EXCEEDS_MAX_SESSION, INVALID_SESSION_NAME,
 * REGION_DISABLED). Messages are the ones STS really returns (reference §2).
 */
import { describe, expect, it } from 'vitest';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import { diagnose, failedView, githubTrustPolicy, iamView, role } from '../../helpers/iam-view.js';

const SUB = 'repo:acme-corp/payments-api:ref:refs/heads/main';
const PAYMENTS = role('payments-deploy', githubTrustPolicy(SUB));
const NO_IAM = failedView('no IAM source was given', 'none');

function failed(errorCode: string, errorMessage: string, extra: object = {}) {
  return failedWebIdentityRecord({
    sub: SUB,
    role: 'payments-deploy',
    errorCode,
    errorMessage,
    ...extra,
  });
}

describe('EXPIRED_TOKEN', () => {
  const message =
    'Token expired: current date/time 1795875896 must be before the expiration date/time1795875795';

  it('classifies ExpiredTokenException as EXPIRED_TOKEN and quotes STS', () => {
    // Prepare
    const record = failed('ExpiredTokenException', message);

    // Act
    const d = diagnose(record, iamView({ role: PAYMENTS }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['EXPIRED_TOKEN', null]);
    expect(d.explanation).toContain(`("${message}")`);
    expect(d.explanation).toContain("GitHub's OIDC tokens live 5 minutes");
    expect(d.fix).toContain('Fetch the token right before assuming the role');
  });

  it('classifies "Token too old" the same way, without IAM', () => {
    // Prepare
    const record = failed('ExpiredTokenException', 'Token too old: 441398');

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['EXPIRED_TOKEN', null]);
  });

  it('does not call an AccessDenied expired', () => {
    // Prepare
    const record = failed('AccessDenied', message);

    // Act
    const d = diagnose(record, iamView({ role: PAYMENTS }));

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('IDP_ERROR', () => {
  it('classifies IDPCommunicationError as IDP_ERROR/COMMUNICATION', () => {
    // Prepare
    const record = failed('IDPCommunicationError', 'The identity provider could not be reached.');

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['IDP_ERROR', 'COMMUNICATION']);
    expect(d.explanation).toBe(
      'STS could not reach the identity provider https://token.actions.githubusercontent.com to verify the token.'
    );
    expect(d.fix).toContain(
      'https://token.actions.githubusercontent.com/.well-known/openid-configuration is reachable'
    );
  });

  it('classifies IDPRejectedClaim as IDP_ERROR/REJECTED_CLAIM', () => {
    // Prepare
    const record = failed('IDPRejectedClaim', 'The claim has been revoked.');

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['IDP_ERROR', 'REJECTED_CLAIM']);
    expect(d.explanation).toContain("rejected the token's claim (expired or revoked)");
    expect(d.fix).toBe('Nothing to change in AWS: re-run the job to obtain a fresh token.');
  });

  it('classifies "Couldn\'t retrieve verification key" (double space and all) as IDP_ERROR/VERIFICATION_KEY', () => {
    // Prepare
    const record = failed(
      'InvalidIdentityToken',
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
    );

    // Act
    const d = diagnose(record, iamView({ role: PAYMENTS }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['IDP_ERROR', 'VERIFICATION_KEY']);
    expect(d.explanation).toBe(
      'STS could not retrieve the verification key (JWKS) from https://token.actions.githubusercontent.com.'
    );
    expect(d.fix).toContain(
      'Usually transient under parallel jobs; configure-aws-credentials retries it. If it persists, check that https://token.actions.githubusercontent.com/.well-known/openid-configuration and the JWKS it names are reachable from the internet.'
    );
  });

  it('names the enterprise issuer URL, not the public one', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: SUB,
      issuerUrl: 'token.actions.githubusercontent.com/acme-corp',
      errorCode: 'IDPCommunicationError',
      errorMessage: 'The identity provider could not be reached.',
    });

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect(d.explanation).toContain('https://token.actions.githubusercontent.com/acme-corp');
  });

  it('does not call a missing aud claim an IdP error', () => {
    // Prepare
    const record = failed('InvalidIdentityToken', 'Missing a required claim: aud');

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect(d.cause).not.toBe('IDP_ERROR');
  });
});

describe('INVALID_TOKEN', () => {
  it('classifies "Missing a required claim: aud" as INVALID_TOKEN with the message as detail', () => {
    // Prepare
    const record = failed('InvalidIdentityToken', 'Missing a required claim: aud');

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['INVALID_TOKEN', 'Missing a required claim: aud']);
    expect(d.explanation).toBe('STS rejected the token: "Missing a required claim: aud".');
    expect(d.fix).toContain('?audience=sts.amazonaws.com');
  });

  it('classifies any other InvalidIdentityToken as INVALID_TOKEN and points at doctor', () => {
    // Prepare
    const record = failed(
      'InvalidIdentityToken',
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
    );

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect(d.cause).toBe('INVALID_TOKEN');
    expect(d.detail).toBe(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
    );
    expect(d.fix).toContain('oidcwatch doctor');
  });

  it('does not treat the audience message as INVALID_TOKEN', () => {
    // Prepare
    const record = failed('InvalidIdentityToken', 'Incorrect token audience');

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect(d.cause).toBe('AUDIENCE_MISMATCH');
  });
});

describe('INVALID_REQUEST', () => {
  it('classifies a DurationSeconds above MaxSessionDuration as DURATION_EXCEEDS_MAX_SESSION with both numbers', () => {
    // Prepare
    const record = failed(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      { durationSeconds: 7200 }
    );

    // Act
    const d = diagnose(record, iamView({ role: PAYMENTS }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['INVALID_REQUEST', 'DURATION_EXCEEDS_MAX_SESSION']);
    expect(d.explanation).toBe(
      'The job asked for a 7200-second session, more than the MaxSessionDuration (3600 s) of arn:aws:iam::111122223333:role/payments-deploy.'
    );
    expect(d.fix).toBe(
      "Set `role-duration-seconds` of aws-actions/configure-aws-credentials to at most 3600 (the MaxSessionDuration of payments-deploy). Or raise the role's maximum: aws iam update-role --role-name payments-deploy --max-session-duration 7200"
    );
  });

  it('classifies a roleSessionName that fails the pattern as INVALID_SESSION_NAME', () => {
    // Prepare
    const record = failed(
      'ValidationError',
      "1 validation error detected: Value 'dependabot[bot]' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      { roleSessionName: 'dependabot[bot]' }
    );

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['INVALID_REQUEST', 'INVALID_SESSION_NAME']);
    expect(d.explanation).toContain("Value 'dependabot[bot]' at 'roleSessionName'");
    expect(d.fix).toContain(
      'Set `role-session-name` of aws-actions/configure-aws-credentials to a valid name such as dependabot-bot (2–64 characters of letters, digits and +=,.@-_), or upgrade configure-aws-credentials (it validates the name since May 2026); names such as dependabot[bot] contain brackets.'
    );
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.remedy?.workflow).toEqual([
      { key: 'with.role-session-name', value: 'dependabot-bot' },
    ]);
    expect(d.remedy?.verification?.withinLimits).toBe(true);
  });

  it('classifies RegionDisabledException as REGION_DISABLED with the region of the record', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: SUB,
      region: 'af-south-1',
      errorCode: 'RegionDisabledException',
      errorMessage:
        'STS is not activated in this region for account:111122223333. Your account administrator can activate STS in this region using the IAM Console.',
    });

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['INVALID_REQUEST', 'REGION_DISABLED']);
    expect(d.explanation).toBe('STS is not activated in af-south-1 for 111122223333.');
    expect(d.fix).toContain('Activate STS for af-south-1');
  });

  it('keeps another ValidationError as INVALID_REQUEST without a detail', () => {
    // Prepare
    const record = failed(
      'ValidationError',
      "1 validation error detected: Value 'x' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"
    );

    // Act
    const d = diagnose(record, NO_IAM);

    // Assess
    expect([d.cause, d.detail]).toEqual(['INVALID_REQUEST', null]);
    expect(d.fix).toBe('Correct the request parameter named in the message.');
  });

  it('does not read a ValidationError as anything else', () => {
    // Prepare
    const record = failed(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'
    );

    // Act
    const d = diagnose(record, iamView({ role: PAYMENTS }));

    // Assess
    expect(d.cause).toBe('INVALID_REQUEST');
    expect(d.trace).toBeNull();
  });
});
