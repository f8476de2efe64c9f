/**
 * SDK clients of `backfill`, configured from the command's environment: `AWS_ENDPOINT_URL` (or
 * the service's `AWS_ENDPOINT_URL_<SERVICE>`), static credentials when the environment has them,
 * otherwise the default credential chain. CloudTrail's client never retries by itself: the
 * LookupEvents adapter retries through its rate limiter.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { clientConfigFromEnv } from '../../adapters/aws-client-config.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The CloudTrail client of a Region (no SDK retries). */
export function cloudTrailClient(region: string, env: Env): CloudTrailClient {
  return new CloudTrailClient({
    ...clientConfigFromEnv(env, 'CLOUDTRAIL', 60_000),
    region,
    maxAttempts: 1,
  });
}

/**
 * The CloudWatch client of a Region (the SDK's standard retries, throttling included). The SDK
 * gzips large `PutMetricData` bodies; `AWS_DISABLE_REQUEST_COMPRESSION=true` (the SDK's own
 * setting) turns that off, for emulators that cannot read them (moto_server 5.2).
 */
export function cloudWatchClient(region: string, env: Env): CloudWatchClient {
  return new CloudWatchClient({
    ...clientConfigFromEnv(env, 'CLOUDWATCH', 60_000),
    region,
    maxAttempts: 5,
    disableRequestCompression: env.AWS_DISABLE_REQUEST_COMPRESSION === 'true',
  });
}
