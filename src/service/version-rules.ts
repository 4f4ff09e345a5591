/** Version and alias ARNs, names, descriptions and routing rules of state machine versions and aliases. */
import { parseStateMachineArn } from './arns.js';
import { ServiceError } from './errors.js';
import { nameProblem } from './names.js';
import { ServiceErrorWithMembers } from './tags.js';

const DESCRIPTION_MAX = 256;

export interface RoutingConfigurationItem {
  stateMachineVersionArn: string;
  weight: number;
}

/** The unqualified machine ARN of a version or alias ARN. */
export function machineOf(qualifiedArn: string): string {
  return qualifiedArn.slice(0, qualifiedArn.lastIndexOf(':'));
}

export function versionNumber(versionArn: string): number {
  return Number(versionArn.slice(versionArn.lastIndexOf(':') + 1));
}

export function unqualified(arn: string, op: string): string {
  const { qualifier } = parseStateMachineArn(arn);
  if (qualifier !== undefined) throw new ServiceError('ValidationException', `${op} takes an unqualified state machine ARN, not a version or alias ARN: '${arn}'`);
  return arn;
}

export function parseVersionArn(arn: string): { name: string; version: number } {
  const { name, qualifier } = parseStateMachineArn(arn);
  if (qualifier === undefined || !/^\d+$/.test(qualifier)) throw new ServiceError('ValidationException', `Invalid state machine version ARN: '${arn}'`);
  return { name, version: Number(qualifier) };
}

export function parseAliasArn(arn: string): void {
  const { qualifier } = parseStateMachineArn(arn);
  if (qualifier === undefined || /^\d+$/.test(qualifier)) throw new ServiceError('ValidationException', `Invalid state machine alias ARN: '${arn}'`);
}

export function checkAliasName(name: string): void {
  const problem = nameProblem(name);
  if (problem) throw new ServiceError('InvalidName', `Invalid Name: '${name}' (${problem})`);
  if (/^\d+$/.test(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}' (an alias name must not be only digits)`);
}

export function checkDescription(member: string, description: string | undefined): void {
  if (description !== undefined && description.length > DESCRIPTION_MAX) {
    throw new ServiceError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${DESCRIPTION_MAX}`);
  }
}

export function routingError(message: string): ServiceError {
  return new ServiceErrorWithMembers('ValidationException', message, { reason: 'INVALID_ROUTING_CONFIGURATION' });
}

export function aliasNotFound(arn: string): ServiceError {
  return new ServiceErrorWithMembers('ResourceNotFound', `Resource not found: '${arn}'`, { resourceName: arn });
}

export function sameRouting(a: RoutingConfigurationItem[], b: RoutingConfigurationItem[]): boolean {
  const key = (r: RoutingConfigurationItem[]) => JSON.stringify([...r].sort((x, y) => x.stateMachineVersionArn.localeCompare(y.stateMachineVersionArn)).map((i) => [i.stateMachineVersionArn, i.weight]));
  return key(a) === key(b);
}

export function pickByWeight(routing: RoutingConfigurationItem[], random: () => number): string {
  let roll = random() * 100;
  for (const r of routing) {
    if (roll < r.weight) return r.stateMachineVersionArn;
    roll -= r.weight;
  }
  // Rounding: the last version with any weight.
  const last = [...routing].reverse().find((r) => r.weight > 0) ?? routing[routing.length - 1];
  return last?.stateMachineVersionArn ?? '';
}
