/**
 * Step Functions ARNs: parsing with AWS's InvalidArn messages, and building them.
 * State machine `arn:aws:states:<region>:<account>:stateMachine:<name>[:<version|alias>]`,
 * execution `…:execution:<smName>:<name>`, Express execution `…:express:<smName>:<name>:<id>`.
 */
import { ServiceError } from './errors.js';

export interface StatesArn {
  readonly region: string;
  readonly account: string;
  readonly resourceType: string;
  /** The parts after the resource type. */
  readonly rest: readonly string[];
}

function invalidArn(detail: string): ServiceError {
  return new ServiceError('InvalidArn', `Invalid Arn: '${detail}'`);
}

/** Parse an ARN of the `states` service whose resource type is one of `types`. */
export function parseStatesArn(arn: string, types: readonly string[]): StatesArn {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || !/^aws(-[a-z]+)*$/.test(parts[1] ?? '')) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  const [, , service = '', region = '', account = '', resourceType = '', ...rest] = parts;
  if (service !== 'states') throw invalidArn(`Resource type not valid in this context: ${service}`);
  if (!types.includes(resourceType)) throw invalidArn(`Resource type not valid in this context: ${resourceType}`);
  if (!/^\d{12}$/.test(account)) throw invalidArn(`Invalid account id: ${account}`);
  if (rest.some((p) => p === '')) throw invalidArn(`Invalid Arn: ${arn}`);
  return { region, account, resourceType, rest };
}

/** An unqualified or qualified state machine ARN. */
export function parseStateMachineArn(arn: string): { name: string; qualifier: string | undefined } {
  const p = parseStatesArn(arn, ['stateMachine']);
  if (p.rest.length > 2) throw invalidArn(`Invalid Arn: ${arn}`);
  return { name: p.rest[0] as string, qualifier: p.rest[1] };
}

/** A Standard (`execution`) or Express (`express`) execution ARN. */
export function parseExecutionArn(arn: string): { stateMachineName: string; name: string; express: boolean } {
  const p = parseStatesArn(arn, ['execution', 'express']);
  const express = p.resourceType === 'express';
  if (p.rest.length !== (express ? 3 : 2)) throw invalidArn(`Invalid Arn: ${arn}`);
  return { stateMachineName: p.rest[0] as string, name: p.rest[1] as string, express };
}

/**
 * Step Functions Local's `stateMachineArn#TestCase` (StartExecution, StartSyncExecution): the
 * state machine's ARN, and the mock test case the execution runs; a bare trailing `#` names none.
 */
export function splitMockTestCase(arn: string): { stateMachineArn: string; mockTestCase: string | undefined } {
  const hash = arn.indexOf('#');
  if (hash < 0) return { stateMachineArn: arn, mockTestCase: undefined };
  const testCase = arn.slice(hash + 1);
  return { stateMachineArn: arn.slice(0, hash), mockTestCase: testCase === '' ? undefined : testCase };
}

export function stateMachineArn(region: string, account: string, name: string): string {
  return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
}

/** The role IAM ARN check of CreateStateMachine/UpdateStateMachine. */
export function checkRoleArn(roleArn: string): void {
  const parts = roleArn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') throw invalidArn(`Invalid ARN prefix: ${roleArn}`);
  if (parts[2] !== 'iam' || !(parts[5] ?? '').startsWith('role/') || (parts[5] ?? '').length <= 'role/'.length) {
    throw invalidArn(`Invalid Role Arn: ${roleArn}`);
  }
}
