/**
 * Start, Stop and Redrive from the console, through the services with the API's rules:
 * StartExecution resolves a version or alias as the API does and checks the input; StopExecution
 * and RedriveExecution check that the execution exists and the lengths AWS allows.
 */
import { tryParseJson } from '../../lib/json.js';
import { parseStateMachineArn } from '../../service/arns.js';
import { ServiceError } from '../../service/errors.js';
import type { ConsoleDeps } from './deps.js';

const ERROR_MAX = 256;
const CAUSE_MAX = 32768;

export type StartOutcome = { kind: 'started'; executionArn: string; express: boolean } | { kind: 'refused'; message: string };

export interface StartForm {
  readonly stateMachineArn: string;
  /** A version or alias ARN of that machine, or empty for its latest revision. */
  readonly qualifier: string;
  readonly name: string;
  readonly input: string;
}

export async function startExecution(deps: ConsoleDeps, form: StartForm): Promise<StartOutcome> {
  parseStateMachineArn(form.stateMachineArn);
  const target = form.qualifier === '' ? form.stateMachineArn : form.qualifier;
  if (target !== form.stateMachineArn && !target.startsWith(`${form.stateMachineArn}:`)) {
    return { kind: 'refused', message: `ValidationException: '${target}' is not a version or alias of '${form.stateMachineArn}'.` };
  }
  const input = form.input.trim() === '' ? '{}' : form.input;
  const parsed = tryParseJson(input);
  if (!parsed.ok) return { kind: 'refused', message: `InvalidExecutionInput: Invalid Execution Input: ${parsed.message}` };
  try {
    const machine = await deps.stateMachines.versions.resolve(target, (arn) => deps.stateMachines.describe(arn));
    const name = form.name.trim();
    const r = await deps.executions.startExecution({
      stateMachineArn: machine.stateMachineArn,
      definition: machine.definition,
      type: machine.type,
      roleArn: machine.roleArn,
      input,
      ...(name !== '' ? { name } : {}),
      ...(machine.stateMachineVersionArn !== undefined ? { stateMachineVersionArn: machine.stateMachineVersionArn } : {}),
      ...(machine.stateMachineAliasArn !== undefined ? { stateMachineAliasArn: machine.stateMachineAliasArn } : {}),
    });
    return { kind: 'started', executionArn: r.executionArn, express: machine.type === 'EXPRESS' };
  } catch (err) {
    if (err instanceof ServiceError && err.code !== 'StateMachineDoesNotExist') return { kind: 'refused', message: `${err.code}: ${err.message}` };
    throw err;
  }
}

function lengthAtMost(member: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) {
    throw new ServiceError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
}

export async function stopExecution(deps: ConsoleDeps, executionArn: string, error?: string, cause?: string): Promise<void> {
  lengthAtMost('error', error, ERROR_MAX);
  lengthAtMost('cause', cause, CAUSE_MAX);
  await deps.queries.execution(executionArn);
  await deps.executions.stopExecution(executionArn, error, cause);
}

export async function redriveExecution(deps: ConsoleDeps, executionArn: string): Promise<void> {
  await deps.queries.execution(executionArn);
  await deps.executions.redriveExecution(executionArn);
}
