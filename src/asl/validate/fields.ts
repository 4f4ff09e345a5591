/**
 * Which fields each state type accepts, and under which query language (asl-surface.md §1 and
 * §3). A field outside its type's list is unsupported; a field of the other query language is
 * rejected with AWS's query-language message. Nothing is ignored silently.
 */
import type { JsonObject } from '../../lib/json.js';
import { at, type QueryLanguage, type Reporter } from './report.js';

type Lang = 'any' | QueryLanguage;
export type FieldSpec = Readonly<Record<string, Lang>>;

const COMMON: FieldSpec = { Type: 'any', Comment: 'any', QueryLanguage: 'any' };
const FLOW: FieldSpec = { Next: 'any', End: 'any' };
const IO: FieldSpec = { InputPath: 'JSONPath', OutputPath: 'JSONPath', Output: 'JSONata' };
const RESULT: FieldSpec = { ResultPath: 'JSONPath', ResultSelector: 'JSONPath' };
const ERRORS: FieldSpec = { Retry: 'any', Catch: 'any' };

export const STATE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  Task: {
    ...COMMON, ...FLOW, ...IO, ...RESULT, ...ERRORS,
    Assign: 'any', Resource: 'any', Parameters: 'JSONPath', Arguments: 'JSONata', Credentials: 'any',
    TimeoutSeconds: 'any', TimeoutSecondsPath: 'JSONPath', HeartbeatSeconds: 'any', HeartbeatSecondsPath: 'JSONPath',
  },
  Pass: { ...COMMON, ...FLOW, ...IO, Assign: 'any', Parameters: 'JSONPath', ResultPath: 'JSONPath', Result: 'JSONPath' },
  Choice: { ...COMMON, ...IO, Assign: 'any', Choices: 'any', Default: 'any' },
  Wait: {
    ...COMMON, ...FLOW, ...IO,
    Assign: 'any', Seconds: 'any', Timestamp: 'any', SecondsPath: 'JSONPath', TimestampPath: 'JSONPath',
  },
  Succeed: { ...COMMON, ...IO },
  Fail: { ...COMMON, Error: 'any', Cause: 'any', ErrorPath: 'JSONPath', CausePath: 'JSONPath' },
  Parallel: { ...COMMON, ...FLOW, ...IO, ...RESULT, ...ERRORS, Assign: 'any', Branches: 'any', Parameters: 'JSONPath', Arguments: 'JSONata' },
  Map: {
    ...COMMON, ...FLOW, ...IO, ...RESULT, ...ERRORS,
    Assign: 'any', ItemProcessor: 'any', Iterator: 'any', ItemsPath: 'JSONPath', Items: 'JSONata',
    ItemSelector: 'any', Parameters: 'JSONPath', ItemReader: 'any', ItemBatcher: 'any', ResultWriter: 'any', Label: 'any',
    MaxConcurrency: 'any', MaxConcurrencyPath: 'JSONPath',
    ToleratedFailurePercentage: 'any', ToleratedFailurePercentagePath: 'JSONPath',
    ToleratedFailureCount: 'any', ToleratedFailureCountPath: 'JSONPath',
  },
};

export const STATE_TYPES = Object.keys(STATE_FIELDS);

/** Report every field of `obj` that `spec` does not allow under `ql`. */
export function checkFields(r: Reporter, obj: JsonObject, spec: FieldSpec, ql: QueryLanguage, location: string): void {
  for (const key of Object.keys(obj)) {
    const lang = spec[key];
    if (lang === undefined || !Object.prototype.hasOwnProperty.call(spec, key)) {
      r.schema(`Field '${key}' is not supported`, at(location, key));
    } else if (lang !== 'any' && lang !== ql) {
      r.schema(`The QueryLanguage is set to '${ql}', but field '${key}' is only supported for the '${lang}' QueryLanguage`, at(location, key));
    }
  }
}

/** Report the fields of `required` missing from `obj`, in one diagnostic as AWS does. */
export function checkRequired(r: Reporter, obj: JsonObject, required: readonly string[], location: string): boolean {
  const missing = required.filter((f) => !Object.prototype.hasOwnProperty.call(obj, f));
  if (missing.length > 0) r.schema(`These fields are required: [${missing.join(', ')}]`, location);
  return missing.length === 0;
}
