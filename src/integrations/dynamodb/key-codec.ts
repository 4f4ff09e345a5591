/**
 * Item addresses that sort like DynamoDB: an item's resource ARN is
 * `<tableId>/<partition key code>/<sort key code>`, so that listing resources by ARN prefix
 * `<tableId>/<partition key code>/` walks one partition in DynamoDB's sort key order.
 *
 * The stores order ARNs by code point (SQLite BINARY, PostgreSQL "C"), so each code is plain
 * ASCII whose code point order is the order of the key value:
 * - S and B (strings compare by their UTF-8 bytes, binaries by their bytes): each byte in
 *   0x30..0x7D is itself; a byte below is `+` and two hex digits, a byte above is `~` and two hex
 *   digits. `+` sorts below every literal and `~` above, the hex digits keep order within each
 *   escape, and the code of each byte is prefix-free, so the concatenation sorts as the bytes do
 *   (a prefix first). `/` (0x2F) is always escaped, so it ends a partition key code unambiguously,
 *   and no code holds NUL (PostgreSQL text cannot).
 * - N: `1` for negatives, `2` for zero, `3` for positives; then the decimal exponent + 130 in
 *   three digits (0..255), then the significant digits. A negative number complements both the
 *   exponent (999 − e) and each digit (9 − d) and ends with `~`, which sorts after every digit:
 *   −1.2 has digits `87~` and −1.23 `876~`, and `87~` > `876~` as −1.2 > −1.23.
 * Equal numbers have equal codes because numbers are normalised first ("1.0" is "1").
 */
import { decimalOf, type AttributeValue } from './values.js';

export type KeyType = 'S' | 'N' | 'B';

export function encodeKeyValue(type: KeyType, v: AttributeValue): string {
  if (type === 'N') return encodeNumber(v.N as string);
  return encodeBytes(type === 'S' ? Buffer.from(v.S as string, 'utf8') : Buffer.from(v.B as string, 'base64'));
}

export function encodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x30 && b <= 0x7d) out += String.fromCharCode(b);
    else out += (b < 0x30 ? '+' : '~') + b.toString(16).padStart(2, '0');
  }
  return out;
}

export function encodeNumber(n: string): string {
  const d = decimalOf(n);
  if (d.sign === 0) return '2';
  const exp = d.exp + 130;
  if (d.sign > 0) return `3${String(exp).padStart(3, '0')}${d.digits}`;
  const digits = Array.from(d.digits, (c) => String(9 - Number(c))).join('');
  return `1${String(999 - exp).padStart(3, '0')}${digits}~`;
}
