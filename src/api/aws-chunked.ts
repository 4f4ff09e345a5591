/**
 * S3's `aws-chunked` request bodies (SigV4 streaming uploads): `<hex size>[;chunk-signature=<sig>]\r\n
 * <bytes>\r\n` per chunk, a zero-size chunk, then trailing headers (a checksum such as
 * `x-amz-checksum-crc32:…`, signed by `x-amz-trailer-signature` in the signed variant) and an empty
 * line. A signed chunk's signature chains from the previous one, starting at the request's own
 * signature; each is checked here. Errors carry S3's codes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './wire.js';

export interface ChunkSigning {
  /** The SigV4 signing key of the request's date, region and service. */
  key: Buffer;
  /** `20260101T000000Z`. */
  amzDate: string;
  /** `20260101/us-east-1/s3/aws4_request`. */
  scope: string;
  /** The request's signature, which the first chunk's chains from. */
  seed: string;
}

export interface DecodedBody {
  body: Uint8Array;
  /** Trailing headers, names in lower case. */
  trailers: Map<string, string>;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const incomplete = () => new ApiError('IncompleteBody', 'The request body terminated unexpectedly', 400);
const mismatch = () =>
  new ApiError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);

/** Decodes (and, when `signing` is given, verifies) an aws-chunked body. */
export function decodeAwsChunked(raw: Uint8Array, signing?: ChunkSigning): DecodedBody {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const parts: Buffer[] = [];
  let at = 0;
  let previous = signing?.seed ?? '';
  const line = (): string => {
    const end = buf.indexOf('\r\n', at);
    if (end < 0) throw incomplete();
    const text = buf.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const header = line();
    const m = /^([0-9a-fA-F]+)(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(header.trim());
    if (!m) throw new ApiError('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', 400);
    const size = parseInt(m[1] as string, 16);
    if (at + size > buf.length) throw incomplete();
    const data = buf.subarray(at, at + size);
    at += size;
    if (signing) {
      if (!m[2]) throw mismatch();
      const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, previous, EMPTY_SHA256, createHash('sha256').update(data).digest('hex')].join('\n');
      if (!same(hmacHex(signing.key, toSign), m[2])) throw mismatch();
      previous = m[2];
    }
    if (size === 0) break;
    parts.push(data);
    if (line() !== '') throw incomplete();
  }
  const trailers = new Map<string, string>();
  let trailerText = '';
  let trailerSignature: string | undefined;
  while (at < buf.length) {
    const text = line();
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon <= 0) throw incomplete();
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else {
      trailers.set(name, value);
      trailerText += `${name}:${value}\n`;
    }
  }
  if (signing && trailers.size > 0) {
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, signing.scope, previous, createHash('sha256').update(trailerText).digest('hex')].join('\n');
    if (trailerSignature === undefined || !same(hmacHex(signing.key, toSign), trailerSignature)) throw mismatch();
  }
  return { body: Buffer.concat(parts), trailers };
}
