/**
 * TestState: the request's members checked as AWS checks them (types, enums, lengths, with its
 * `N validation errors detected: …` wording), then the TestState use case.
 */
import { ServiceError } from '../service/errors.js';
import { TestStateService, type InspectionLevel, type TestStateRequest } from '../service/test-state.js';
import type { OperationTable, SfnServices } from './handler.js';
import type { MockErrorOutput, MockInput, TestStateConfiguration, TestStateInput } from './shapes.js';
import { compact, Members } from './wire.js';

const LEVELS = ['INFO', 'DEBUG', 'TRACE'];
const VALIDATION_MODES = ['STRICT', 'PRESENT', 'NONE'];
const MAX_DEFINITION = 1024 * 1024;
const MAX_DATA = 256 * 1024;

/** AWS's member constraint violations, reported together. */
class Violations {
  private readonly list: string[] = [];

  /** `sensitive` members are not echoed back, as AWS hides them. */
  length(member: string, value: string | undefined, min: number, max: number, sensitive: boolean): void {
    if (value === undefined) return;
    const shown = sensitive ? 'Value' : `Value '${value}'`;
    if (value.length < min) this.list.push(`${shown} at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
    else if (value.length > max) this.list.push(`${shown} at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }

  oneOf(member: string, value: string | undefined, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value)) {
      this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
  }

  atLeast(member: string, value: number | undefined, min: number): void {
    if (value !== undefined && value < min) this.list.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  }

  check(): void {
    const n = this.list.length;
    if (n > 0) throw new ServiceError('ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`);
  }
}

function readRequest(m: Members<TestStateInput>): TestStateRequest {
  const v = new Violations();
  const definition = m.reqStr('definition');
  const req: TestStateRequest = { definition };
  v.length('definition', definition, 1, MAX_DEFINITION, true);
  const roleArn = m.str('roleArn');
  v.length('roleArn', roleArn, 1, 256, false);
  if (roleArn !== undefined) req.roleArn = roleArn;
  for (const member of ['input', 'variables', 'context'] as const) {
    const value = m.str(member);
    v.length(member, value, 0, MAX_DATA, true);
    if (value !== undefined) req[member] = value;
  }
  const stateName = m.str('stateName');
  v.length('stateName', stateName, 1, 80, true);
  if (stateName !== undefined) req.stateName = stateName;
  const level = m.str('inspectionLevel');
  v.oneOf('inspectionLevel', level, LEVELS);
  if (level !== undefined) req.inspectionLevel = level as InspectionLevel;
  const reveal = m.bool('revealSecrets');
  if (reveal !== undefined) req.revealSecrets = reveal;

  const mockBody = m.obj<Record<string, unknown>>('mock');
  if (mockBody !== undefined) {
    const mock = new Members<MockInput>(mockBody);
    const result = mock.str('result');
    v.length('mock.result', result, 0, MAX_DATA, true);
    const mode = mock.str('fieldValidationMode');
    v.oneOf('mock.fieldValidationMode', mode, VALIDATION_MODES);
    const errBody = mock.obj<Record<string, unknown>>('errorOutput');
    req.mock = compact({
      result,
      fieldValidationMode: mode,
      errorOutput: errBody === undefined ? undefined : errorOutputOf(new Members<MockErrorOutput>(errBody)),
    });
  }

  const configBody = m.obj<Record<string, unknown>>('stateConfiguration');
  if (configBody !== undefined) {
    const c = new Members<TestStateConfiguration>(configBody);
    const config = compact({
      retrierRetryCount: c.int('retrierRetryCount'),
      errorCausedByState: c.str('errorCausedByState'),
      mapIterationFailureCount: c.int('mapIterationFailureCount'),
      mapItemReaderData: c.str('mapItemReaderData'),
    });
    v.atLeast('stateConfiguration.retrierRetryCount', config.retrierRetryCount, 0);
    v.atLeast('stateConfiguration.mapIterationFailureCount', config.mapIterationFailureCount, 0);
    v.length('stateConfiguration.errorCausedByState', config.errorCausedByState, 1, 80, true);
    v.length('stateConfiguration.mapItemReaderData', config.mapItemReaderData, 0, MAX_DATA, true);
    req.stateConfiguration = config;
  }
  v.check();
  return req;
}

function errorOutputOf(e: Members<MockErrorOutput>): { error?: string; cause?: string } {
  return compact({ error: e.str('error'), cause: e.str('cause') });
}

export function testStateOps({ stateMachines, testState }: SfnServices) {
  // Without a configured service, tasks tested without a mock fail with a clear error.
  const service = testState ?? new TestStateService({ region: stateMachines.region, account: stateMachines.account });
  return {
    async TestState(m) {
      const r = await service.test(readRequest(m));
      return compact({ output: r.output, error: r.error, cause: r.cause, inspectionData: r.inspectionData, nextState: r.nextState, status: r.status });
    },
  } satisfies OperationTable;
}
