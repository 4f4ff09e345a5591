/**
 * One HTTP request and its response, with node:http(s) rather than fetch: an HTTP Task may send a
 * body with GET (AWS's own TestState example does), and the response is read only up to a bound.
 * Failures are typed by what went wrong (no answer in time, the network, a body past the bound),
 * and their messages name the host only: a connection's query parameters (API keys) stay out.
 */
import { request as httpRequest, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** In the order sent; names as written (no two differ only in case). */
  headers: [string, string][];
  body: Buffer | undefined;
}

export interface IncomingResponse {
  statusCode: number;
  /** The reason phrase the server sent, or the standard one when it sent none. */
  statusMessage: string;
  /** In the order received, names in lower case. */
  headers: [string, string][];
  body: Buffer;
}

export interface ExchangeLimits {
  /** From sending the request to the end of the response. */
  timeoutMs: number;
  maxBodyBytes: number;
}

export type FailureKind = 'timeout' | 'network' | 'tooLarge';

export class ExchangeFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** Checks the status line and headers before the body is read; an error returned ends the exchange with it. */
export type HeadCheck = (statusCode: number, headers: [string, string][]) => Error | undefined;

export function exchange(out: OutgoingRequest, limits: ExchangeLimits, check?: HeadCheck): Promise<IncomingResponse> {
  return new Promise((resolve, reject) => {
    const send = out.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = {};
    for (const [name, value] of out.headers) headers[name] = value;
    if (out.body !== undefined) headers['Content-Length'] = String(out.body.length);
    let settled = false;
    const finish = (err: Error | undefined, res?: IncomingResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(res as IncomingResponse);
    };
    const host = out.url.host;
    const timer = setTimeout(() => finish(new ExchangeFailure('timeout', `The request to ${host} did not complete within ${limits.timeoutMs / 1000} seconds`)), limits.timeoutMs);
    // No connection pooling: nothing outlives the task that opened it.
    const req = send(out.url, { method: out.method, headers, agent: false }, (res) => {
      const statusCode = res.statusCode ?? 0;
      const received: [string, string][] = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) received.push([(res.rawHeaders[i] as string).toLowerCase(), res.rawHeaders[i + 1] as string]);
      const refused = check?.(statusCode, received);
      if (refused) return finish(refused);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBodyBytes) return finish(new ExchangeFailure('tooLarge', `The response from ${host} is larger than ${limits.maxBodyBytes} bytes`));
        chunks.push(chunk);
      });
      res.on('end', () => finish(undefined, { statusCode, statusMessage: res.statusMessage || STATUS_CODES[statusCode] || '', headers: received, body: Buffer.concat(chunks) }));
      res.on('error', (err) => finish(networkFailure(err, host)));
    });
    req.on('error', (err) => finish(networkFailure(err, host)));
    req.end(out.body);
  });
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset',
  ENOTFOUND: 'Unknown host',
  EAI_AGAIN: 'Unknown host',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ETIMEDOUT: 'Connect timed out',
  EPIPE: 'Broken pipe',
};

function networkFailure(err: Error, host: string): ExchangeFailure {
  const code = (err as { code?: string }).code;
  const reason = (code && REASONS[code]) ?? (code ? `Network error (${code})` : 'Network error');
  return new ExchangeFailure('network', `${reason}: ${host}`);
}
