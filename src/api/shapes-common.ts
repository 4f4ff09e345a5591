/**
 * The Step Functions API's enumerations and the structures shared by requests and responses, as
 * they travel on the AWS JSON 1.0 wire. Names are AWS's, verbatim (service AWSStepFunctions,
 * version 2016-11-23). Stepwise declares them itself so that src/ needs no AWS SDK; the build
 * checks them against @aws-sdk/client-sfn (test/api/sdk-drift.test-d.ts).
 */

/** A timestamp on the wire: epoch seconds, fractions kept (the SDK turns it into a Date). */
export type EpochSeconds = number;

/** An empty structure: what AWS answers `{}` with. */
export type NoMembers = Record<never, never>;

export type EncryptionType = 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KMS_KEY';
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
export type StateMachineType = 'EXPRESS' | 'STANDARD';
export type StateMachineStatus = 'ACTIVE' | 'DELETING';
export type IncludedData = 'ALL_DATA' | 'METADATA_ONLY';
export type ExecutionStatus = 'ABORTED' | 'FAILED' | 'PENDING_REDRIVE' | 'RUNNING' | 'SUCCEEDED' | 'TIMED_OUT';
export type SyncExecutionStatus = 'FAILED' | 'SUCCEEDED' | 'TIMED_OUT';
export type ExecutionRedriveStatus = 'NOT_REDRIVABLE' | 'REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';
export type ExecutionRedriveFilter = 'NOT_REDRIVEN' | 'REDRIVEN';
export type MapRunStatus = 'ABORTED' | 'FAILED' | 'RUNNING' | 'SUCCEEDED';
export type InspectionLevel = 'DEBUG' | 'INFO' | 'TRACE';
export type MockResponseValidationMode = 'NONE' | 'PRESENT' | 'STRICT';
export type TestExecutionStatus = 'CAUGHT_ERROR' | 'FAILED' | 'RETRIABLE' | 'SUCCEEDED';
export type ValidateStateMachineDefinitionSeverity = 'ERROR' | 'WARNING';
export type ValidateStateMachineDefinitionResultCode = 'FAIL' | 'OK';

export interface Tag {
  key?: string;
  value?: string;
}

export interface EncryptionConfiguration {
  kmsKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
  type: EncryptionType;
}

export interface CloudWatchLogsLogGroup {
  logGroupArn?: string;
}

export interface LogDestination {
  cloudWatchLogsLogGroup?: CloudWatchLogsLogGroup;
}

export interface LoggingConfiguration {
  level?: LogLevel;
  includeExecutionData?: boolean;
  destinations?: LogDestination[];
}

export interface TracingConfiguration {
  enabled?: boolean;
}

export interface RoutingConfigurationListItem {
  stateMachineVersionArn: string;
  weight: number;
}
