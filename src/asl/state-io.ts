/**
 * A JSONPath state's data-flow fields compiled once: paths for InputPath, OutputPath,
 * ResultPath and templates for Parameters, ResultSelector and Assign.
 */
import { isObject, type Json } from '../lib/json.js';
import { compilePath, type CompiledPath } from './jsonpath.js';
import { compileTemplate, type Template } from './payload.js';

/** `undefined`: the field is absent (default `$`); `null`: the field is null. */
export type OptionalPath = CompiledPath | null | undefined;

export interface StateIO {
  readonly inputPath: OptionalPath;
  readonly outputPath: OptionalPath;
  readonly resultPath: OptionalPath;
  readonly parameters: Template | undefined;
  readonly resultSelector: Template | undefined;
  readonly assign: Template | undefined;
}

function optional(def: Record<string, Json>, field: string): OptionalPath {
  if (!(field in def)) return undefined;
  const v = def[field];
  if (v === null) return null;
  const p = compilePath(v as string);
  // `$` selects everything: treat it as absent so the hot path skips it.
  return p.root === 'input' && p.segments.length === 0 ? undefined : p;
}

export function compileStateIO(def: Record<string, Json>): StateIO {
  return {
    inputPath: optional(def, 'InputPath'),
    outputPath: optional(def, 'OutputPath'),
    resultPath: 'ResultPath' in def ? (def['ResultPath'] === null ? null : compilePath(def['ResultPath'] as string)) : undefined,
    parameters: 'Parameters' in def ? compileTemplate(def['Parameters'] as Json) : undefined,
    resultSelector: 'ResultSelector' in def ? compileTemplate(def['ResultSelector'] as Json) : undefined,
    assign: isObject(def['Assign']) ? compileTemplate(def['Assign']) : undefined,
  };
}
