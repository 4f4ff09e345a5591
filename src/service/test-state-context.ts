/**
 * The Context object a TestState caller may give with a mock: its sections and fields as AWS
 * accepts them, refused with AWS's `Invalid Context object provided: …` messages.
 */
import { isObject, tryParseJson, type Json, type JsonObject } from '../lib/json.js';
import type { StateNode } from '../asl/graph.js';
import { ServiceError } from './errors.js';

type FieldType = 'string' | 'integer' | 'any';

const SECTIONS: Readonly<Record<string, Readonly<Record<string, FieldType>>>> = {
  Execution: { Id: 'string', Input: 'any', Name: 'string', RoleArn: 'string', StartTime: 'string', RedriveCount: 'integer', RedriveTime: 'string' },
  State: { EnteredTime: 'string', Name: 'string', RetryCount: 'integer' },
  StateMachine: { Id: 'string', Name: 'string' },
  Task: { Token: 'string' },
};

function invalid(detail: string): ServiceError {
  return new ServiceError('ValidationException', `Invalid Context object provided: ${detail}`);
}

/** Parse and check `context` for the state under test. */
export function parseContext(text: string, node: StateNode): JsonObject {
  const parsed = tryParseJson(text);
  if (!parsed.ok) throw invalid(parsed.message);
  const ctx = parsed.value;
  if (!isObject(ctx)) throw invalid('the Context object must be a JSON object');
  for (const [section, value] of Object.entries(ctx)) {
    if (section === 'Map') throw invalid("'Map' field is not supported when mocking a Context object");
    const fields = SECTIONS[section];
    if (!fields) throw invalid(`Field '${section}' is not allowed`);
    if (!isObject(value)) throw invalid(`${section} must be an object`);
    for (const [field, v] of Object.entries(value)) {
      const type = fields[field];
      if (!type) throw invalid(`Field '${field}' is not allowed`);
      if (!hasType(v, type)) throw invalid(`${section}.${field} must be ${type === 'string' ? 'a string' : 'an integer'}`);
    }
  }
  if ('Task' in ctx && !takesTaskToken(node)) {
    throw invalid("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern");
  }
  return ctx;
}

function hasType(v: Json, type: FieldType): boolean {
  if (type === 'string') return typeof v === 'string';
  if (type === 'integer') return typeof v === 'number' && Number.isInteger(v);
  return true;
}

function takesTaskToken(node: StateNode): boolean {
  const resource = node.def['Resource'];
  return node.type === 'Task' && typeof resource === 'string' && /\.(sync(:2)?|waitForTaskToken)$/.test(resource);
}
