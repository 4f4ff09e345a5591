/**
 * The expressions of one request, checked and parsed the way DynamoDB does: placeholders first
 * (keys, values, "can only be specified when using expressions"), then each expression, then
 * placeholders that no expression used.
 */
import { validation } from '../errors.js';
import { checkValue, type AttributeValue } from '../values.js';
import { Placeholders, type Condition, type Path } from './ast.js';
import { parseCondition } from './condition-parser.js';
import { parseProjection } from './projection-parser.js';
import { parseUpdate, type UpdateAction } from './update-parser.js';

export type ExpressionMember = 'UpdateExpression' | 'ConditionExpression' | 'KeyConditionExpression' | 'FilterExpression' | 'ProjectionExpression';

export interface ExpressionRequest {
  UpdateExpression?: string;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export interface Compiled {
  update?: UpdateAction[];
  condition?: Condition;
  keyCondition?: Condition;
  filter?: Condition;
  projection?: Path[];
}

const PLACEHOLDER_KEY = /^[#:][0-9a-zA-Z_]+$/;

/** `members`: the expression members this operation takes, in AWS's order. */
export function compileExpressions(req: ExpressionRequest, members: readonly ExpressionMember[]): Compiled {
  const given = members.filter((m) => req[m] !== undefined);
  if (req.ExpressionAttributeNames !== undefined && given.length === 0) throw validation('ExpressionAttributeNames can only be specified when using expressions');
  const valued = members.filter((m) => m !== 'ProjectionExpression');
  if (req.ExpressionAttributeValues !== undefined && valued.length > 0 && valued.every((m) => req[m] === undefined)) {
    throw validation(`ExpressionAttributeValues can only be specified when using expressions: ${valued.join(' and ')} ${valued.length > 1 ? 'are' : 'is'} null`);
  }
  checkPlaceholders('ExpressionAttributeNames', req.ExpressionAttributeNames);
  checkPlaceholders('ExpressionAttributeValues', req.ExpressionAttributeValues);
  for (const [key, value] of Object.entries(req.ExpressionAttributeValues ?? {})) {
    const problem = checkValue(value);
    if (problem) throw validation(`ExpressionAttributeValues contains invalid value: ${problem} for key ${key}`);
  }
  const placeholders = new Placeholders(req.ExpressionAttributeNames, req.ExpressionAttributeValues);
  const out: Compiled = {};
  if (req.UpdateExpression !== undefined) out.update = parseUpdate(req.UpdateExpression, placeholders);
  if (req.ConditionExpression !== undefined) out.condition = parseCondition('ConditionExpression', req.ConditionExpression, placeholders);
  if (req.KeyConditionExpression !== undefined) out.keyCondition = parseCondition('KeyConditionExpression', req.KeyConditionExpression, placeholders);
  if (req.FilterExpression !== undefined) out.filter = parseCondition('FilterExpression', req.FilterExpression, placeholders);
  if (req.ProjectionExpression !== undefined) out.projection = parseProjection(req.ProjectionExpression, placeholders);
  if (placeholders.unusedNames.size > 0) {
    throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...placeholders.unusedNames].join(', ')}}`);
  }
  if (placeholders.unusedValues.size > 0) {
    throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...placeholders.unusedValues].join(', ')}}`);
  }
  return out;
}

function checkPlaceholders(member: string, map: Record<string, unknown> | undefined): void {
  if (map === undefined) return;
  const keys = Object.keys(map);
  if (keys.length === 0) throw validation(`${member} must not be empty`);
  for (const key of keys) {
    if (!PLACEHOLDER_KEY.test(key) || key[0] !== (member === 'ExpressionAttributeNames' ? '#' : ':')) {
      throw validation(`${member} contains invalid key: Syntax error; key: "${key}"`);
    }
  }
}
