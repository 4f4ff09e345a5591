/**
 * Definition validation before anything runs, with AWS's diagnostic codes and, where known, its
 * wording (ValidateStateMachineDefinition / CreateStateMachine's InvalidDefinition). Anything
 * the engine does not support is an error, never ignored. The checks live in `validate/`.
 */
import type { Json } from '../lib/json.js';
import { validateMachine } from './validate/blocks.js';
import { parseDefinitionText } from './validate/json-text.js';
import { Codes, Reporter, type Diagnostic, type MachineType } from './validate/report.js';

export type { Diagnostic } from './validate/report.js';
export { invalidDefinitionMessage } from './validate/report.js';

/** Where a `States` object of the machine or of a nested block sits. */
const STATES_OBJECT = /^(.*\/(Branches\[\d+\]|ItemProcessor|Iterator))?\/States$/;

export interface ValidateOptions {
  type?: MachineType;
}

/** Validate a definition, given as a parsed object or as JSON text. No diagnostics of severity ERROR means valid. */
export function validateDefinition(definition: unknown, opts: ValidateOptions = {}): Diagnostic[] {
  const r = new Reporter();
  const type = opts.type ?? 'STANDARD';
  if (definition === undefined || definition === null || (typeof definition === 'string' && definition.trim() === '')) {
    r.error(Codes.MissingDescription, 'Received a null or empty workflow input');
    return r.diagnostics;
  }
  let value = definition as Json;
  if (typeof definition === 'string') {
    const parsed = parseDefinitionText(definition);
    if (!parsed.ok) {
      r.error(Codes.InvalidJson, parsed.message);
      return r.diagnostics;
    }
    value = parsed.value;
    for (const d of parsed.duplicates) {
      if (STATES_OBJECT.test(d.parent)) r.error(Codes.DuplicateStateName, `Duplicate State name: ${d.key}`, `${d.parent}/${d.key}`);
    }
  }
  validateMachine(value, r, type);
  return r.diagnostics;
}

/** True when the diagnostics contain no error (warnings do not make a definition invalid). */
export function isValid(diags: readonly Diagnostic[]): boolean {
  return diags.every((d) => d.severity !== 'ERROR');
}
