/**
 * DynamoDB tasks passed through to another DynamoDB (real AWS, or an emulator) with the AWS SDK
 * (`@aws-sdk/client-dynamodb`, loaded when first used). Step Functions passes binaries as base64
 * text and the SDK wants bytes: requests and responses are converted at this boundary. The
 * remote service's errors come back as DynamoDbErrors with its code, message and status, so the
 * task fails with the same names as against the local tables.
 */
import { DynamoDbError } from './errors.js';
import type { DynamoDbBackend } from './task-integration.js';

export interface RemoteDynamoDbOptions {
  endpoint: string;
  region?: string;
  /** Default: the SDK's credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

type Sdk = typeof import('@aws-sdk/client-dynamodb');
type CommandClass = new (input: object) => Parameters<InstanceType<Sdk['DynamoDBClient']>['send']>[0];

export function remoteDynamoDb(opts: RemoteDynamoDbOptions): DynamoDbBackend & { close(): void } {
  let loaded: Promise<{ sdk: Sdk; client: InstanceType<Sdk['DynamoDBClient']> }> | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-dynamodb').then((sdk) => ({
      sdk,
      client: new sdk.DynamoDBClient({ endpoint: opts.endpoint, region: opts.region ?? 'us-east-1', ...(opts.credentials ? { credentials: opts.credentials } : {}) }),
    })));
  return {
    async call(operation, input) {
      const { sdk, client } = await load();
      const Command = (sdk as unknown as Record<string, unknown>)[`${operation}Command`] as CommandClass | undefined;
      if (typeof Command !== 'function') throw new DynamoDbError('UnknownOperationException', `The AWS SDK has no DynamoDB operation ${operation}`);
      try {
        const out = (await client.send(new Command(toSdk(input) as object))) as unknown as Record<string, unknown>;
        delete out['$metadata'];
        return fromSdk(out) as Record<string, unknown>;
      } catch (err) {
        const e = err as { name?: string; message?: string; Item?: unknown; $metadata?: { httpStatusCode?: number } };
        if (typeof e.$metadata?.httpStatusCode !== 'number') throw err;
        const item = e.Item === undefined ? {} : { Item: fromSdk(e.Item) as Record<string, never> };
        throw new DynamoDbError(e.name ?? 'DynamoDbException', e.message ?? '', item, e.$metadata.httpStatusCode);
      }
    },
    close() {
      void loaded?.then(({ client }) => client.destroy());
    },
  };
}

/** Base64 text of `B` and `BS` attribute values to bytes. */
function toSdk(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toSdk);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && typeof o['B'] === 'string') return { B: Buffer.from(o['B'], 'base64') };
  if (keys.length === 1 && Array.isArray(o['BS']) && o['BS'].every((e) => typeof e === 'string')) return { BS: (o['BS'] as string[]).map((e) => Buffer.from(e, 'base64')) };
  return Object.fromEntries(keys.map((k) => [k, toSdk(o[k])]));
}

/** Bytes to base64 text and dates to epoch seconds, as Step Functions shows SDK responses. */
function fromSdk(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(fromSdk);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, fromSdk(x)]));
}
