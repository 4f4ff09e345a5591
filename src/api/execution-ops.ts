/**
 * StartExecution, StartSyncExecution, DescribeExecution, ListExecutions, GetExecutionHistory,
 * StopExecution, DescribeStateMachineForExecution, SendTaskSuccess/Failure/Heartbeat.
 */
import { toAwsEvent } from '../engine/history-format.js';
import type { ExecutionRecord } from '../engine/store.js';
import { splitMockTestCase } from '../service/arns.js';
import { ServiceError } from '../service/errors.js';
import { redriveStatusOf } from '../service/executions.js';
import type { OperationTable, SfnServices } from './handler.js';
import type { DescribeExecutionOutput, HistoryEvent } from './shapes.js';
import { compact, seconds, type Members } from './wire.js';

const ERROR_MAX = 256;
const CAUSE_MAX = 32768;

function includedData(m: Members): boolean {
  const v = m.str('includedData');
  if (v === undefined || v === 'ALL_DATA') return true;
  if (v === 'METADATA_ONLY') return false;
  throw new ServiceError(
    'ValidationException',
    `1 validation error detected: Value '${v}' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]`,
  );
}

function lengthAtMost(member: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) {
    throw new ServiceError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
}

function taskTokenOf(m: Members): string {
  const token = m.reqStr('taskToken');
  lengthAtMost('taskToken', token, 2048);
  return token;
}

function describeOutput(rec: ExecutionRecord, withData: boolean, now: number): DescribeExecutionOutput {
  const redrive = redriveStatusOf(rec, now);
  return compact({
    executionArn: rec.executionArn,
    stateMachineArn: rec.stateMachineArn,
    name: rec.name,
    status: rec.status,
    startDate: seconds(rec.startTime),
    stopDate: rec.stopTime !== undefined ? seconds(rec.stopTime) : undefined,
    input: withData ? rec.input : undefined,
    inputDetails: { included: withData },
    output: withData ? rec.output : undefined,
    outputDetails: rec.status === 'SUCCEEDED' ? { included: withData } : undefined,
    error: rec.error,
    cause: rec.cause,
    redriveCount: rec.redriveCount,
    redriveDate: rec.redriveDate !== undefined ? seconds(rec.redriveDate) : undefined,
    redriveStatus: redrive.status,
    redriveStatusReason: redrive.status === 'NOT_REDRIVABLE' ? redrive.reason : undefined,
    stateMachineVersionArn: rec.stateMachineVersionArn,
    stateMachineAliasArn: rec.stateMachineAliasArn,
  });
}

export function executionOps({ stateMachines, executions, queries }: SfnServices) {
  const start = async (m: Members) => {
    // Step Functions Local's `stateMachineArn#TestCase` picks a mock test case; the execution's
    // ARN and name are those of an ordinary start.
    const { stateMachineArn, mockTestCase } = splitMockTestCase(m.reqStr('stateMachineArn'));
    // A version or alias ARN runs that version's definition (an alias picks one by weight); the
    // execution belongs to the unqualified machine.
    const machine = await stateMachines.versions.resolve(stateMachineArn, (arn) => stateMachines.describe(arn));
    return {
      machine,
      req: compact({
        stateMachineArn: machine.stateMachineArn,
        definition: machine.definition,
        type: machine.type,
        roleArn: machine.roleArn,
        name: m.str('name'),
        input: m.str('input'),
        stateMachineVersionArn: machine.stateMachineVersionArn,
        stateMachineAliasArn: machine.stateMachineAliasArn,
        mockTestCase,
      }),
    };
  };

  return {
    async StartExecution(m) {
      const { req } = await start(m);
      const r = await executions.startExecution(req);
      return { executionArn: r.executionArn, startDate: seconds(r.startDate) };
    },

    async StartSyncExecution(m) {
      const withData = includedData(m);
      const { machine, req } = await start(m);
      const r = await executions.startSyncExecution(req);
      const billed = Math.max(100, Math.ceil((r.stopDate - r.startDate) / 100) * 100);
      return compact({
        executionArn: r.executionArn,
        stateMachineArn: machine.stateMachineArn,
        name: r.executionArn.split(':')[7],
        startDate: seconds(r.startDate),
        stopDate: seconds(r.stopDate),
        status: r.status,
        error: r.error,
        cause: r.cause,
        input: withData ? (req.input ?? '{}') : undefined,
        inputDetails: { included: withData },
        output: withData ? r.output : undefined,
        outputDetails: r.output !== undefined ? { included: withData } : undefined,
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: billed },
      });
    },

    async DescribeExecution(m) {
      const withData = includedData(m);
      const rec = await queries.execution(m.reqStr('executionArn'));
      return describeOutput(rec, withData, executions.now());
    },

    async ListExecutions(m) {
      const r = await queries.listExecutions(
        compact({
          stateMachineArn: m.str('stateMachineArn'),
          mapRunArn: m.str('mapRunArn'),
          statusFilter: m.str('statusFilter'),
          redriveFilter: m.str('redriveFilter'),
          maxResults: m.int('maxResults'),
          nextToken: m.str('nextToken'),
        }),
      );
      return compact({
        executions: r.executions.map((e) =>
          compact({
            executionArn: e.executionArn,
            stateMachineArn: e.stateMachineArn,
            name: e.name,
            status: e.status,
            startDate: seconds(e.startTime),
            stopDate: e.stopTime !== undefined ? seconds(e.stopTime) : undefined,
            stateMachineVersionArn: e.stateMachineVersionArn,
            stateMachineAliasArn: e.stateMachineAliasArn,
            redriveCount: e.redriveCount,
            redriveDate: e.redriveDate !== undefined ? seconds(e.redriveDate) : undefined,
          }),
        ),
        nextToken: r.nextToken,
      });
    },

    async GetExecutionHistory(m) {
      const withData = m.bool('includeExecutionData') ?? true;
      const r = await queries.history(
        compact({ executionArn: m.reqStr('executionArn'), maxResults: m.int('maxResults'), reverseOrder: m.bool('reverseOrder'), nextToken: m.str('nextToken') }),
      );
      return compact({
        events: r.events.map((e) => {
          const aws = toAwsEvent(e, withData);
          // The engine names an event's details member at run time (detailsKey): its type cannot list them.
          return { ...aws, timestamp: seconds(aws.timestamp.getTime()) } as HistoryEvent;
        }),
        nextToken: r.nextToken,
      });
    },

    async SendTaskSuccess(m) {
      await executions.sendTaskSuccess(taskTokenOf(m), m.reqStr('output'));
      return {};
    },

    async SendTaskFailure(m) {
      const error = m.str('error');
      const cause = m.str('cause');
      lengthAtMost('error', error, ERROR_MAX);
      lengthAtMost('cause', cause, CAUSE_MAX);
      await executions.sendTaskFailure(taskTokenOf(m), error, cause);
      return {};
    },

    async SendTaskHeartbeat(m) {
      await executions.sendTaskHeartbeat(taskTokenOf(m));
      return {};
    },

    async StopExecution(m) {
      const executionArn = m.reqStr('executionArn');
      const error = m.str('error');
      const cause = m.str('cause');
      lengthAtMost('error', error, ERROR_MAX);
      lengthAtMost('cause', cause, CAUSE_MAX);
      await queries.execution(executionArn);
      const r = await executions.stopExecution(executionArn, error, cause);
      return { stopDate: seconds(r.stopDate) };
    },

    async RedriveExecution(m) {
      const executionArn = m.reqStr('executionArn');
      const clientToken = m.str('clientToken');
      if (clientToken !== undefined && (clientToken.length < 1 || clientToken.length > 64 || !/^[!-~]+$/.test(clientToken))) {
        throw new ServiceError(
          'ValidationException',
          "1 validation error detected: Value at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 64 and satisfy regular expression pattern: [!-~]+",
        );
      }
      await queries.execution(executionArn);
      const r = await executions.redriveExecution(executionArn, clientToken);
      return { redriveDate: seconds(r.redriveDate) };
    },

    async DescribeStateMachineForExecution(m) {
      const rec = await queries.execution(m.reqStr('executionArn'));
      const machine = await stateMachines.find(rec.stateMachineArn);
      // The machine as this execution runs it: its own copy of the definition; the rest from the
      // machine while that definition is still current.
      const current = machine !== undefined && machine.definition === rec.definition ? machine : undefined;
      return compact({
        stateMachineArn: rec.stateMachineArn,
        name: rec.stateMachineArn.split(':')[6],
        definition: rec.definition,
        roleArn: rec.snapshot?.meta.roleArn ?? machine?.roleArn ?? `arn:aws:iam::${stateMachines.account}:role/stepwise`,
        updateDate: seconds(current?.updateDate ?? rec.startTime),
        loggingConfiguration: machine?.loggingConfiguration,
        tracingConfiguration: machine?.tracingConfiguration,
        revisionId: current?.revisionId,
      });
    },
  } satisfies OperationTable;
}
