/**
 * The API section's two interchangeable clients for the calls it makes, over real loopback HTTP
 * with keep-alive connections: the real @aws-sdk/client-sfn (`sdk`), and requests signed with
 * @smithy/signature-v4, the signer the SDK uses, sent with node:http (`raw`). Both send the same
 * bytes on the wire for these calls; `raw` exists because a load generator must not be the
 * bottleneck, and the section prints how much CPU the generator used either way.
 */
import { Agent, request } from 'node:http';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../src/api/sigv4.js';

export const CLIENT_KINDS = ['raw', 'sdk'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/stepwise-bench';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const REGION = 'us-east-1';

/** An answer other than success: the operation, the HTTP status when there was one, and why. */
export class CallFailed extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`${operation} failed${status !== undefined ? ` with HTTP ${status}` : ''}: ${detail}`);
  }
}

export interface ExecutionView {
  status: string;
  output?: string;
}

export interface SfnCalls {
  createStateMachine(name: string, definition: string): Promise<string>;
  startExecution(stateMachineArn: string, name: string, input: string): Promise<string>;
  /** Whether ListExecutions with statusFilter RUNNING lists any execution of the machine. */
  anyRunning(stateMachineArn: string): Promise<boolean>;
  describeExecution(executionArn: string): Promise<ExecutionView>;
  close(): void;
}

/** `maxSockets` bounds the connections; the caller's window bounds the requests in flight. */
export function sfnCalls(kind: ClientKind, endpoint: string, maxSockets: number): SfnCalls {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return kind === 'sdk' ? sdkCalls(endpoint, agent) : rawCalls(endpoint, agent);
}

function brief(text: string): string {
  // An HTML error page (moto's HTTP 500) says what it is in its title.
  const title = /<title>([^<]*)<\/title>/i.exec(text);
  if (title) return `${(title[1] as string).trim()} (an HTML page)`;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}

// --- the AWS SDK ---------------------------------------------------------------------------------

function sdkCalls(endpoint: string, agent: Agent): SfnCalls {
  // The SDK warns on Node 20 that later releases will need Node 22; that is not the bench's news.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const client = new SFNClient({
    endpoint,
    region: REGION,
    credentials: CREDENTIALS,
    disableHostPrefix: true,
    maxAttempts: 1,
    requestHandler: { httpAgent: agent },
  });
  const call = async <T>(operation: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (err) {
      const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      throw new CallFailed(operation, e.$metadata?.httpStatusCode, brief(`${e.name ?? 'Error'}: ${e.message ?? String(err)}`));
    }
  };
  return {
    createStateMachine: async (name, definition) =>
      (await call('CreateStateMachine', () => client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN })))).stateMachineArn as string,
    startExecution: async (stateMachineArn, name, input) =>
      (await call('StartExecution', () => client.send(new StartExecutionCommand({ stateMachineArn, name, input })))).executionArn as string,
    anyRunning: async (stateMachineArn) =>
      ((await call('ListExecutions', () => client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 })))).executions ?? []).length > 0,
    describeExecution: async (executionArn) => {
      const d = await call('DescribeExecution', () => client.send(new DescribeExecutionCommand({ executionArn })));
      return { status: d.status ?? '?', ...(d.output !== undefined ? { output: d.output } : {}) };
    },
    close: () => {
      client.destroy();
      agent.destroy();
    },
  };
}

// --- raw signed requests -------------------------------------------------------------------------

function rawCalls(endpoint: string, agent: Agent): SfnCalls {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service: 'states', region: REGION, credentials: CREDENTIALS, sha256: NodeSha256 });

  async function post(operation: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AWSStepFunctions.${operation}`,
    };
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.host, path: '/', query: {}, headers, body });
    const sent = { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) };
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers: sent, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', (err) => reject(new CallFailed(operation, undefined, err.message)));
      req.end(body);
    });
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = undefined;
    }
    if (status !== 200 || parsed === undefined) {
      const type = typeof parsed?.['__type'] === 'string' ? `${(parsed['__type'] as string).split('#').pop()}: ` : '';
      const message = parsed ? String(parsed['message'] ?? parsed['Message'] ?? '') : text;
      throw new CallFailed(operation, status, brief(`${type}${message}`) || '(empty body)');
    }
    return parsed;
  }

  return {
    createStateMachine: async (name, definition) => (await post('CreateStateMachine', { name, definition, roleArn: ROLE_ARN }))['stateMachineArn'] as string,
    startExecution: async (stateMachineArn, name, input) => (await post('StartExecution', { stateMachineArn, name, input }))['executionArn'] as string,
    anyRunning: async (stateMachineArn) =>
      ((await post('ListExecutions', { stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }))['executions'] as unknown[] | undefined ?? []).length > 0,
    describeExecution: async (executionArn) => {
      const d = await post('DescribeExecution', { executionArn });
      return { status: String(d['status'] ?? '?'), ...(typeof d['output'] === 'string' ? { output: d['output'] } : {}) };
    },
    close: () => agent.destroy(),
  };
}
