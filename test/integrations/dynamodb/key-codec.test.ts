import { describe, expect, it } from 'vitest';
import { encodeKeyValue, type KeyType } from '../../../src/integrations/dynamodb/key-codec.js';
import { checkValue, compareScalars, type AttributeValue } from '../../../src/integrations/dynamodb/values.js';

/** Sort by the codes (as the stores order ARNs: code point order) and by DynamoDB's order; they must agree. */
function expectSameOrder(type: KeyType, values: AttributeValue[]): void {
  for (const v of values) expect(checkValue(v)).toBeUndefined();
  const byCode = [...values].sort((a, b) => {
    const x = encodeKeyValue(type, a);
    const y = encodeKeyValue(type, b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const byValue = [...values].sort((a, b) => compareScalars(a, b) ?? 0);
  expect(byCode).toEqual(byValue);
}

function randomBytes(n: number, alphabet: number[]): number[] {
  return Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)] as number);
}

describe('sort key codes order items as DynamoDB sorts them', () => {
  it('numbers by value, across signs, exponents and digit counts', () => {
    const texts = ['0', '-0', '1', '-1', '1.2', '1.23', '-1.2', '-1.23', '10', '9.99', '-10', '-9.99', '1E+125', '-1E+125', '1E-130', '-1E-130', '0.001', '-0.001', '123456789012345678901234567890123456.78', '99', '100', '-100', '5e2', '499.999'];
    expectSameOrder('N', texts.map((N) => ({ N })));
    for (let round = 0; round < 20; round++) {
      const random = Array.from({ length: 50 }, () => ({ N: `${Math.random() < 0.5 ? '-' : ''}${Math.floor(Math.random() * 1e6)}.${Math.floor(Math.random() * 1e4)}E${Math.floor(Math.random() * 20) - 10}` }));
      expectSameOrder('N', random);
    }
  });

  it('equal numbers written differently share one code', () => {
    const a = { N: '1.50' };
    const b = { N: '15E-1' };
    checkValue(a);
    checkValue(b);
    expect(encodeKeyValue('N', a)).toBe(encodeKeyValue('N', b));
  });

  it('strings by their UTF-8 bytes, prefixes first, including escaped and non-ASCII characters', () => {
    expectSameOrder('S', ['a', 'ab', 'a/b', 'a b', 'a~', 'a}', 'a+', 'A', 'Z', '0', '~', '\u00e9', '\u{1F600}', 'z\u0000', 'z', '#', 'zz'].map((S) => ({ S })));
    const alphabet = [0x00, 0x01, 0x2b, 0x2f, 0x30, 0x41, 0x7d, 0x7e, 0x7f];
    for (let round = 0; round < 20; round++) {
      const random = Array.from({ length: 40 }, () => ({ S: String.fromCharCode(...randomBytes(1 + Math.floor(Math.random() * 4), alphabet)) }));
      expectSameOrder('S', random);
    }
  });

  it('binaries by unsigned bytes', () => {
    const alphabet = [0x00, 0x2b, 0x2f, 0x30, 0x7d, 0x7e, 0x80, 0xff];
    for (let round = 0; round < 20; round++) {
      const random = Array.from({ length: 40 }, () => ({ B: Buffer.from(randomBytes(1 + Math.floor(Math.random() * 4), alphabet)).toString('base64') }));
      expectSameOrder('B', random);
    }
  });

  it('codes are ASCII without NUL or the partition separator', () => {
    for (const v of [{ S: 'a/b\u0000\u00ff' }, { B: Buffer.from([0, 47, 255]).toString('base64') }]) {
      const code = encodeKeyValue('S' in v ? 'S' : 'B', v);
      expect(code).toMatch(/^[\x21-\x7e]+$/);
      expect(code).not.toContain('/');
    }
  });
});
