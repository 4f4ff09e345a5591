/**
 * The "Step Functions Execution Status Change" event, against the five examples of the Step
 * Functions Developer Guide's EventBridge page (eventbridge-integration.html, formerly
 * cw-events.html: "Execution started / succeeded / failed / timed out / aborted"), its payload
 * rule ("if the combined escaped input and escaped output … exceeds 248KB, then the input will
 * be excluded"), and DescribeExecution's error, cause and redrive fields.
 */
import { describe, expect, it } from 'vitest';
import { matchesEventPattern, parseEventPattern } from '../../src/scheduler/event-pattern.js';
import { EXECUTION_STATUS_CHANGE, executionStatusChangeEvent, PAYLOAD_LIMIT_BYTES, SFN_EVENT_SOURCE, type ExecutionStatusFields } from '../../src/scheduler/sfn-status-event.js';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:012345678912:execution:state-machine-name:execution-name';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:012345678912:stateMachine:state-machine';
const EVENT_ID = '315c1398-40ff-a850-213b-158f73e60175';
/** 2019-02-26T19:42:21Z, the examples' event time. */
const TIME = Date.UTC(2019, 1, 26, 19, 42, 21);

const base = { executionArn: EXECUTION_ARN, stateMachineArn: STATE_MACHINE_ARN, name: 'execution-name', input: '{}' } as const;

/** The envelope every example shares. */
const envelope = {
  version: '0',
  id: EVENT_ID,
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '012345678912',
  time: '2019-02-26T19:42:21Z',
  region: 'us-east-1',
  resources: [EXECUTION_ARN],
};

/** The detail members of the guide's examples, in its order. */
const DOC_ORDER = ['executionArn', 'stateMachineArn', 'name', 'status', 'startDate', 'stopDate', 'input', 'inputDetails', 'output', 'outputDetails'];

/** [status, execution, the guide's detail, what DescribeExecution adds]. */
const CASES: readonly (readonly [string, ExecutionStatusFields, Record<string, unknown>, Record<string, unknown>])[] = [
  [
    'RUNNING (execution started)',
    { ...base, status: 'RUNNING', startDate: 1551225271984 },
    { status: 'RUNNING', startDate: 1551225271984, stopDate: null, input: '{}', inputDetails: { included: true }, output: null, outputDetails: null },
    { redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' },
  ],
  [
    'SUCCEEDED',
    { ...base, status: 'SUCCEEDED', startDate: 1547148840101, stopDate: 1547148840122, output: '"Hello World!"' },
    { status: 'SUCCEEDED', startDate: 1547148840101, stopDate: 1547148840122, input: '{}', inputDetails: { included: true }, output: '"Hello World!"', outputDetails: { included: true } },
    { redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' },
  ],
  [
    'FAILED',
    { ...base, status: 'FAILED', startDate: 1551225146847, stopDate: 1551225151881, error: 'States.TaskFailed', cause: 'the collector Lambda threw' },
    { status: 'FAILED', startDate: 1551225146847, stopDate: 1551225151881, input: '{}', inputDetails: { included: true }, output: null, outputDetails: null },
    { error: 'States.TaskFailed', cause: 'the collector Lambda threw', redriveCount: 0, redriveStatus: 'REDRIVABLE' },
  ],
  [
    'TIMED_OUT',
    { ...base, status: 'TIMED_OUT', startDate: 1551224926156, stopDate: 1551224927157, error: 'States.Timeout' },
    { status: 'TIMED_OUT', startDate: 1551224926156, stopDate: 1551224927157, input: '{}', inputDetails: { included: true }, output: null, outputDetails: null },
    { error: 'States.Timeout', redriveCount: 0, redriveStatus: 'REDRIVABLE' },
  ],
  [
    'ABORTED',
    { ...base, status: 'ABORTED', startDate: 1551225014968, stopDate: 1551225017576 },
    { status: 'ABORTED', startDate: 1551225014968, stopDate: 1551225017576, input: '{}', inputDetails: { included: true }, output: null, outputDetails: null },
    { redriveCount: 0, redriveStatus: 'REDRIVABLE' },
  ],
];

describe('executionStatusChangeEvent', () => {
  it.each(CASES)('%s: the guide’s example, plus DescribeExecution’s fields', (_status, exec, docDetail, added) => {
    const event = executionStatusChangeEvent(exec, EVENT_ID, TIME);
    expect(event).toEqual({
      ...envelope,
      detail: { executionArn: EXECUTION_ARN, stateMachineArn: STATE_MACHINE_ARN, name: 'execution-name', ...docDetail, ...added },
    });
    expect(Object.keys(event.detail).slice(0, DOC_ORDER.length)).toEqual(DOC_ORDER);
  });

  it('names its source and detail-type as AWS does', () => {
    expect(SFN_EVENT_SOURCE).toBe('aws.states');
    expect(EXECUTION_STATUS_CHANGE).toBe('Step Functions Execution Status Change');
  });

  it('takes region and account from the execution ARN, and the time to the second', () => {
    const event = executionStatusChangeEvent(
      { ...base, executionArn: 'arn:aws:states:eu-west-3:111122223333:execution:pipeline:run-7', stateMachineArn: 'arn:aws:states:eu-west-3:111122223333:stateMachine:pipeline', status: 'RUNNING', startDate: 1 },
      'e-1',
      Date.UTC(2024, 0, 1, 10, 0, 0, 987),
    );
    expect(event).toMatchObject({ region: 'eu-west-3', account: '111122223333', time: '2024-01-01T10:00:00Z', resources: ['arn:aws:states:eu-west-3:111122223333:execution:pipeline:run-7'] });
  });

  it('defaults a missing input to "{}", as StartExecution does', () => {
    const { executionArn, stateMachineArn, name } = base;
    expect(executionStatusChangeEvent({ executionArn, stateMachineArn, name, status: 'RUNNING', startDate: 1 }, 'e', TIME).detail['input']).toBe('{}');
  });

  it('carries the redrive status the service computed, and a redrive’s count and date', () => {
    const exec: ExecutionStatusFields = { ...base, status: 'RUNNING', startDate: 1, redriveCount: 2, redriveDate: 1700000000000, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' };
    expect(executionStatusChangeEvent(exec, 'e', TIME).detail).toMatchObject({ redriveCount: 2, redriveDate: 1700000000000, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' });
    const old: ExecutionStatusFields = { ...base, status: 'FAILED', startDate: 1, stopDate: 2, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded.' };
    expect(executionStatusChangeEvent(old, 'e', TIME).detail).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded.' });
  });

  it('ignores an output given for an execution that did not succeed', () => {
    const detail = executionStatusChangeEvent({ ...base, status: 'FAILED', startDate: 1, stopDate: 2, output: '{"partial":true}' }, 'e', TIME).detail;
    expect(detail).toMatchObject({ output: null, outputDetails: null });
  });

  describe('the 248 KB cut', () => {
    /** JSON text whose escaped form (as a JSON string) is exactly `bytes` long. */
    const payload = (bytes: number) => JSON.stringify('x'.repeat(bytes - 6));
    const succeeded = (input: string, output: string): ExecutionStatusFields => ({ ...base, status: 'SUCCEEDED', startDate: 1, stopDate: 2, input, output });

    it('keeps both when together they fit exactly', () => {
      const input = payload(PAYLOAD_LIMIT_BYTES / 2);
      const output = payload(PAYLOAD_LIMIT_BYTES / 2);
      expect(Buffer.byteLength(JSON.stringify(input)) + Buffer.byteLength(JSON.stringify(output))).toBe(PAYLOAD_LIMIT_BYTES);
      const detail = executionStatusChangeEvent(succeeded(input, output), 'e', TIME).detail;
      expect(detail).toMatchObject({ input, inputDetails: { included: true }, output, outputDetails: { included: true } });
    });

    it('drops the input when input and output together exceed it', () => {
      const output = payload(PAYLOAD_LIMIT_BYTES / 2);
      const detail = executionStatusChangeEvent(succeeded(payload(PAYLOAD_LIMIT_BYTES / 2 + 1), output), 'e', TIME).detail;
      expect(detail).toMatchObject({ input: null, inputDetails: { included: false }, output, outputDetails: { included: true } });
    });

    it('drops both when the output alone exceeds it', () => {
      const detail = executionStatusChangeEvent(succeeded('{}', payload(PAYLOAD_LIMIT_BYTES + 1)), 'e', TIME).detail;
      expect(detail).toMatchObject({ input: null, inputDetails: { included: false }, output: null, outputDetails: { included: false } });
    });

    it('counts escaping: an escaped quote in the input takes four bytes', () => {
      const input = JSON.stringify({ q: '"'.repeat(PAYLOAD_LIMIT_BYTES / 3) });
      expect(input.length).toBeLessThan(PAYLOAD_LIMIT_BYTES);
      const detail = executionStatusChangeEvent({ ...base, status: 'RUNNING', startDate: 1, input }, 'e', TIME).detail;
      expect(detail).toMatchObject({ input: null, inputDetails: { included: false } });
    });
  });

  it('is matched by the rule the guide suggests for failed executions', () => {
    const rule = parseEventPattern(JSON.stringify({ source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: [STATE_MACHINE_ARN] } }));
    const [running, , failed, timedOut, aborted] = CASES.map(([, exec]) => executionStatusChangeEvent(exec, EVENT_ID, TIME));
    expect([running, failed, timedOut, aborted].map((e) => matchesEventPattern(rule, e))).toEqual([false, true, true, false]);
  });
});
