/**
 * `Transform.RequestBodyEncoding: URL_ENCODED`: a JSON request body as form data, with arrays
 * written in the chosen `ArrayFormat` (AWS's "Applying URL-encoding on request body"):
 * INDICES `a[0]=x&a[1]=y` (the default), REPEAT `a=x&a=y`, COMMAS `a=x,y`, BRACKETS `a[]=x&a[]=y`.
 * Nested objects are written `outer[inner]=v`, as in AWS's Stripe example
 * (`metadata%5Border_details%5D=monthly%20report%20data`): names and values percent-encoded,
 * spaces as `%20`.
 */
import { isObject, type Json } from '../../lib/json.js';

export const ARRAY_FORMATS = ['INDICES', 'REPEAT', 'COMMAS', 'BRACKETS'] as const;
export type ArrayFormat = (typeof ARRAY_FORMATS)[number];

/** A scalar as text: strings as they are, null as empty, numbers and booleans as JSON writes them. */
export function scalarText(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isScalar(value: Json): boolean {
  return value === null || typeof value !== 'object';
}

/** `body` as `application/x-www-form-urlencoded` text; a string body is sent as it is. */
export function urlEncode(body: Json, format: ArrayFormat): string {
  if (typeof body === 'string') return body;
  const pairs: [string, string][] = [];
  if (isObject(body)) for (const [k, v] of Object.entries(body)) add(pairs, k, v, format);
  else if (Array.isArray(body)) body.forEach((v, i) => add(pairs, String(i), v, format));
  else pairs.push(['', scalarText(body)]);
  return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

function add(pairs: [string, string][], key: string, value: Json, format: ArrayFormat): void {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) add(pairs, `${key}[${k}]`, v, format);
    return;
  }
  if (!Array.isArray(value)) {
    pairs.push([key, scalarText(value)]);
    return;
  }
  // COMMAS can only join scalars; arrays holding objects or arrays are written with indices.
  if (format === 'COMMAS' && value.every(isScalar)) {
    pairs.push([key, value.map(scalarText).join(',')]);
    return;
  }
  value.forEach((item, i) => {
    const name = format === 'REPEAT' ? key : format === 'BRACKETS' ? `${key}[]` : `${key}[${i}]`;
    add(pairs, name, item, format);
  });
}

/** Percent-encoding as AWS's examples show it: `%20` for spaces, brackets encoded, commas left as they are (`array=a,b,c,d`). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%2C/g, ',');
}
