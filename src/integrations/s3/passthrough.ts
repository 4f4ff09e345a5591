/**
 * S3 tasks passed through to another S3 (real AWS, or an emulator) with the AWS SDK
 * (`@aws-sdk/client-s3`, loaded when first used; path-style addressing, so any endpoint URL
 * works). Outputs come back as the local buckets give them (bodies as bytes, dates as Date), and
 * the remote service's errors as S3Errors with its code, message and status, so a task fails with
 * the same names as against the local buckets. (Its notifications are the remote service's.)
 */
import { S3Error } from './errors.js';
import type { S3Input, S3Output } from './input.js';
import type { S3Backend } from './local-s3.js';

export interface RemoteS3Options {
  endpoint: string;
  region?: string;
  /** Default: the SDK's credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Default true: `<endpoint>/<bucket>/<key>`, which emulators and any host name accept. */
  forcePathStyle?: boolean;
}

type Sdk = typeof import('@aws-sdk/client-s3');
type Client = InstanceType<Sdk['S3Client']>;
type CommandClass = new (input: object) => Parameters<Client['send']>[0];

export function remoteS3(opts: RemoteS3Options): S3Backend & { close(): void } {
  let loaded: Promise<{ sdk: Sdk; client: Client }> | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        endpoint: opts.endpoint,
        region: opts.region ?? 'us-east-1',
        forcePathStyle: opts.forcePathStyle ?? true,
        ...(opts.credentials ? { credentials: opts.credentials } : {}),
      }),
    })));
  return {
    async call(operation: string, input: S3Input): Promise<S3Output> {
      const { sdk, client } = await load();
      const Command = (sdk as unknown as Record<string, unknown>)[`${operation}Command`] as CommandClass | undefined;
      if (typeof Command !== 'function') throw new S3Error('NotImplemented', `The AWS SDK has no S3 operation ${operation}`, 501);
      try {
        const out = (await client.send(new Command(input))) as unknown as S3Output;
        delete out['$metadata'];
        const body = out['Body'] as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
        if (body && typeof body.transformToByteArray === 'function') out['Body'] = await body.transformToByteArray();
        return out;
      } catch (err) {
        const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode;
        if (typeof status !== 'number') throw err;
        // A HEAD answer has no body: the SDK names a 404 NotFound; S3's code is what the operation looks for.
        const code = e.name === 'NotFound' || (status === 404 && e.name === 'UnknownError') ? (operation === 'HeadBucket' ? 'NoSuchBucket' : 'NoSuchKey') : (e.Code ?? e.name ?? 'S3Exception');
        throw new S3Error(code, e.message ?? '', status);
      }
    },
    close() {
      void loaded?.then(({ client }) => client.destroy());
    },
  };
}
