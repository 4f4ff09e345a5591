/**
 * The event Step Functions puts on the default EventBridge bus when a Standard execution changes
 * status: detail-type "Step Functions Execution Status Change", source "aws.states". Shape from
 * the Step Functions Developer Guide's EventBridge page (eventbridge-integration.html, formerly
 * cw-events.html): `detail` carries DescribeExecution's fields with epoch-millisecond dates, and
 * members the execution does not have yet are null (stopDate, output, outputDetails), not absent.
 *
 * Pure: the caller gives the execution's fields, the event id and the time.
 */
import type { Json, JsonObject } from '../lib/json.js';

export const SFN_EVENT_SOURCE = 'aws.states';
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** An execution as DescribeExecution reports it; dates are epoch milliseconds, payloads JSON text. */
export interface ExecutionStatusFields {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate?: number;
  readonly input?: string;
  /** Only a SUCCEEDED execution has one. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly redriveCount?: number;
  readonly redriveDate?: number;
  /** As DescribeExecution says it; when absent, the plain reading of the status (see redriveDefaults). */
  readonly redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';
  readonly redriveStatusReason?: string;
}

export interface ExecutionStatusChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': typeof EXECUTION_STATUS_CHANGE;
  readonly source: typeof SFN_EVENT_SOURCE;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly [string];
  readonly detail: JsonObject;
}

/**
 * EventBridge's quota forces a cut: "If the combined escaped input and escaped output sent to
 * EventBridge exceeds 248KB, then the input will be excluded. Similarly, if the escaped output
 * exceeds 248KB, then the output will be excluded." (escaped: as a JSON string, in UTF-8 bytes).
 */
export const PAYLOAD_LIMIT_BYTES = 248 * 1024;

const escapedBytes = (text: string) => Buffer.byteLength(JSON.stringify(text), 'utf8');

/** The reading of DescribeExecution's redrive status from the status alone (the service knows more: age, history size). */
function redriveDefaults(status: ExecutionStatus): { status: string; reason?: string } {
  if (status === 'RUNNING' || status === 'SUCCEEDED') return { status: 'NOT_REDRIVABLE', reason: `Execution is ${status} and cannot be redriven` };
  return { status: 'REDRIVABLE' };
}

/** Region and account of a Step Functions ARN (`arn:aws:states:<region>:<account>:execution:…`). */
function arnScope(arn: string): { region: string; account: string } {
  const [, , , region = '', account = ''] = arn.split(':');
  return { region, account };
}

/** EventBridge event times are ISO 8601 to the second. */
const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The status-change event for this execution, as Step Functions would emit it at `time` (epoch ms). */
export function executionStatusChangeEvent(exec: ExecutionStatusFields, eventId: string, time: number): ExecutionStatusChangeEvent {
  const input = exec.input ?? '{}';
  const output = exec.status === 'SUCCEEDED' ? exec.output : undefined;
  const outputFits = output === undefined || escapedBytes(output) <= PAYLOAD_LIMIT_BYTES;
  const inputFits = escapedBytes(input) + (output === undefined ? 0 : escapedBytes(output)) <= PAYLOAD_LIMIT_BYTES;
  const redrive = exec.redriveStatus !== undefined ? { status: exec.redriveStatus, reason: exec.redriveStatusReason } : redriveDefaults(exec.status);

  const detail: JsonObject = {
    executionArn: exec.executionArn,
    stateMachineArn: exec.stateMachineArn,
    name: exec.name,
    status: exec.status,
    startDate: exec.startDate,
    stopDate: exec.stopDate ?? null,
    input: inputFits ? input : null,
    inputDetails: { included: inputFits },
    output: output !== undefined && outputFits ? output : null,
    outputDetails: output === undefined ? null : { included: outputFits },
  };
  const optional: [string, Json | undefined][] = [
    ['error', exec.error],
    ['cause', exec.cause],
    ['redriveCount', exec.redriveCount ?? 0],
    ['redriveDate', exec.redriveDate],
    ['redriveStatus', redrive.status],
    ['redriveStatusReason', redrive.reason],
  ];
  for (const [key, value] of optional) if (value !== undefined) detail[key] = value;

  const { region, account } = arnScope(exec.executionArn);
  return {
    version: '0',
    id: eventId,
    'detail-type': EXECUTION_STATUS_CHANGE,
    source: SFN_EVENT_SOURCE,
    account,
    time: eventTime(time),
    region,
    resources: [exec.executionArn],
    detail,
  };
}
