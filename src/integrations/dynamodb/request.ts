/**
 * Reading DynamoDB request members the way the service does: wrong JSON types are a
 * SerializationException, broken constraints are collected into one ValidationException
 * (`2 validation errors detected: Value null at 'tableName' ...; ...`), attribute values are
 * validated (and their numbers normalised), and the legacy (pre-expression) parameters, which
 * Stepwise does not implement, are refused by name rather than ignored.
 */
import { constraintErrors, serialization, validation } from './errors.js';
import { checkValue, type AttributeMap } from './values.js';

export type Body = Record<string, unknown>;

export const RETURN_VALUES = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] as const;
export const RETURN_CONSUMED_CAPACITY = ['INDEXES', 'TOTAL', 'NONE'] as const;
export const RETURN_ON_CONDITION_FAILURE = ['ALL_OLD', 'NONE'] as const;
export const SELECT = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'] as const;

export function asBody(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw serialization('Start of structure or map found where not expected');
  return body as Body;
}

function jsonKind(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof v === 'number') return Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  if (typeof v === 'string') return 'STRING_VALUE';
  return Array.isArray(v) ? 'START_ARRAY' : 'START_OBJECT';
}

function present(body: Body, name: string): unknown {
  const v = body[name];
  return v === null ? undefined : v;
}

export function optString(body: Body, name: string): string | undefined {
  const v = present(body, name);
  if (v === undefined || typeof v === 'string') return v;
  throw serialization(`${jsonKind(v)} cannot be converted to String`);
}

export function optInteger(body: Body, name: string): number | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw serialization(`${jsonKind(v)} cannot be converted to Integer`);
  return Math.floor(v);
}

export function optBoolean(body: Body, name: string): boolean | undefined {
  const v = present(body, name);
  if (v === undefined || typeof v === 'boolean') return v;
  throw serialization(`${jsonKind(v)} cannot be converted to Boolean`);
}

export function optObject(body: Body, name: string): Body | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization('Unexpected field type');
  return v as Body;
}

export function optList(body: Body, name: string): unknown[] | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw serialization('Unexpected field type');
  return v;
}

/** A map of attribute values (Item, Key, ExclusiveStartKey), each validated and normalised. */
export function attributeMap(body: Body, name: string): AttributeMap | undefined {
  const map = optObject(body, name);
  if (map === undefined) return undefined;
  for (const value of Object.values(map)) {
    const problem = checkValue(value);
    if (problem) throw validation(problem);
  }
  return map as AttributeMap;
}

/** ExpressionAttributeNames / ExpressionAttributeValues, typed for the expression compiler. */
export function placeholders(body: Body): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: AttributeMap } {
  const names = optObject(body, 'ExpressionAttributeNames');
  if (names && Object.values(names).some((v) => typeof v !== 'string')) throw serialization('Unexpected field type');
  const values = optObject(body, 'ExpressionAttributeValues');
  return {
    ...(names === undefined ? {} : { ExpressionAttributeNames: names as Record<string, string> }),
    ...(values === undefined ? {} : { ExpressionAttributeValues: values as AttributeMap }),
  };
}

/** Legacy parameters Stepwise does not implement: refused, never silently ignored. */
export function refuseLegacy(body: Body, names: readonly string[]): void {
  for (const name of names) {
    if (present(body, name) !== undefined) {
      throw validation(`Stepwise does not support the legacy parameter ${name}; use the expression parameters instead`);
    }
  }
}

/** Member constraints, collected and reported together as AWS does. */
export class Constraints {
  private readonly errors: string[] = [];

  constructor(private readonly body: Body) {}

  private fail(member: string, value: unknown, constraint: string): void {
    const shown = value === undefined ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
    this.errors.push(`Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  /** TableName: required, 3 to 255 of [a-zA-Z0-9_.-] (a table ARN is accepted too). */
  tableName(name = 'TableName', member = 'tableName'): string {
    const v = optString(this.body, name);
    if (v === undefined) this.fail(member, v, 'Member must not be null');
    else if (v.startsWith('arn:')) return tableNameOfArn(v);
    else if (v.length < 3) this.fail(member, v, 'Member must have length greater than or equal to 3');
    else if (v.length > 255) this.fail(member, v, 'Member must have length less than or equal to 255');
    else if (!/^[a-zA-Z0-9_.-]+$/.test(v)) this.fail(member, v, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    return v ?? '';
  }

  notNull(name: string, member: string): void {
    if (present(this.body, name) === undefined) this.fail(member, undefined, 'Member must not be null');
  }

  oneOf<T extends string>(name: string, member: string, values: readonly T[]): T | undefined {
    const v = optString(this.body, name);
    if (v !== undefined && !values.includes(v as T)) this.fail(member, v, `Member must satisfy enum value set: [${values.join(', ')}]`);
    return v as T | undefined;
  }

  limit(name = 'Limit', min = 1): number | undefined {
    const v = optInteger(this.body, name);
    if (v !== undefined && v < min) this.errors.push(`Value at '${name}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
    return v;
  }

  check(): void {
    if (this.errors.length > 0) throw constraintErrors(this.errors);
  }
}

function tableNameOfArn(arn: string): string {
  const m = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([a-zA-Z0-9_.-]{3,255})$/.exec(arn);
  if (!m) throw validation(`Invalid TableName: ${arn}`);
  return m[1] as string;
}
