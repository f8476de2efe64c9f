/**
 * SDK clients of `backfill`, configured from the command's environment: `AWS_ENDPOINT_URL` (or
 * the service's `AWS_ENDPOINT_URL_<SERVICE>`), static credentials when the environment has them,
 * otherwise the default credential chain. CloudTrail's client never retries by itself: the
 * LookupEvents adapter retries through its rate limiter.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

type Env = Readonly<Record<string, string | undefined>>;

function common(region: string, env: Env, service: 'CLOUDTRAIL' | 'CLOUDWATCH') {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return {
    region,
    // An unreachable endpoint should fail fast (exit 2), not hang.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } }
      : {}),
  };
}

/** The CloudTrail client of a Region (no SDK retries). */
export function cloudTrailClient(region: string, env: Env): CloudTrailClient {
  return new CloudTrailClient({ ...common(region, env, 'CLOUDTRAIL'), maxAttempts: 1 });
}

/**
 * The CloudWatch client of a Region (the SDK's standard retries, throttling included). The SDK
 * gzips large `PutMetricData` bodies; `AWS_DISABLE_REQUEST_COMPRESSION=true` (the SDK's own
 * setting) turns that off, for emulators that cannot read them (moto_server 5.2).
 */
export function cloudWatchClient(region: string, env: Env): CloudWatchClient {
  return new CloudWatchClient({
    ...common(region, env, 'CLOUDWATCH'),
    maxAttempts: 5,
    disableRequestCompression: env.AWS_DISABLE_REQUEST_COMPRESSION === 'true',
  });
}
