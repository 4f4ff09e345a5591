/**
 * Error texts for JSONata evaluation, worded as AWS Step Functions reports them.
 *
 * AWS causes read `An error occurred while executing the state '<name>' (entered at the event id #<n>). <detail>`.
 * The prefix is the engine's business; everything here builds the part after it, e.g.
 * `The JSONata expression '$x' specified for the field 'Output/result' returned nothing (undefined).`
 */
import type { Json } from '../../lib/json.js';
import { StatesError, StatesErrors } from '../errors.js';

/** The JSON type name AWS prints in "Expected 'array', but was 'number'": null, array, object, string, number, boolean. */
export function jsonataTypeName(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** `... returned nothing (undefined).` */
export function jsonataUndefinedMessage(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' returned nothing (undefined).`;
}

/**
 * `... returned an unexpected result type. Expected 'array', but was 'number' for value: 1`.
 * `expected` is AWS's word for the wanted type ('array', 'boolean', 'string', 'integer', ...); the value is
 * printed as compact JSON (strings quoted).
 */
export function jsonataUnexpectedTypeMessage(expression: string, field: string, expected: string, value: Json): string {
  return (
    `The JSONata expression '${expression}' specified for the field '${field}' returned an unexpected result type. ` +
    `Expected '${expected}', but was '${jsonataTypeName(value)}' for value: ${JSON.stringify(value)}`
  );
}

/** `... threw an error during evaluation. T1006: Attempted to invoke a non-function` (detail = `<code>: <message>`). */
export function jsonataEvaluationErrorMessage(expression: string, field: string, detail: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}' threw an error during evaluation. ${detail}`;
}

export type JsonataFailureKind = 'undefined' | 'type' | 'evaluation';

/**
 * `States.QueryEvaluationError` raised by the bridge. `cause` is the message without the state prefix; the
 * engine prepends `An error occurred while executing the state ...` (see {@link withStatePrefix}).
 */
export class JsonataEvaluationError extends StatesError {
  constructor(
    cause: string,
    readonly kind: JsonataFailureKind,
    readonly expression: string,
    readonly field: string,
    readonly stateName?: string,
  ) {
    super(StatesErrors.QueryEvaluationError, cause);
  }
}

/** Build the error the engine throws when a field's result has the wrong type (e.g. Map `Items` not an array). */
export function jsonataUnexpectedTypeError(
  expression: string,
  field: string,
  expected: string,
  value: Json,
  stateName?: string,
): JsonataEvaluationError {
  return new JsonataEvaluationError(
    jsonataUnexpectedTypeMessage(expression, field, expected, value),
    'type',
    expression,
    field,
    stateName,
  );
}

/** AWS's full cause: `An error occurred while executing the state '<state>' (entered at the event id #<id>). <cause>` */
export function withStatePrefix(stateName: string, enteredEventId: number, cause: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${cause}`;
}
