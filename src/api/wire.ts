/**
 * The AWS JSON 1.0 wire: errors as `{"__type": "com.amazonaws.sfn#<Code>", "message": …}` with
 * AWS's HTTP status, request members read with AWS's validation errors, dates as epoch seconds.
 */
import { ServiceError } from '../service/errors.js';
import { ServiceErrorWithMembers } from '../service/tags.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Errors whose status is not 400. */
const STATUS: Record<string, number> = {
  ResourceNotFound: 404,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  MissingAuthenticationTokenException: 403,
  RequestEntityTooLargeException: 413,
  InternalFailure: 500,
};

/** An error answered on the wire. Service errors are converted to it at the edge. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    status?: number,
    /** Members of the error's shape besides `message` (TooManyTags' `resourceName`). */
    readonly members: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = code;
    this.status = status ?? STATUS[code] ?? 400;
  }
}

/** Normalise anything thrown below the edge, once. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ServiceErrorWithMembers) return new ApiError(err.code, err.message, undefined, err.members);
  if (err instanceof ServiceError) return new ApiError(err.code, err.message);
  return new ApiError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.');
}

export function errorBody(err: ApiError): string {
  return JSON.stringify({ __type: `com.amazonaws.sfn#${err.code}`, message: err.message, ...err.members });
}

/** Epoch ms to the wire's epoch seconds (fractions kept). */
export function seconds(ms: number): number {
  return ms / 1000;
}

function missing(member: string): ApiError {
  return new ApiError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}

function wrongType(member: string, expected: string): ApiError {
  return new ApiError('SerializationException', `Unexpected value for member '${member}': expected ${expected}`);
}

/**
 * The names of the members of request shape `T` whose values are of kind `V`; `Required` keeps
 * only the members AWS requires. Any name when `T` is no particular shape.
 */
type MemberName<T, V, Required extends boolean = false> = string extends keyof T
  ? string
  : {
      [K in keyof T]-?: NonNullable<T[K]> extends V ? (Required extends true ? (undefined extends T[K] ? never : K) : K) : never;
    }[keyof T] &
      string;

/** Structures: objects that are not lists. */
type StructureName<T> = Exclude<MemberName<T, object>, MemberName<T, readonly unknown[]>>;

/**
 * The members of a request body, read with AWS's errors for missing or mistyped members. Typed
 * with the operation's request shape (src/api/shapes-requests.ts), a handler can read only that
 * shape's members, each with the accessor of its kind, and `req…` only the members AWS requires.
 * Untyped (`Members`), any name is readable: a body not yet dispatched to its operation.
 */
// `any`, not a shape: TypeScript compares Members<A> and Members<B> invariantly, and an untyped
// body must pass to every operation's handler and every handler's body to shared helpers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class Members<T extends object = any> {
  constructor(private readonly body: Record<string, unknown>) {}

  str(name: MemberName<T, string>): string | undefined {
    return this.string(name);
  }

  reqStr(name: MemberName<T, string, true>): string {
    return present(name, this.string(name));
  }

  int(name: MemberName<T, number>): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(name, 'an integer');
    return v;
  }

  /** A number, integral or not (toleratedFailurePercentage). */
  num(name: MemberName<T, number>): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(name, 'a number');
    return v;
  }

  bool(name: MemberName<T, boolean>): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw wrongType(name, 'a boolean');
    return v;
  }

  obj<O extends object>(name: StructureName<T>): O | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(name, 'a structure');
    return v as O;
  }

  /** A list of strings. */
  strList(name: MemberName<T, readonly string[]>): string[] | undefined {
    return this.strings(name);
  }

  reqStrList(name: MemberName<T, readonly string[], true>): string[] {
    return present(name, this.strings(name));
  }

  reqList<E>(name: MemberName<T, readonly unknown[], true>): E[] {
    return present(name, this.anyList<E>(name));
  }

  list<E>(name: MemberName<T, readonly unknown[]>): E[] | undefined {
    return this.anyList<E>(name);
  }

  private get(name: string): unknown {
    const v = this.body[name];
    return v === null ? undefined : v;
  }

  private string(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw wrongType(name, 'a string');
    return v;
  }

  private strings(name: string): string[] | undefined {
    const v = this.anyList<unknown>(name);
    if (v?.some((s) => typeof s !== 'string')) throw wrongType(name, 'a list of strings');
    return v as string[] | undefined;
  }

  private anyList<E>(name: string): E[] | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw wrongType(name, 'a list');
    return v as E[];
  }
}

function present<V>(member: string, v: V | undefined): V {
  if (v === undefined) throw missing(member);
  return v;
}

/** Parse a request body: empty means `{}`; anything but a JSON object is a SerializationException. */
export function parseBody(text: string): Members {
  if (text.trim() === '') return new Members({});
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError('SerializationException', `The request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object.');
  }
  return new Members(value as Record<string, unknown>);
}

/** Drop undefined members so the JSON matches what AWS sends (absent, not null). */
export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
