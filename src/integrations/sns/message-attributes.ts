/**
 * Publish's MessageAttributes (`{name: {DataType, StringValue | BinaryValue}}`, BinaryValue as
 * base64 in a state machine's JSON), checked as SNS checks them and turned into the envelope's
 * form (`{name: {Type, Value}}`).
 */
import { isObject, type Json } from '../../lib/json.js';
import { snsErrors } from './errors.js';

const NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;
/** SNS's limit on attributes of one message. */
const MAX_ATTRIBUTES = 10;

export type EnvelopeAttributes = Record<string, { Type: string; Value: string }>;

export function readMessageAttributes(value: Json | undefined): EnvelopeAttributes {
  const out: EnvelopeAttributes = {};
  if (value === undefined || value === null) return out;
  if (!isObject(value)) throw snsErrors.invalidParameter('MessageAttributes');
  const names = Object.keys(value);
  if (names.length > MAX_ATTRIBUTES) throw snsErrors.invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  for (const name of names) {
    if (!NAME.test(name) || name.includes('..') || name.startsWith('.') || name.endsWith('.') || /^(aws\.|amazon\.)/i.test(name)) {
      throw snsErrors.invalidParameterValue(`Message attribute name '${name}' is invalid: use letters, digits, '_', '-' and '.', not 'AWS.' or 'Amazon.' first, no '..', and not '.' first or last.`);
    }
    const attr = value[name];
    if (!isObject(attr)) throw snsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value.`);
    const type = attr['DataType'];
    if (typeof type !== 'string' || type === '') throw snsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    const m = TYPE.exec(type);
    if (!m) throw snsErrors.invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    const base = m[1] as string;
    const field = base === 'Binary' ? 'BinaryValue' : 'StringValue';
    const v = attr[field];
    if (typeof v !== 'string' || v === '') {
      throw snsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (base === 'Number' && !Number.isFinite(Number(v))) throw snsErrors.invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    out[name] = { Type: type, Value: v };
  }
  return out;
}
