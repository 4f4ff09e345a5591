/**
 * DynamoDB for Task states, as Step Functions calls it:
 * - the optimised integration `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`:
 *   the result is DynamoDB's response with the SDK's HTTP metadata (`SdkHttpMetadata`,
 *   `SdkResponseMetadata`), and errors are `DynamoDB.<Exception>` with the Java SDK v1's cause
 *   text (`... (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ...; Request ID: ...;
 *   Proxy: null)`); exceptions the SDK does not model (ValidationException) are
 *   `DynamoDB.AmazonDynamoDBException`;
 * - the AWS SDK integration `arn:aws:states:::aws-sdk:dynamodb:<action>`: the result is the SDK
 *   response as is, errors are `DynamoDb.<Exception>` with the Java SDK v2's cause text
 *   (`... (Service: DynamoDb, Status Code: 400, Request ID: ...)`), unmodelled ones
 *   `DynamoDb.DynamoDbException`.
 * (As recorded against AWS in the conformance cases, and AWS's "ServiceName.ErrorName" rule.)
 * Calls go to the local tables, or to a configured endpoint (passthrough.ts).
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { StatesError } from '../../asl/errors.js';
import type { Clock } from '../../engine/clock.js';
import type { TaskInvoker, TaskProgress } from '../../engine/local-run.js';
import type { Store } from '../../engine/store.js';
import type { TaskRequest } from '../../engine/types.js';
import { isObject, type Json } from '../../lib/json.js';
import { DynamoDbError } from './errors.js';
import { LocalDynamoDb, type LocalDynamoDbOptions } from './local-dynamodb.js';

/** Exceptions the AWS SDKs model for DynamoDB (the rest surface as the SDK's generic exception). */
const MODELED: ReadonlySet<string> = new Set([
  'ConditionalCheckFailedException',
  'ResourceNotFoundException',
  'ResourceInUseException',
  'ProvisionedThroughputExceededException',
  'ItemCollectionSizeLimitExceededException',
  'TransactionCanceledException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerErrorException',
  'IdempotentParameterMismatchException',
  'TableNotFoundException',
  'TableInUseException',
  'TableAlreadyExistsException',
  'BackupNotFoundException',
  'BackupInUseException',
  'IndexNotFoundException',
  'ReplicatedWriteConflictException',
]);

const OPTIMISED_ACTIONS: ReadonlySet<string> = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem']);

/** Where a call goes: the local tables, or another DynamoDB (see passthrough.ts). */
export interface DynamoDbBackend {
  call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface DynamoDbIntegrationOptions extends LocalDynamoDbOptions {
  /** Answers resources that are not DynamoDB's. */
  next?: TaskInvoker;
  /** The local tables to use (share one instance with the HTTP API: it queues writes per item). */
  local?: LocalDynamoDb;
  /** Send every call here instead of the local tables. */
  backend?: DynamoDbBackend;
}

export function localBackend(ddb: LocalDynamoDb): DynamoDbBackend {
  return { call: (operation, input) => ddb.call(operation, input) };
}

export function dynamoDbIntegration(store: Store, clock: Clock, opts: DynamoDbIntegrationOptions = {}): TaskInvoker {
  const backend = opts.backend ?? localBackend(opts.local ?? new LocalDynamoDb(store, clock, opts));
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      const target = parseResource(req.resource);
      if (!target) {
        if (opts.next) return opts.next.invoke(req, progress);
        throw new StatesError('States.TaskFailed', `No integration answers resource '${req.resource}'.`);
      }
      const operation = target.action.charAt(0).toUpperCase() + target.action.slice(1);
      const input = structuredClone(isObject(req.input) ? req.input : {}) as Record<string, unknown>;
      try {
        const out = await backend.call(operation, input);
        return (target.optimised ? withSdkMetadata(out, clock) : out) as Json;
      } catch (err) {
        if (err instanceof DynamoDbError) throw taskError(err, target.optimised);
        throw err;
      }
    },
  };
}

function parseResource(resource: string): { action: string; optimised: boolean } | undefined {
  const optimised = /^arn:aws:states:::dynamodb:([A-Za-z]+)$/.exec(resource);
  if (optimised) {
    const action = optimised[1] as string;
    if (!OPTIMISED_ACTIONS.has(action)) {
      throw new StatesError(
        'States.TaskFailed',
        `The optimised DynamoDB integration has no action '${action}' (it has getItem, putItem, updateItem, deleteItem); use arn:aws:states:::aws-sdk:dynamodb:${action}.`,
      );
    }
    return { action, optimised: true };
  }
  const sdk = /^arn:aws:states:::aws-sdk:dynamodb:([A-Za-z]+)$/.exec(resource);
  if (sdk) return { action: sdk[1] as string, optimised: false };
  if (/^arn:aws:states:::(aws-sdk:)?dynamodb:/.test(resource)) {
    throw new StatesError('States.TaskFailed', `Stepwise cannot run '${resource}': DynamoDB tasks support the request-response pattern only.`);
  }
  return undefined;
}

/** A request id like DynamoDB's: 52 characters of [A-Z0-9]. */
function requestId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(52), (b) => alphabet[b % alphabet.length]).join('');
}

export function taskError(e: DynamoDbError, optimised: boolean): StatesError {
  const id = requestId();
  if (e.code === 'UnknownOperationException') return new StatesError('States.TaskFailed', e.message);
  if (optimised) {
    const name = MODELED.has(e.code) ? `DynamoDB.${e.code}` : 'DynamoDB.AmazonDynamoDBException';
    return new StatesError(name, `${e.message} (Service: AmazonDynamoDBv2; Status Code: ${e.status}; Error Code: ${e.code}; Request ID: ${id}; Proxy: null)`);
  }
  const name = MODELED.has(e.code) ? `DynamoDb.${e.code}` : 'DynamoDb.DynamoDbException';
  return new StatesError(name, `${e.message} (Service: DynamoDb, Status Code: ${e.status}, Request ID: ${id})`);
}

/** The optimised integration's result: the response and the HTTP metadata the Java SDK reports. */
function withSdkMetadata(out: Record<string, unknown>, clock: Clock): Record<string, unknown> {
  const text = JSON.stringify(out);
  const id = requestId();
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(text)),
    'Content-Type': 'application/x-amz-json-1.0',
    Date: new Date(clock.now()).toUTCString(),
    Server: 'Server',
    'x-amz-crc32': typeof zlib.crc32 === 'function' ? String(zlib.crc32(text)) : '0',
    'x-amzn-RequestId': id,
  };
  const all = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return { ...out, SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: headers, HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: id } };
}
