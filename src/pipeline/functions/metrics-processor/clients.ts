/**
 * One S3 and one DynamoDB client per configuration, kept across warm invocations as Lambda
 * advises. Where AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) points the SDK at another S3
 * (Stepwise, an emulator), buckets are addressed path-style.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

let cached: { signature: string; s3: S3Client; dynamodb: DynamoDBClient } | undefined;

export function clients(env: NodeJS.ProcessEnv = process.env): { s3: S3Client; dynamodb: DynamoDBClient } {
  const s3Endpoint = env['AWS_ENDPOINT_URL_S3'] ?? env['AWS_ENDPOINT_URL'];
  const signature = JSON.stringify([s3Endpoint, env['AWS_ENDPOINT_URL_DYNAMODB'], env['AWS_REGION'], env['AWS_ACCESS_KEY_ID'], env['AWS_SECRET_ACCESS_KEY'], env['AWS_SESSION_TOKEN']]);
  if (cached?.signature !== signature) {
    cached?.s3.destroy();
    cached?.dynamodb.destroy();
    cached = { signature, s3: new S3Client({ forcePathStyle: Boolean(s3Endpoint) }), dynamodb: new DynamoDBClient({}) };
  }
  return cached;
}
