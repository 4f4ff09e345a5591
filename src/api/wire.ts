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

/** The members of a request body, read with AWS's errors for missing or mistyped members. */
export class Members {
  constructor(private readonly body: Record<string, unknown>) {}

  private get(name: string): unknown {
    const v = this.body[name];
    return v === null ? undefined : v;
  }

  str(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw wrongType(name, 'a string');
    return v;
  }

  reqStr(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw missing(name);
    return v;
  }

  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(name, 'an integer');
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw wrongType(name, 'a boolean');
    return v;
  }

  obj<T extends object>(name: string): T | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(name, 'a structure');
    return v as T;
  }

  /** A list of strings. */
  strList(name: string): string[] | undefined {
    const v = this.list<unknown>(name);
    if (v?.some((s) => typeof s !== 'string')) throw wrongType(name, 'a list of strings');
    return v as string[] | undefined;
  }

  reqStrList(name: string): string[] {
    const v = this.strList(name);
    if (v === undefined) throw missing(name);
    return v;
  }

  reqList<T>(name: string): T[] {
    const v = this.list<T>(name);
    if (v === undefined) throw missing(name);
    return v;
  }

  list<T>(name: string): T[] | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw wrongType(name, 'a list');
    return v as T[];
  }
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
