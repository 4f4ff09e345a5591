/**
 * Functions Step Functions adds to JSONata ($partition, $range, $hash, $random, $uuid, $parse), and guarded
 * replacements for the few jsonata 2.0.6 built-ins that can run for unbounded time inside one call (where the
 * evaluation hooks cannot stop them): $distinct (quadratic), $pad (allocates any width) and one-argument $toMillis
 * (its ISO 8601 regular expression backtracks quadratically on long inputs).
 *
 * Errors are thrown the way jsonata throws them: plain objects with `code` and `message` (or `message` only).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';

/** A jsonata built-in as bound in its static frame: `{ _jsonata_function: true, implementation, signature }`. */
interface NativeFunction {
  implementation: (...args: unknown[]) => unknown;
}

export interface FunctionDefinition {
  name: string;
  signature: string;
  // jsonata validates arguments against `signature` before calling, so each implementation types its own
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  implementation: (this: jsonata.Focus, ...args: any[]) => unknown;
}

/** Largest array `$range` builds (the States.ArrayRange quota). */
export const MAX_RANGE_ITEMS = 1000;
/** Largest width `$pad` accepts. */
export const MAX_PAD_WIDTH = 1 << 24;

export interface FunctionError {
  code?: string;
  message: string;
}

function fail(message: string, code?: string): never {
  const err: FunctionError = code === undefined ? { message } : { code, message };
  throw err;
}

function isInteger(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n);
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** A number in [0, 1) with 53 random bits taken from `bytes` (at least 7 bytes). */
function unitFromBytes(bytes: Uint8Array): number {
  // 53 bits: 7 bytes = 56 bits, drop 3.
  let hi = 0;
  for (let i = 0; i < 3; i++) hi = hi * 256 + (bytes[i] as number); // 24 bits
  let lo = 0;
  for (let i = 3; i < 7; i++) lo = lo * 256 + (bytes[i] as number); // 32 bits
  const n = (hi >>> 3) * 2 ** 32 + lo; // 21 + 32 = 53 bits
  return n / 2 ** 53;
}

/** Canonical identity of a value for $distinct: equal keys exactly when jsonata's deepEquals says equal. */
function distinctKey(value: unknown, ids: Map<object, number>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return 's' + JSON.stringify(value);
    case 'number':
      return Number.isNaN(value) ? 'x' + ids.size + ':' + Math.random() : 'n' + String(value === 0 ? 0 : value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'u';
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v) => distinctKey(v, ids)).join(',') + ']';
      const keys = Object.getOwnPropertyNames(value).sort();
      const rec = value as Record<string, unknown>;
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + distinctKey(rec[k], ids)).join(',') + '}';
    }
    default: {
      // functions and other non-JSON values compare by identity
      const obj = value as object;
      let id = ids.get(obj);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(obj, id);
      }
      return 'f' + id;
    }
  }
}

export const awsFunctions: readonly FunctionDefinition[] = [
  {
    name: 'partition',
    signature: '<an:a>',
    implementation(array: unknown[] | undefined, size: number) {
      if (array === undefined) return undefined;
      if (!isInteger(size) || size <= 0) {
        fail(`The size argument of the $partition function must be a positive integer, but was: ${JSON.stringify(size)}`);
      }
      const chunks: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
      return chunks;
    },
  },
  {
    name: 'range',
    signature: '<nnn?:a<n>>',
    implementation(start: number, end: number, step?: number) {
      if (start === undefined || end === undefined) return undefined;
      const s = step === undefined ? 1 : step;
      if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(s) || s === 0) {
        fail(`The step argument of the $range function must be a non-zero number, but was: ${JSON.stringify(s)}`);
      }
      const count = Math.floor((end - start) / s) + 1;
      if (count > MAX_RANGE_ITEMS) {
        fail(`The $range function cannot produce more than ${MAX_RANGE_ITEMS} items, but would produce ${count}`);
      }
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(start + i * s);
      return out;
    },
  },
  {
    name: 'hash',
    signature: '<ss:s>',
    implementation(data: string | undefined, algorithm: string) {
      if (data === undefined) return undefined;
      const alg = HASH_ALGORITHMS[algorithm];
      if (alg === undefined) {
        fail(
          `The hashing algorithm ${JSON.stringify(algorithm)} is not supported. Supported algorithms: ${Object.keys(HASH_ALGORITHMS).join(', ')}`,
        );
      }
      return createHash(alg).update(data, 'utf8').digest('hex');
    },
  },
  {
    name: 'random',
    signature: '<n?:n>',
    implementation(seed?: number) {
      if (seed === undefined) return unitFromBytes(randomBytes(7));
      // seeded: a pure function of the seed, so the same seed always yields the same number
      const digest = createHash('sha256').update('stepwise-random:' + String(seed), 'utf8').digest();
      return unitFromBytes(digest);
    },
  },
  {
    name: 'uuid',
    signature: '<:s>',
    implementation() {
      return randomUUID();
    },
  },
  {
    name: 'parse',
    signature: '<s:j>',
    implementation(text: string | undefined) {
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        fail(`The argument of the $parse function must be a valid JSON string: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Guarded built-ins

let originals: { toMillis: NativeFunction; pad: NativeFunction } | undefined;
let originalsLoading: Promise<void> | undefined;

/** Capture jsonata's own $toMillis and $pad (bound in its static frame) so the guarded versions can delegate. */
export function loadOriginals(): Promise<void> | undefined {
  if (originals) return undefined;
  originalsLoading ??= (async () => {
    const defs = (await jsonata('[$toMillis, $pad]').evaluate(undefined)) as NativeFunction[];
    originals = { toMillis: defs[0] as NativeFunction, pad: defs[1] as NativeFunction };
  })();
  return originalsLoading;
}

function original(name: 'toMillis' | 'pad'): NativeFunction {
  if (!originals) throw new Error('jsonata built-ins not loaded');
  return originals[name];
}

/**
 * Accepts exactly the strings jsonata's ISO 8601 check accepts, in linear time. jsonata's pattern has
 * `(-[01]\d)*(-[0-3]\d)*`; as every `-[01]\d` is also a `-[0-3]\d`, that language equals `(-[0-3]\d)*`.
 */
const ISO8601_LINEAR = /^\d{4}(?:-[0-3]\d)*(?:T[0-2]\d:[0-5]\d:[0-5]\d)*(?:\.\d+)?(?:[+-][0-2]\d:?[0-5]\d|Z)?$/;

export const guardedBuiltins: readonly FunctionDefinition[] = [
  {
    name: 'distinct',
    signature: '<x:x>',
    implementation(arr: unknown) {
      if (arr === undefined) return undefined;
      if (!Array.isArray(arr) || arr.length <= 1) return arr;
      const result: unknown[] = [];
      if ((arr as { sequence?: boolean }).sequence) (result as unknown as { sequence: boolean }).sequence = true;
      const seen = new Set<string>();
      const ids = new Map<object, number>();
      for (const value of arr) {
        const key = distinctKey(value, ids);
        if (!seen.has(key)) {
          seen.add(key);
          result.push(value);
        }
      }
      return result;
    },
  },
  {
    name: 'pad',
    signature: '<s-ns?:s>',
    implementation(this: jsonata.Focus, str: unknown, width: unknown, char: unknown) {
      if (typeof width === 'number' && Math.abs(width) > MAX_PAD_WIDTH) {
        fail(`The width argument of the $pad function must not exceed ${MAX_PAD_WIDTH}, but was: ${width}`);
      }
      return original('pad').implementation.call(this, str, width, char);
    },
  },
  {
    name: 'toMillis',
    signature: '<s-s?:n>',
    implementation(this: jsonata.Focus, timestamp: unknown, picture: unknown) {
      if (picture === undefined && typeof timestamp === 'string' && !ISO8601_LINEAR.test(timestamp)) {
        const err = { code: 'D3110', value: timestamp, message: '' };
        err.message = `The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given ${JSON.stringify(timestamp)}`;
        throw err;
      }
      return original('toMillis').implementation.call(this, timestamp, picture);
    },
  },
];
