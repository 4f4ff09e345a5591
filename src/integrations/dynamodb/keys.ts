/** Primary keys: AWS's checks of a Key and of an item's key attributes, with its messages. */
import { validation } from './errors.js';
import type { TableKeys, KeyAttribute } from './tables.js';
import type { AttributeMap, AttributeValue } from './values.js';

const MISMATCH = 'The provided key element does not match the schema';

function keyAttributes(keys: TableKeys): KeyAttribute[] {
  return keys.range ? [keys.hash, keys.range] : [keys.hash];
}

/** A Key member: exactly the key attributes, of their types, not empty, within size limits. */
export function checkKey(keys: TableKeys, key: AttributeMap, mismatch = MISMATCH): void {
  const attrs = keyAttributes(keys);
  if (Object.keys(key).length !== attrs.length) throw validation(mismatch);
  for (const a of attrs) {
    const v = key[a.name];
    if (v === undefined || v[a.type] === undefined) throw validation(mismatch);
    checkKeyValue(a, v, a === keys.hash);
  }
}

/** The key attributes of an item to write. */
export function checkItemKey(keys: TableKeys, item: AttributeMap): void {
  for (const a of keyAttributes(keys)) {
    const v = item[a.name];
    if (v === undefined) throw validation(`One or more parameter values were invalid: Missing the key ${a.name} in the item`);
    if (v[a.type] === undefined) {
      throw validation(`One or more parameter values were invalid: Type mismatch for key ${a.name} expected: ${a.type} actual: ${Object.keys(v)[0] ?? ''}`);
    }
    checkKeyValue(a, v, a === keys.hash);
  }
}

function checkKeyValue(a: KeyAttribute, v: AttributeValue, isHash: boolean): void {
  if (a.type === 'N') return;
  const bytes = a.type === 'S' ? Buffer.byteLength(v.S as string, 'utf8') : Buffer.from(v.B as string, 'base64').length;
  if (bytes === 0) {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${a.type === 'S' ? 'string' : 'binary'} value. Key: ${a.name}`,
    );
  }
  if (isHash && bytes > 2048) throw validation('One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (!isHash && bytes > 1024) throw validation('One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

/** The key of an item: its key attributes only. */
export function keyOf(keys: TableKeys, item: AttributeMap): AttributeMap {
  const key: AttributeMap = {};
  for (const a of keyAttributes(keys)) if (item[a.name] !== undefined) key[a.name] = item[a.name] as AttributeValue;
  return key;
}

export function isKeyAttribute(keys: TableKeys, name: string): boolean {
  return name === keys.hash.name || name === keys.range?.name;
}
