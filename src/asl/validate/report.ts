/**
 * Diagnostics as ValidateStateMachineDefinition returns them, and the collector every check
 * writes to. Locations follow AWS's own form: `/States/Foo/Catch[0]/Next` (array indexes in
 * brackets, names unescaped), because that is what users see in AWS error messages.
 */
import type { Json, JsonObject } from '../../lib/json.js';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type MachineType = 'STANDARD' | 'EXPRESS';

export const Codes = {
  InvalidJson: 'INVALID_JSON_DESCRIPTION',
  MissingDescription: 'MISSING_DESCRIPTION',
  Schema: 'SCHEMA_VALIDATION_FAILED',
  InvalidResource: 'INVALID_RESOURCE',
  MissingEndState: 'MISSING_END_STATE',
  DuplicateStateName: 'DUPLICATE_STATE_NAME',
  InvalidStateName: 'INVALID_STATE_NAME',
  MissingTransitionTarget: 'MISSING_TRANSITION_TARGET',
} as const;

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, message: string, location?: string): void {
    // The machine object itself is reported at `/`, as AWS does.
    if (location === '') location = '/';
    this.diagnostics.push(location === undefined ? { severity: 'ERROR', code, message } : { severity: 'ERROR', code, message, location });
  }

  schema(message: string, location: string): void {
    this.error(Codes.Schema, message, location);
  }

  warning(code: string, message: string, location: string): void {
    this.diagnostics.push({ severity: 'WARNING', code, message, location });
  }
}

/** Everything a state check needs besides the state itself. */
export interface Ctx {
  readonly r: Reporter;
  readonly machineType: MachineType;
  /** The machine's top-level query language: what nested blocks default to. */
  readonly machineQl: QueryLanguage;
  /** Validate a nested block (Parallel branch, Map processor); supplied by the block walker. */
  readonly validateBlock: (raw: Json, location: string, extraFields: readonly string[]) => void;
}

/** Extend a location by an object key or an array index. */
export function at(location: string, key: string | number): string {
  return typeof key === 'number' ? `${location}[${key}]` : `${location}/${key}`;
}

export function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function describeType(value: Json | undefined): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * AWS's CreateStateMachine message: one error is quoted once
 * (`'CODE: msg at /loc'`), several are each quoted and joined inside an outer pair of quotes.
 */
export function invalidDefinitionMessage(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'ERROR');
  const parts = errors.map((d) => `${d.code}: ${d.message}${d.location !== undefined ? ` at ${d.location}` : ''}`);
  if (parts.length === 0) return 'Invalid State Machine Definition';
  if (parts.length === 1) return `Invalid State Machine Definition: '${parts[0] as string}'`;
  return `Invalid State Machine Definition: '${parts.map((p) => `'${p}'`).join(', ')}'`;
}
