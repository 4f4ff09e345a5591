/**
 * A real Stepwise server on 127.0.0.1 (a free port, SQLite in a temp dir, the runner started)
 * and the real AWS SDK client pointed at it; plus raw signed requests for what the SDK cannot send.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../src/api/sigv4.js';
import { startServer, type RunningServer, type ServeArgs } from '../../src/cli/serve-command.js';
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';

export const ROLE = 'arn:aws:iam::123456789012:role/stepwise-test';
export const SM_PREFIX = 'arn:aws:states:us-east-1:123456789012:stateMachine:';

export interface Harness {
  server: RunningServer;
  url: string;
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): SFNClient;
  stop(): Promise<void>;
}

export async function startHarness(opts: { args?: Partial<ServeArgs>; handlers?: Map<string, LambdaHandler> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-api-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, requireAuth: false, ...opts.args }, { log: () => undefined, ...(opts.handlers ? { handlers: opts.handlers } : {}) });
  const clients: SFNClient[] = [];
  return {
    server,
    url: server.url,
    client(credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) {
      const c = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials, disableHostPrefix: true, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll `read` until `done` holds, failing after `timeoutMs`; no fixed sleeps in assertions. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RawResponse {
  status: number;
  body: Record<string, unknown>;
}

/** A POST / signed as the SDK signs it, with any target, body and Host header. */
export async function signedPost(
  url: string,
  opts: { target?: string; body: string; host?: string; credentials?: { accessKeyId: string; secretAccessKey: string }; signingDate?: Date; sign?: boolean; tamper?: (body: string) => string },
): Promise<RawResponse> {
  const u = new URL(url);
  const host = opts.host ?? u.host;
  const headers: Record<string, string> = { host, 'content-type': 'application/x-amz-json-1.0' };
  if (opts.target !== undefined) headers['x-amz-target'] = opts.target;
  if (opts.sign !== false) {
    const signer = new SignatureV4({ service: 'states', region: 'us-east-1', credentials: opts.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: NodeSha256 });
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: host, path: '/', query: {}, headers, body: opts.body },
      opts.signingDate ? { signingDate: opts.signingDate } : {},
    );
    Object.assign(headers, signed.headers);
  }
  const body = opts.tamper ? opts.tamper(opts.body) : opts.body;
  headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: '/', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The error a call fails with: its name, message, HTTP status, and AWS's extra members when present. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined; resourceName?: string; reason?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; resourceName?: string; reason?: string; $metadata?: { httpStatusCode?: number } };
    return {
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
      ...(e.resourceName !== undefined ? { resourceName: e.resourceName } : {}),
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
    };
  }
  throw new Error('expected the call to fail');
}
