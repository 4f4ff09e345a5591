/**
 * SigV4 verification: re-sign the request as received with the secret of the access key it
 * names (with @smithy/signature-v4, the signer the AWS SDKs use) and compare signatures. The
 * errors are AWS's: MissingAuthenticationTokenException, IncompleteSignatureException,
 * UnrecognizedClientException, InvalidSignatureException (also for a stale or future date).
 *
 * S3 signs differently (verifyS3): the path is signed as sent (not escaped a second time), and
 * `x-amz-content-sha256` is required and may be `UNSIGNED-PAYLOAD` or a `STREAMING-*` aws-chunked
 * body, whose chunk signatures are checked while it is decoded (aws-chunked.ts).
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { decodeAwsChunked, signingKey, type ChunkSigning } from './aws-chunked.js';
import { ApiError } from './wire.js';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Map<string, string>;
  body: Uint8Array;
}

/** What an S3 request's signature covers: its body (decoded when aws-chunked) and trailing headers. */
export interface VerifiedS3Request {
  accessKeyId: string;
  body: Uint8Array;
  /** Headers an aws-chunked body carried after its last chunk (a checksum), names in lower case. */
  trailers: Map<string, string>;
}

/** AWS refuses a request whose date is more than 15 minutes away from the server's. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** sha256 for the signer, on node:crypto: a hash, or an HMAC when given a key. */
export class NodeSha256 {
  private h: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : ArrayBuffer.isView(this.secret) ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength) : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    this.h = this.fresh();
  }
}

interface Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(header: string): Authorization {
  const incomplete = (what: string) => new ApiError('IncompleteSignatureException', `Authorization header requires '${what}' parameter. Authorization=${header}`);
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!m) throw new ApiError('IncompleteSignatureException', `Unsupported authorization type; only AWS4-HMAC-SHA256 is accepted. Authorization=${header}`);
  const fields = new Map<string, string>();
  for (const part of (m[1] as string).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential) throw incomplete('Credential');
  if (!signedHeaders) throw incomplete('SignedHeaders');
  if (!signature) throw incomplete('Signature');
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    throw new ApiError('IncompleteSignatureException', `Credential should be scoped to a valid region and service, and end with 'aws4_request'. Credential=${credential}`);
  }
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';').map((h) => h.toLowerCase()), signature };
}

/** `20240101T000000Z` to epoch ms, or undefined. */
function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

function compactDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export class SigV4Verifier {
  private readonly secrets: Map<string, string>;

  constructor(
    credentials: readonly Credential[],
    private readonly now: () => number,
  ) {
    this.secrets = new Map(credentials.map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  /** Resolves with the access key id when the signature is valid; throws the AWS error otherwise. */
  async verify(req: SignedRequest): Promise<string> {
    return (await this.check(req, false)).accessKeyId;
  }

  /** An S3 request (see above): resolves with its access key id and its body, decoded when aws-chunked. */
  verifyS3(req: SignedRequest): Promise<VerifiedS3Request> {
    return this.check(req, true);
  }

  private async check(req: SignedRequest, s3: boolean): Promise<VerifiedS3Request> {
    const header = req.headers.get('authorization');
    if (header === undefined) {
      if (req.query.has('X-Amz-Signature')) throw new ApiError('InvalidSignatureException', 'Presigned requests are not supported by this service.');
      throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const auth = parseAuthorization(header);
    const amzDate = req.headers.get('x-amz-date');
    if (amzDate === undefined || !auth.signedHeaders.includes('x-amz-date') || !auth.signedHeaders.includes('host')) {
      throw new ApiError('IncompleteSignatureException', "The request must sign the 'host' and 'x-amz-date' headers.");
    }
    const signingDate = parseAmzDate(amzDate);
    if (signingDate === undefined) throw new ApiError('IncompleteSignatureException', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
    if (auth.date !== amzDate.slice(0, 8)) {
      throw new ApiError('InvalidSignatureException', `Credential should be scoped to a valid date; the date in the credential scope '${auth.date}' does not match the request date '${amzDate}'.`);
    }
    const secret = this.secrets.get(auth.accessKeyId);
    if (secret === undefined) throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    const now = this.now();
    if (signingDate < now - MAX_SKEW_MS) {
      throw new ApiError('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${compactDate(now - MAX_SKEW_MS)} (${compactDate(now)} - 15 min.)`);
    }
    if (signingDate > now + MAX_SKEW_MS) {
      throw new ApiError('InvalidSignatureException', `Signature not yet current: ${amzDate} is still later than ${compactDate(now + MAX_SKEW_MS)} (${compactDate(now)} + 15 min.)`);
    }
    const claimedHash = req.headers.get('x-amz-content-sha256');
    if (s3 && claimedHash === undefined) throw new ApiError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
    const streaming = s3 && claimedHash?.startsWith('STREAMING-') === true;
    if (claimedHash !== undefined && !streaming && !(s3 && claimedHash === 'UNSIGNED-PAYLOAD')) {
      if (claimedHash !== createHash('sha256').update(req.body).digest('hex')) {
        throw s3
          ? new ApiError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400)
          : new ApiError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
    }
    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const v = req.headers.get(name);
      if (v === undefined) throw new ApiError('InvalidSignatureException', `The request signs the header '${name}' but does not send it.`);
      headers[name] = v;
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(req.query.keys())) {
      const all = req.query.getAll(key);
      query[key] = all.length === 1 ? (all[0] as string) : all;
    }
    const signer = new SignatureV4({
      service: auth.service,
      region: auth.region,
      credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret },
      sha256: NodeSha256,
      applyChecksum: false,
      // S3 signs the path as it is sent; the other services escape it once more.
      uriEscapePath: !s3,
    });
    const signed = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: headers['host'] ?? '', path: req.path, query, headers, body: req.body },
      { signingDate: new Date(signingDate), signableHeaders: new Set(auth.signedHeaders) },
    );
    const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers['authorization'] ?? ''))?.[1] ?? '';
    const a = Buffer.from(expected);
    const b = Buffer.from(auth.signature);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new ApiError(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    if (!streaming) return { accessKeyId: auth.accessKeyId, body: req.body, trailers: new Map() };
    return { accessKeyId: auth.accessKeyId, ...decodeStreaming(req, claimedHash as string, { key: signingKey(secret, auth.date, auth.region, auth.service), amzDate, scope: `${auth.date}/${auth.region}/${auth.service}/aws4_request`, seed: auth.signature }) };
  }
}

/** An aws-chunked S3 body, its chunk signatures checked unless the payload is unsigned. */
function decodeStreaming(req: SignedRequest, payload: string, signing: ChunkSigning): { body: Uint8Array; trailers: Map<string, string> } {
  let decoded;
  if (payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' || payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') decoded = decodeAwsChunked(req.body, signing);
  else if (payload === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') decoded = decodeAwsChunked(req.body);
  else throw new ApiError('NotImplemented', `Stepwise does not accept the payload signing ${payload} (SigV4a)`, 501);
  const declared = req.headers.get('x-amz-decoded-content-length');
  if (declared !== undefined && Number(declared) !== decoded.body.byteLength) throw new ApiError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
  return decoded;
}
