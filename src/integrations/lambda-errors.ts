/**
 * Lambda's function errors, named and shaped as AWS reports them, and how Step Functions turns
 * one into a task failure: the error name is the payload's `errorType`, the cause is the payload
 * as JSON text.
 *
 * - A handler's own error, as Lambda's Node.js runtime formats it (aws-lambda-nodejs-runtime-
 *   interface-client, src/utils/error.ts; docs: lambda/latest/dg/nodejs-exceptions.html):
 *   `{"errorType": err.name, "errorMessage": err.message, "trace": err.stack split at newlines}`;
 *   for a thrown non-Error, `errorType` is its `typeof` and `trace` is empty.
 * - What the sandbox reports when the function does not answer: `Sandbox.Timedout` (timeout),
 *   `Runtime.ExitError` (the runtime exited: process.exit), `Runtime.OutOfMemory` (memory limit),
 *   each `{"errorType", "errorMessage": "RequestId: <id> Error: …"}` without a trace.
 * - Failures to load the handler: the runtime's `Runtime.ImportModuleError`,
 *   `Runtime.UserCodeSyntaxError` and `Runtime.HandlerNotFound`.
 *
 * Imported by the worker entry too: keep it free of anything heavier than asl/errors.
 */
import { randomUUID } from 'node:crypto';
import { StatesError } from '../asl/errors.js';

export const LambdaErrorTypes = {
  Timeout: 'Sandbox.Timedout',
  Exit: 'Runtime.ExitError',
  OutOfMemory: 'Runtime.OutOfMemory',
  ImportModule: 'Runtime.ImportModuleError',
  UserCodeSyntax: 'Runtime.UserCodeSyntaxError',
  HandlerNotFound: 'Runtime.HandlerNotFound',
  UnhandledPromiseRejection: 'Runtime.UnhandledPromiseRejection',
  JSONStringify: 'Runtime.JSONStringifyError',
} as const;

/** The JSON error document Lambda returns for a failed invocation. */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
  /** Other members a runtime reports (Python's runtime: `requestId`, `stackTrace`). */
  [member: string]: unknown;
}

/**
 * A thrown value as Lambda's Node.js runtime reports it. An error carrying its own `errorPayload`
 * document (`{errorType, errorMessage, ...}`) is reported as that document, as a custom runtime
 * posts its own error body to Lambda's Runtime API: functions that stand in for ones written for
 * another runtime (Python's `stackTrace`, say) report errors in that runtime's shape.
 */
export function errorPayloadOf(err: unknown): LambdaErrorPayload {
  try {
    const own = err !== null && typeof err === 'object' ? (err as { errorPayload?: unknown }).errorPayload : undefined;
    if (own !== null && typeof own === 'object' && typeof (own as LambdaErrorPayload).errorType === 'string' && typeof (own as LambdaErrorPayload).errorMessage === 'string') {
      return { ...(own as LambdaErrorPayload) };
    }
    if (err instanceof Error) {
      return { errorType: String(err.name), errorMessage: String(err.message), trace: typeof err.stack === 'string' ? err.stack.split('\n') : [] };
    }
    return { errorType: typeof err, errorMessage: String(err), trace: [] };
  } catch {
    // A getter that throws, or a value without a usable toString.
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack', trace: [] };
  }
}

/** An error the runtime itself raises (not the handler's), with its AWS name. */
export function runtimeError(errorType: string, errorMessage: string, stack?: string): LambdaErrorPayload {
  return { errorType, errorMessage, trace: stack ? stack.split('\n') : [] };
}

export function timeoutPayload(requestId: string, seconds: number): LambdaErrorPayload {
  return { errorType: LambdaErrorTypes.Timeout, errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds` };
}

/** process.exit(code) inside a handler; code 0 is an exit "without providing a reason", as Lambda says. */
export function exitPayload(requestId: string, code: number): LambdaErrorPayload {
  const reason = code === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${code}`;
  return { errorType: LambdaErrorTypes.Exit, errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function outOfMemoryPayload(requestId: string): LambdaErrorPayload {
  return { errorType: LambdaErrorTypes.OutOfMemory, errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` };
}

/** The task failure Step Functions records for a function error. */
export function functionError(payload: LambdaErrorPayload): StatesError {
  return new StatesError(payload.errorType, JSON.stringify(payload));
}

/** Invoking a function that does not exist, as Step Functions reports Lambda's 404. */
export function functionNotFound(arn: string): StatesError {
  // Lambda names the version it looked for: an unqualified ARN means $LATEST.
  if (/:function:[^:]+$/.test(arn)) arn = `${arn}:$LATEST`;
  return new StatesError(
    'Lambda.ResourceNotFoundException',
    `Function not found: ${arn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}
