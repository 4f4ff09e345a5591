/**
 * Local Lambda handlers answering Task states, as AWS Lambda would: by function ARN (bare
 * payload) or through `arn:aws:states:::lambda:invoke` (result wrapped with Payload and
 * StatusCode). A handler's error becomes the task's error, with Lambda's JSON error payload as
 * the cause.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { isObject, type Json } from '../lib/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskInvoker } from '../engine/local-run.js';
import type { TaskRequest } from '../engine/types.js';

export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

export interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

/** `name=./file.js` or `name=./file.js#exportName` (default export `handler`). */
export async function loadHandlerSpec(spec: string, cwd = process.cwd()): Promise<[string, LambdaHandler]> {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--handler expects Name=./file.js[#export], got '${spec}'`);
  const name = spec.slice(0, eq);
  const [file, exportName = 'handler'] = spec.slice(eq + 1).split('#') as [string, string?];
  const mod = (await import(pathToFileURL(resolve(cwd, file)).href)) as Record<string, unknown>;
  const fn = mod[exportName] ?? (exportName === 'handler' ? mod['default'] : undefined);
  if (typeof fn !== 'function') throw new Error(`${file} has no exported function '${exportName}'`);
  return [name, fn as LambdaHandler];
}

function functionNameOf(ref: string): string {
  // A name, a partial ARN (123456789012:function:name) or a full ARN, with an optional qualifier.
  const m = /function:([^:]+)/.exec(ref);
  return m ? (m[1] as string) : (ref.split(':')[0] as string);
}

export function localLambdaInvoker(handlers: Map<string, LambdaHandler>, fallback?: TaskInvoker): TaskInvoker {
  const call = async (name: string, arn: string, event: Json): Promise<Json> => {
    const h = handlers.get(name) ?? handlers.get(arn);
    if (!h) {
      throw new StatesError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${arn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
      );
    }
    const requestId = randomUUID();
    const context: LambdaContext = { functionName: name, awsRequestId: requestId, invokedFunctionArn: arn, getRemainingTimeInMillis: () => 3000 };
    try {
      const out = await h(event, context);
      return (out === undefined ? null : JSON.parse(JSON.stringify(out))) as Json;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const errorType = e.name && e.name !== 'Error' ? e.name : e.constructor?.name && e.constructor.name !== 'Error' ? e.constructor.name : 'Error';
      const payload = { errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
      throw new StatesError(errorType, JSON.stringify({ errorMessage: e.message, errorType, requestId, stackTrace: payload.trace }));
    }
  };
  return {
    async invoke(req: TaskRequest): Promise<Json> {
      const parts = req.resource.split(':');
      if (parts[2] === 'lambda' && parts[5] === 'function') {
        return call(parts[6] as string, req.resource, req.input);
      }
      if (req.resource.startsWith('arn:aws:states:::lambda:invoke')) {
        const params = isObject(req.input) ? req.input : {};
        const ref = String(params['FunctionName'] ?? '');
        const name = functionNameOf(ref);
        const arn = ref.startsWith('arn:') ? ref : `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
        const payload = await call(name, arn, (params['Payload'] ?? {}) as Json);
        return {
          ExecutedVersion: '$LATEST',
          Payload: payload,
          SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
          SdkResponseMetadata: { RequestId: randomUUID() },
          StatusCode: 200,
        };
      }
      if (handlers.has(req.resource)) return call(req.resource, req.resource, req.input);
      if (fallback) return fallback.invoke(req);
      throw new StatesError('States.TaskFailed', `No local handler answers resource '${req.resource}'. Pass --handler ${req.resource}=./file.js`);
    },
  };
}
