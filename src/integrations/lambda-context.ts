/**
 * What a Lambda handler sees: its context object, as Lambda's Node.js runtime builds it, and the
 * call itself (an async handler, a handler returning a value, or a callback-style handler). Shared
 * by the worker entry (isolated functions) and the in-process path (closures).
 */
import { randomBytes } from 'node:crypto';

export type LambdaCallback = (error?: unknown, result?: unknown) => void;

export type LambdaHandler = (event: unknown, context: LambdaContext, callback: LambdaCallback) => unknown;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  /** A string, as Lambda's runtime reads it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE. */
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export interface FunctionIdentity {
  name: string;
  memorySize: number;
  logStreamName: string;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** `2024/05/01/[$LATEST]<32 hex>`, as Lambda names an execution environment's stream. */
export function newLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

export function buildContext(fn: FunctionIdentity, requestId: string, arn: string, deadline: number): LambdaContext {
  return {
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: requestId,
    logGroupName: logGroupName(fn.name),
    logStreamName: fn.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Calls a handler the way Lambda's Node.js runtime does: a returned promise (or value) is the
 * result; a handler declared with a third parameter that returns no promise answers through the
 * callback. The callback answers at once: Stepwise does not wait for the event loop to empty.
 */
export function callHandler(handler: LambdaHandler, event: unknown, context: LambdaContext): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown): void => {
      if (!settled) reject(err);
      settled = true;
    };
    const succeed = (result: unknown): void => {
      if (!settled) resolve(result);
      settled = true;
    };
    const callback: LambdaCallback = (error, result) => (error !== undefined && error !== null ? fail(error) : succeed(result));
    let out: unknown;
    try {
      out = handler(event, context, callback);
    } catch (err) {
      fail(err);
      return;
    }
    if (isThenable(out)) Promise.resolve(out).then(succeed, fail);
    else if (handler.length < 3) succeed(out);
  });
}

/** A handler's result as the JSON text Lambda returns (`undefined` is `null`). Throws when it cannot be serialised. */
export function resultJson(result: unknown): string {
  return result === undefined ? 'null' : (JSON.stringify(result) ?? 'null');
}
