/** A small SigV4-signed client of the Step Functions API, for the `stepwise` client commands. */
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../api/sigv4.js';

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface ClientOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export function clientOptionsFromEnv(endpoint: string | undefined): ClientOptions {
  const env = process.env;
  return {
    endpoint: endpoint ?? env['STEPWISE_ENDPOINT'] ?? 'http://127.0.0.1:8083',
    accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? 'test',
    secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? 'test',
    region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
  };
}

/** Signed `POST /` requests to a server for one AWS service's signing name. */
export class SignedPoster {
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(
    private readonly opts: ClientOptions,
    service: string,
  ) {
    this.url = new URL(opts.endpoint);
    this.signer = new SignatureV4({
      service,
      region: opts.region,
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      sha256: NodeSha256,
    });
  }

  async post(headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: '/',
      query: {},
      headers: { host: this.url.host, ...headers },
      body,
    });
    return new Promise((resolve, reject) => {
      const send = this.url.protocol === 'https:' ? httpsRequest : request;
      const req = send(this.url, { method: 'POST', path: '/', headers: signed.headers as Record<string, string> }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
      });
      req.on('error', (err) => reject(new ApiCallError('ConnectionError', `cannot reach ${this.opts.endpoint}: ${err.message}`)));
      req.end(body);
    });
  }
}

/** An AWS JSON answer: its body, or its error (`__type`, `message`) as an ApiCallError. */
export function jsonAnswer(status: number, text: string): Record<string, unknown> {
  const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (status < 200 || status >= 300) {
    const type = String(json['__type'] ?? 'UnknownError');
    throw new ApiCallError(type.slice(type.indexOf('#') + 1), String(json['message'] ?? json['Message'] ?? `HTTP ${status}`));
  }
  return json;
}

export class StepwiseApiClient {
  private readonly poster: SignedPoster;

  constructor(opts: ClientOptions) {
    this.poster = new SignedPoster(opts, 'states');
  }

  /** Call one operation; AWS errors become ApiCallError with their code. */
  async call<T = Record<string, unknown>>(operation: string, input: Record<string, unknown>): Promise<T> {
    const { status, text } = await this.poster.post({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` }, JSON.stringify(input));
    return jsonAnswer(status, text) as T;
  }
}

/** A signed client of an AWS JSON 1.1 API (EventBridge, CloudWatch Logs) served by Stepwise: `call(X-Amz-Target, input)`. */
export class Json11Client {
  private readonly poster: SignedPoster;

  constructor(opts: ClientOptions, signingName: string) {
    this.poster = new SignedPoster(opts, signingName);
  }

  /** AWS errors become ApiCallError with their code. */
  async call(target: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { status, text } = await this.poster.post({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, JSON.stringify(input));
    return jsonAnswer(status, text);
  }
}
