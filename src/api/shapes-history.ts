/**
 * History events as GetExecutionHistory answers them: one member per event type for its details
 * (most types have none), payloads as JSON text, timestamps in epoch seconds.
 */
import type { EpochSeconds } from './shapes-common.js';

export type HistoryEventType =
  | 'ActivityFailed'
  | 'ActivityScheduleFailed'
  | 'ActivityScheduled'
  | 'ActivityStarted'
  | 'ActivitySucceeded'
  | 'ActivityTimedOut'
  | 'ChoiceStateEntered'
  | 'ChoiceStateExited'
  | 'EvaluationFailed'
  | 'ExecutionAborted'
  | 'ExecutionFailed'
  | 'ExecutionRedriven'
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionTimedOut'
  | 'FailStateEntered'
  | 'LambdaFunctionFailed'
  | 'LambdaFunctionScheduleFailed'
  | 'LambdaFunctionScheduled'
  | 'LambdaFunctionStartFailed'
  | 'LambdaFunctionStarted'
  | 'LambdaFunctionSucceeded'
  | 'LambdaFunctionTimedOut'
  | 'MapIterationAborted'
  | 'MapIterationFailed'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapRunAborted'
  | 'MapRunFailed'
  | 'MapRunRedriven'
  | 'MapRunStarted'
  | 'MapRunSucceeded'
  | 'MapStateAborted'
  | 'MapStateEntered'
  | 'MapStateExited'
  | 'MapStateFailed'
  | 'MapStateStarted'
  | 'MapStateSucceeded'
  | 'ParallelStateAborted'
  | 'ParallelStateEntered'
  | 'ParallelStateExited'
  | 'ParallelStateFailed'
  | 'ParallelStateStarted'
  | 'ParallelStateSucceeded'
  | 'PassStateEntered'
  | 'PassStateExited'
  | 'SucceedStateEntered'
  | 'SucceedStateExited'
  | 'TaskFailed'
  | 'TaskScheduled'
  | 'TaskStartFailed'
  | 'TaskStarted'
  | 'TaskStateAborted'
  | 'TaskStateEntered'
  | 'TaskStateExited'
  | 'TaskSubmitFailed'
  | 'TaskSubmitted'
  | 'TaskSucceeded'
  | 'TaskTimedOut'
  | 'WaitStateAborted'
  | 'WaitStateEntered'
  | 'WaitStateExited';

/** The details of a failure: AWS's error name and its cause. */
interface ErrorAndCause {
  error?: string;
  cause?: string;
}

/** Whether a payload was cut to fit AWS's size limit. */
export interface HistoryEventExecutionDataDetails {
  truncated?: boolean;
}

export interface AssignedVariablesDetails {
  truncated?: boolean;
}

export interface TaskCredentials {
  roleArn?: string;
}

interface OutputDetails {
  output?: string;
  outputDetails?: HistoryEventExecutionDataDetails;
}

/** The service integration or resource a Task event is about. */
interface TaskResource {
  resourceType: string;
  resource: string;
}

export type ActivityFailedEventDetails = ErrorAndCause;
export type ActivityScheduleFailedEventDetails = ErrorAndCause;
export type ActivityTimedOutEventDetails = ErrorAndCause;
export type ExecutionAbortedEventDetails = ErrorAndCause;
export type ExecutionFailedEventDetails = ErrorAndCause;
export type ExecutionTimedOutEventDetails = ErrorAndCause;
export type LambdaFunctionFailedEventDetails = ErrorAndCause;
export type LambdaFunctionScheduleFailedEventDetails = ErrorAndCause;
export type LambdaFunctionStartFailedEventDetails = ErrorAndCause;
export type LambdaFunctionTimedOutEventDetails = ErrorAndCause;
export type MapRunFailedEventDetails = ErrorAndCause;

export type ActivitySucceededEventDetails = OutputDetails;
export type ExecutionSucceededEventDetails = OutputDetails;
export type LambdaFunctionSucceededEventDetails = OutputDetails;

export interface TaskFailedEventDetails extends TaskResource, ErrorAndCause {}
export interface TaskStartFailedEventDetails extends TaskResource, ErrorAndCause {}
export interface TaskSubmitFailedEventDetails extends TaskResource, ErrorAndCause {}
export interface TaskTimedOutEventDetails extends TaskResource, ErrorAndCause {}
export interface TaskSubmittedEventDetails extends TaskResource, OutputDetails {}
export interface TaskSucceededEventDetails extends TaskResource, OutputDetails {}
export type TaskStartedEventDetails = TaskResource;

export interface TaskScheduledEventDetails extends TaskResource {
  region: string;
  parameters: string;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
  taskCredentials?: TaskCredentials;
}

export interface ActivityScheduledEventDetails {
  resource: string;
  input?: string;
  inputDetails?: HistoryEventExecutionDataDetails;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
}

export interface ActivityStartedEventDetails {
  workerName?: string;
}

export interface LambdaFunctionScheduledEventDetails {
  resource: string;
  input?: string;
  inputDetails?: HistoryEventExecutionDataDetails;
  timeoutInSeconds?: number;
  taskCredentials?: TaskCredentials;
}

export interface ExecutionStartedEventDetails {
  input?: string;
  inputDetails?: HistoryEventExecutionDataDetails;
  roleArn?: string;
  stateMachineAliasArn?: string;
  stateMachineVersionArn?: string;
}

export interface ExecutionRedrivenEventDetails {
  redriveCount?: number;
}

export interface StateEnteredEventDetails {
  name: string;
  input?: string;
  inputDetails?: HistoryEventExecutionDataDetails;
}

export interface StateExitedEventDetails extends OutputDetails {
  name: string;
  /** Variable name to its value as JSON text. */
  assignedVariables?: Record<string, string>;
  assignedVariablesDetails?: AssignedVariablesDetails;
}

export interface EvaluationFailedEventDetails extends ErrorAndCause {
  location?: string;
  state: string;
}

export interface MapStateStartedEventDetails {
  length?: number;
}

/** MapIterationStarted, MapIterationSucceeded, MapIterationFailed, MapIterationAborted. */
export interface MapIterationEventDetails {
  name?: string;
  index?: number;
}

export interface MapRunStartedEventDetails {
  mapRunArn?: string;
}

export interface MapRunRedrivenEventDetails {
  mapRunArn?: string;
  redriveCount?: number;
}

export interface HistoryEvent {
  timestamp: EpochSeconds;
  type: HistoryEventType;
  id: number;
  previousEventId?: number;
  activityFailedEventDetails?: ActivityFailedEventDetails;
  activityScheduleFailedEventDetails?: ActivityScheduleFailedEventDetails;
  activityScheduledEventDetails?: ActivityScheduledEventDetails;
  activityStartedEventDetails?: ActivityStartedEventDetails;
  activitySucceededEventDetails?: ActivitySucceededEventDetails;
  activityTimedOutEventDetails?: ActivityTimedOutEventDetails;
  taskFailedEventDetails?: TaskFailedEventDetails;
  taskScheduledEventDetails?: TaskScheduledEventDetails;
  taskStartFailedEventDetails?: TaskStartFailedEventDetails;
  taskStartedEventDetails?: TaskStartedEventDetails;
  taskSubmitFailedEventDetails?: TaskSubmitFailedEventDetails;
  taskSubmittedEventDetails?: TaskSubmittedEventDetails;
  taskSucceededEventDetails?: TaskSucceededEventDetails;
  taskTimedOutEventDetails?: TaskTimedOutEventDetails;
  executionFailedEventDetails?: ExecutionFailedEventDetails;
  executionStartedEventDetails?: ExecutionStartedEventDetails;
  executionSucceededEventDetails?: ExecutionSucceededEventDetails;
  executionAbortedEventDetails?: ExecutionAbortedEventDetails;
  executionTimedOutEventDetails?: ExecutionTimedOutEventDetails;
  executionRedrivenEventDetails?: ExecutionRedrivenEventDetails;
  mapStateStartedEventDetails?: MapStateStartedEventDetails;
  mapIterationStartedEventDetails?: MapIterationEventDetails;
  mapIterationSucceededEventDetails?: MapIterationEventDetails;
  mapIterationFailedEventDetails?: MapIterationEventDetails;
  mapIterationAbortedEventDetails?: MapIterationEventDetails;
  lambdaFunctionFailedEventDetails?: LambdaFunctionFailedEventDetails;
  lambdaFunctionScheduleFailedEventDetails?: LambdaFunctionScheduleFailedEventDetails;
  lambdaFunctionScheduledEventDetails?: LambdaFunctionScheduledEventDetails;
  lambdaFunctionStartFailedEventDetails?: LambdaFunctionStartFailedEventDetails;
  lambdaFunctionSucceededEventDetails?: LambdaFunctionSucceededEventDetails;
  lambdaFunctionTimedOutEventDetails?: LambdaFunctionTimedOutEventDetails;
  stateEnteredEventDetails?: StateEnteredEventDetails;
  stateExitedEventDetails?: StateExitedEventDetails;
  mapRunStartedEventDetails?: MapRunStartedEventDetails;
  mapRunFailedEventDetails?: MapRunFailedEventDetails;
  mapRunRedrivenEventDetails?: MapRunRedrivenEventDetails;
  evaluationFailedEventDetails?: EvaluationFailedEventDetails;
}
