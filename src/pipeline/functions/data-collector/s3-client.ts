/**
 * One S3 client per configuration, kept across warm invocations as Lambda advises. Where
 * AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) points the SDK at another S3 (Stepwise, an emulator),
 * buckets are addressed path-style: such servers have no virtual-host names for buckets.
 */
import { S3Client } from '@aws-sdk/client-s3';

let cached: { signature: string; client: S3Client } | undefined;

export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  const signature = JSON.stringify([endpoint, env['AWS_REGION'], env['AWS_ACCESS_KEY_ID'], env['AWS_SECRET_ACCESS_KEY'], env['AWS_SESSION_TOKEN']]);
  if (cached?.signature !== signature) {
    cached?.client.destroy();
    cached = { signature, client: new S3Client({ forcePathStyle: Boolean(endpoint) }) };
  }
  return cached.client;
}
