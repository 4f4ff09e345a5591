/**
 * Listing a bucket's keys as S3 does (ListObjectsV2 and ListObjects): in UTF-8 byte order (the
 * store's ARN order, see objects.ts), under a prefix, after a cursor (StartAfter, Marker or a
 * continuation token), keys that hold the delimiter after the prefix rolled up into
 * CommonPrefixes, at most MaxKeys entries (keys and common prefixes together).
 *
 * A common prefix is skipped over in one step: the listing goes on after the prefix followed by
 * U+10FFFF (the greatest code point) 256 times, which sorts after every key of at most 1024 bytes
 * that starts with the prefix and before every other key that sorts after it.
 */
import { s3Errors } from './errors.js';
import type { ObjectCatalog, ObjectDoc } from './objects.js';

const PAST = '\u{10FFFF}'.repeat(256);
const MAX_BATCH = 1000;

export interface ListQuery {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  /** List keys after this one (StartAfter, Marker, or a decoded continuation token). */
  after?: string;
  maxKeys: number;
}

/** The last entry a page holds: a key, or a common prefix. */
export type ListEntry = { kind: 'key' | 'prefix'; value: string };

export interface ListPage {
  contents: ObjectDoc[];
  commonPrefixes: string[];
  truncated: boolean;
  last?: ListEntry;
}

export async function listKeys(catalog: ObjectCatalog, q: ListQuery): Promise<ListPage> {
  const base = catalog.objectsPrefix(q.bucket);
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter || undefined;
  const page: ListPage = { contents: [], commonPrefixes: [], truncated: false };
  if (q.maxKeys <= 0) return page;
  let cursor = q.after === undefined ? undefined : base + q.after;
  const batch = Math.min(MAX_BATCH, q.maxKeys + 1);
  for (;;) {
    const records = await catalog.page(base + prefix, cursor, batch);
    let skipped = false;
    for (const rec of records) {
      if (page.contents.length + page.commonPrefixes.length >= q.maxKeys) {
        page.truncated = true;
        return page;
      }
      const key = rec.arn.slice(base.length);
      const at = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = key.slice(0, at + (delimiter as string).length);
        page.commonPrefixes.push(common);
        page.last = { kind: 'prefix', value: common };
        cursor = base + common + PAST;
        skipped = true;
        break;
      }
      page.contents.push(rec.doc as unknown as ObjectDoc);
      page.last = { kind: 'key', value: key };
      cursor = rec.arn;
    }
    if (!skipped && records.length < batch) return page;
  }
}

/** ListObjectsV2's NextContinuationToken: opaque to clients (base64), it names where to go on. */
export function continuationToken(last: ListEntry): string {
  return Buffer.from(`${last.kind === 'prefix' ? 'p' : 'k'}${last.value}`, 'utf8').toString('base64');
}

/** The key a continuation token goes on after; a token Stepwise did not write is S3's InvalidArgument. */
export function afterToken(token: string): string {
  const text = /^[A-Za-z0-9+/]*={0,2}$/.test(token) ? Buffer.from(token, 'base64').toString('utf8') : '';
  if (text[0] === 'k') return text.slice(1);
  if (text[0] === 'p') return text.slice(1) + PAST;
  throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

/** ListObjects (v1) goes on after a Marker; a marker that is a common prefix skips the keys under it. */
export function afterMarker(marker: string, delimiter: string | undefined): string {
  return delimiter && marker.endsWith(delimiter) ? marker + PAST : marker;
}
