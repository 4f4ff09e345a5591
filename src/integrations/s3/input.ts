/**
 * The members of an operation's input, read as the AWS SDK's S3 models name and type them
 * (`Bucket`, `Key`, `MaxKeys`, `Metadata`, ...). Both edges build such inputs: the REST API from
 * the path, query and headers, Task states from their parameters. Members an operation does not
 * know are refused by name (refuseUnknown), never ignored.
 */
import { S3Error, s3Errors } from './errors.js';

export type S3Input = Record<string, unknown>;
export type S3Output = Record<string, unknown>;

const invalid = (message: string) => new S3Error('InvalidArgument', message, 400);

export function optString(input: S3Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalid(`${name} must be a string`);
}

export function reqString(input: S3Input, name: string): string {
  const v = optString(input, name);
  if (v === undefined) throw invalid(`Missing required parameter '${name}'`);
  return v;
}

export function optInteger(input: S3Input, name: string, min = 0): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw s3Errors.invalidArgument(`Provided ${name} not an integer or within integer range`, name, String(v));
  if (n < min) throw s3Errors.invalidArgument(`Argument ${name} must be an integer between ${min} and 2147483647`, name, String(v));
  return n;
}

export function optBoolean(input: S3Input, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalid(`${name} must be true or false`);
}

/** A string map (Metadata): names in lower case, as S3 keeps them. */
export function optStringMap(input: S3Input, name: string): Record<string, string> | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(`${name} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== 'string') throw invalid(`${name}.${k} must be a string`);
    out[k.toLowerCase()] = x;
  }
  return out;
}

export function optObject(input: S3Input, name: string): S3Input | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw invalid(`${name} must be a structure`);
  return v as S3Input;
}

export function optList(input: S3Input, name: string): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(`${name} must be a list`);
  return v;
}

/** A body: bytes, or text (UTF-8). */
export function bodyBytes(input: S3Input): Uint8Array {
  const v = input['Body'];
  if (v === undefined || v === null) return new Uint8Array(0);
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw invalid('Body must be bytes or a string');
}

/** A date member (Expires, IfModifiedSince): a Date, an HTTP date or an ISO 8601 text, or epoch seconds. */
export function optDate(input: S3Input, name: string): Date | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw invalid(`${name} must be a date`);
  return d;
}

/** Refuses members the operation does not implement, by name. */
export function refuseUnknown(operation: string, input: S3Input, known: readonly string[]): void {
  for (const name of Object.keys(input)) {
    if (input[name] !== undefined && !known.includes(name)) {
      throw s3Errors.notImplemented(`Stepwise's ${operation} does not support the parameter ${name} (it supports ${known.join(', ')})`);
    }
  }
}

/** An object key: present, at most 1024 bytes of UTF-8, and without U+0000 (which PostgreSQL cannot store). */
export function objectKey(input: S3Input, name = 'Key'): string {
  const key = reqString(input, name);
  if (key === '') throw invalid(`${name} must not be empty`);
  const size = Buffer.byteLength(key, 'utf8');
  if (size > 1024) throw s3Errors.keyTooLong(size);
  if (key.includes('\u0000')) throw s3Errors.invalidArgument('Stepwise cannot store an object key that holds the character U+0000', name, '');
  return key;
}
