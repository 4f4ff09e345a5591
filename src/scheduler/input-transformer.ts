/**
 * What an EventBridge target hands its state machine as execution input: the target's `Input`
 * (JSON text, sent as is), the part of the event its `InputPath` selects, the event rewritten by
 * its `InputTransformer`, or else the whole event. Rules from AWS's "Amazon EventBridge input
 * transformation" page (eb-transform-target-input.html) and the API reference's InputTransformer;
 * refusals use the PutTargets texts AWS answers (as recorded by localstack against AWS).
 *
 * Templates follow AWS literally, including its sharp edges: values are not escaped, a string
 * placed outside quotes gets quotes added, a missing path becomes an empty string, and an object
 * or array placed inside a string loses its quotes. A template that does not yield JSON is
 * returned as it is; StartExecution then refuses it, as it would on AWS.
 */
import type { Json, JsonObject } from '../lib/json.js';
import { isObject } from '../lib/json.js';
import { ServiceError } from '../service/errors.js';

export interface InputTransformerSpec {
  /** Variable name → JSON path into the event. */
  readonly InputPathsMap?: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

/** The input members of a PutTargets target, with their wire names. */
export interface TargetInputSpec {
  readonly Id?: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: InputTransformerSpec;
}

/** What the predefined variables stand for when a rule fires. */
export interface RuleContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** ISO 8601; when EventBridge received the event. Defaults to the event's `time`. */
  readonly ingestionTime?: string;
}

/** A target's input could not be built for this event (e.g. its InputPath selects nothing). */
export class TargetInputError extends Error {}

/** Limits from the EventBridge API model and the input transformation page. */
const MAX_INPUT = 8192;
const MAX_PATH = 256;
const MAX_PATHS = 100;
const KEY = /^[A-Za-z0-9_-]{1,256}$/;

export const PREDEFINED = {
  ruleArn: 'aws.events.rule-arn',
  ruleName: 'aws.events.rule-name',
  ingestionTime: 'aws.events.event.ingestion-time',
  event: 'aws.events.event',
  eventJson: 'aws.events.event.json',
} as const;

const PREDEFINED_NAMES: ReadonlySet<string> = new Set(Object.values(PREDEFINED));

/** `<name>` in a template; names are path keys or the predefined (dotted) variables. */
const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/y;

// ---------------------------------------------------------------- JSON paths

type Step = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'all' };

/**
 * The JSON paths EventBridge evaluates: `$` then `.name` (letters, digits, `_`, `-`, `/`),
 * `[n]`, `.*` or `[*]`. Anything else (quoted brackets, `..`, filters, slices) is refused.
 */
function parsePath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_\-/]+)|\.\*|\[(\d+)\]|\[\*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const at = re.lastIndex;
    const m = re.exec(path);
    if (!m || m.index !== at) return undefined;
    if (m[1] !== undefined) steps.push({ kind: 'name', name: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else steps.push({ kind: 'all' });
  }
  return steps;
}

/** The value a path selects: undefined when it selects nothing; with a wildcard, the list of matches. */
function select(steps: readonly Step[], root: Json): Json | undefined {
  const wild = steps.some((s) => s.kind === 'all');
  let current: Json[] = [root];
  for (const step of steps) {
    const next: Json[] = [];
    for (const v of current) {
      if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else if (step.kind === 'index') {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index] as Json);
      } else if (isObject(v) && Object.prototype.hasOwnProperty.call(v, step.name)) {
        next.push(v[step.name] as Json);
      }
    }
    current = next;
  }
  return wild ? current : current[0];
}

// ---------------------------------------------------------------- validation

const constraint = (index: number, member: string, what: string) => `1 validation error detected: Value at 'targets.${index}.member.${member}' failed to satisfy constraint: ${what}`;

/**
 * Why PutTargets refuses this target's input members, or undefined when it accepts them.
 * `index` is the target's 1-based place in the request (AWS names members by it).
 */
export function targetInputProblem(target: TargetInputSpec, index = 1): string | undefined {
  const id = target.Id ?? '';
  const { Input, InputPath, InputTransformer } = target;
  if ([Input, InputPath, InputTransformer].filter((m) => m !== undefined).length > 1) {
    return `Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`;
  }
  if (Input !== undefined) {
    if (Input.length > MAX_INPUT) return constraint(index, 'input', `Member must have length less than or equal to ${MAX_INPUT}`);
    try {
      JSON.parse(Input);
    } catch {
      return `Input for target ${id} is not a valid JSON text.`;
    }
  }
  if (InputPath !== undefined) {
    if (InputPath.length > MAX_PATH) return constraint(index, 'inputPath', `Member must have length less than or equal to ${MAX_PATH}`);
    if (!parsePath(InputPath)) return `InputPath for target ${id} is invalid.`;
  }
  return InputTransformer === undefined ? undefined : transformerProblem(InputTransformer, id, index);
}

function transformerProblem(t: InputTransformerSpec, id: string, index: number): string | undefined {
  const member = 'inputTransformer';
  const template: unknown = t.InputTemplate;
  if (typeof template !== 'string') return `1 validation error detected: Value null at 'targets.${index}.member.${member}.inputTemplate' failed to satisfy constraint: Member must not be null`;
  if (template.length < 1 || template.length > MAX_INPUT) {
    return constraint(index, `${member}.inputTemplate`, `Member must have length less than or equal to ${MAX_INPUT}, Member must have length greater than or equal to 1`);
  }
  const paths = Object.entries(t.InputPathsMap ?? {});
  if (paths.length > MAX_PATHS) return constraint(index, `${member}.inputPathsMap`, `Member must have length less than or equal to ${MAX_PATHS}`);
  for (const [key, path] of paths) {
    if (!KEY.test(key)) return constraint(index, `${member}.inputPathsMap`, 'Map keys must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]');
    if (path.length > MAX_PATH) return constraint(index, `${member}.inputPathsMap`, `Map value must satisfy constraint: [Member must have length less than or equal to ${MAX_PATH}]`);
    // AWS words a bad path in InputPathsMap as it words a bad InputPath.
    if (!parsePath(path)) return `InputPath for target ${id} is invalid.`;
  }
  const known = new Set(paths.map(([key]) => key));
  for (const p of placeholders(template)) {
    if (!known.has(p.name) && !PREDEFINED_NAMES.has(p.name)) return `InputTemplate for target ${id} contains invalid placeholder ${p.name}.`;
    // "If InputTemplate is a JSON object … the placeholder cannot be used as an object key." (our wording: AWS's is not documented)
    if (isJsonTemplate(template) && !p.inString && /^\s*:/.test(template.slice(p.end))) return `InputTemplate for target ${id} uses placeholder ${p.name} as an object key.`;
  }
  return undefined;
}

/** Throws PutTargets' ValidationException when targetInputProblem finds one. */
export function validateTargetInput(target: TargetInputSpec, index = 1): void {
  const problem = targetInputProblem(target, index);
  if (problem !== undefined) throw new ServiceError('ValidationException', problem);
}

// ---------------------------------------------------------------- templates

interface Placeholder {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Whether it sits inside a JSON string literal of the template. */
  readonly inString: boolean;
}

/** The placeholders of a template, in order, each knowing whether it is inside quotes. */
function placeholders(template: string): Placeholder[] {
  const out: Placeholder[] = [];
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (c === '<') {
      PLACEHOLDER.lastIndex = i;
      const m = PLACEHOLDER.exec(template);
      if (m) {
        out.push({ name: m[1] as string, start: i, end: i + m[0].length, inString });
        i += m[0].length - 1;
      }
    }
  }
  return out;
}

/** A template written as JSON (an object, array or string literal), as opposed to free text. */
const isJsonTemplate = (template: string) => /^\s*[{["]/.test(template);

/** A variable's value as AWS inserts it. `raw` values (the event predefined variables) go in as JSON text, unescaped. */
function render(value: Json | undefined, inString: boolean, json: boolean, raw: boolean): string {
  const quoted = json && !inString;
  if (value === undefined) return quoted ? '""' : '';
  if (typeof value === 'string') return quoted ? `"${value}"` : value;
  if (value === null || typeof value !== 'object') return String(value);
  const text = JSON.stringify(value);
  // "If a JSON path references a JSON object or array, but the variable is referenced in a
  // string, EventBridge removes any internal quotes to ensure a valid string."
  return json && inString && !raw ? text.replaceAll('"', '') : text;
}

/** Compact JSON text by dropping whitespace outside strings (keeps key order and number spellings). */
function minify(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/** The event as `<aws.events.event>` shows it: no detail, `detail-type` as `detailType`. */
function eventWithoutDetail(event: JsonObject, time: Json | undefined): JsonObject {
  const out: JsonObject = {};
  const fields: [string, Json | undefined][] = [
    ['id', event['id']], ['account', event['account']], ['detailType', event['detail-type']], ['time', time],
    ['source', event['source']], ['region', event['region']], ['resources', event['resources']], ['version', event['version']],
  ];
  for (const [k, v] of fields) if (v !== undefined) out[k] = v;
  return out;
}

function applyTemplate(t: InputTransformerSpec, event: Json, ctx: RuleContext): string {
  const obj = isObject(event) ? event : {};
  const ingestion = ctx.ingestionTime ?? obj['time'];
  const values = new Map<string, Json | undefined>();
  for (const [key, path] of Object.entries(t.InputPathsMap ?? {})) {
    const steps = parsePath(path);
    values.set(key, steps ? select(steps, event) : undefined);
  }
  const predefined: Record<string, Json | undefined> = {
    [PREDEFINED.ruleArn]: ctx.ruleArn,
    [PREDEFINED.ruleName]: ctx.ruleName,
    [PREDEFINED.ingestionTime]: ingestion,
    [PREDEFINED.event]: eventWithoutDetail(obj, ingestion),
    [PREDEFINED.eventJson]: event,
  };
  const template = t.InputTemplate;
  const json = isJsonTemplate(template);
  let out = '';
  let at = 0;
  for (const p of placeholders(template)) {
    const isPredefined = PREDEFINED_NAMES.has(p.name) && !values.has(p.name);
    const value = isPredefined ? predefined[p.name] : values.get(p.name);
    out += template.slice(at, p.start) + render(value, p.inString, json, p.name === PREDEFINED.event || p.name === PREDEFINED.eventJson);
    at = p.end;
  }
  out += template.slice(at);
  if (!json) return out;
  try {
    JSON.parse(out);
  } catch {
    return out;
  }
  // "The JSON that is passed to the target is minified."
  return minify(out);
}

/**
 * The execution input (text) a target sends for this event. Assumes the target passed
 * targetInputProblem. Throws TargetInputError when its InputPath selects nothing.
 */
export function targetInput(target: TargetInputSpec, event: Json, ctx: RuleContext): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const steps = parsePath(target.InputPath);
    const value = steps ? select(steps, event) : undefined;
    if (value === undefined) throw new TargetInputError(`InputPath ${target.InputPath} of target ${target.Id ?? ''} selects nothing in the event`);
    return JSON.stringify(value);
  }
  if (target.InputTransformer !== undefined) return applyTemplate(target.InputTransformer, event, ctx);
  return JSON.stringify(event);
}
