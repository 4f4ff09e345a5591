/**
 * What each operation answers, member by member (AWS's names and required-ness, timestamps in
 * epoch seconds). An operation's handler must return its `XxxOutput`; the build fails when the
 * SDK's response shapes gain, lose or change a member (test/api/sdk-drift.test-d.ts) until these
 * follow. DescribeMapRun, ListMapRuns, UpdateMapRun, RedriveExecution and TestState: declared
 * from the SDK for their implementations.
 */
import type {
  EncryptionConfiguration,
  EpochSeconds,
  ExecutionRedriveStatus,
  ExecutionStatus,
  LoggingConfiguration,
  MapRunStatus,
  NoMembers,
  RoutingConfigurationListItem,
  StateMachineStatus,
  StateMachineType,
  SyncExecutionStatus,
  Tag,
  TestExecutionStatus,
  TracingConfiguration,
  ValidateStateMachineDefinitionResultCode,
  ValidateStateMachineDefinitionSeverity,
} from './shapes-common.js';
import type { HistoryEvent } from './shapes-history.js';

export interface ActivityListItem {
  activityArn: string;
  name: string;
  creationDate: EpochSeconds;
}

export interface CreateActivityOutput {
  activityArn: string;
  creationDate: EpochSeconds;
}

export interface CreateStateMachineOutput {
  stateMachineArn: string;
  creationDate: EpochSeconds;
  stateMachineVersionArn?: string;
}

export interface CreateStateMachineAliasOutput {
  stateMachineAliasArn: string;
  creationDate: EpochSeconds;
}

export type DeleteActivityOutput = NoMembers;
export type DeleteStateMachineOutput = NoMembers;
export type DeleteStateMachineAliasOutput = NoMembers;
export type DeleteStateMachineVersionOutput = NoMembers;

export interface DescribeActivityOutput {
  activityArn: string;
  name: string;
  creationDate: EpochSeconds;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface CloudWatchEventsExecutionDataDetails {
  included?: boolean;
}

export interface DescribeExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name?: string;
  status: ExecutionStatus;
  startDate: EpochSeconds;
  stopDate?: EpochSeconds;
  input?: string;
  inputDetails?: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  traceHeader?: string;
  mapRunArn?: string;
  error?: string;
  cause?: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  redriveCount?: number;
  redriveDate?: EpochSeconds;
  redriveStatus?: ExecutionRedriveStatus;
  redriveStatusReason?: string;
}

export interface MapRunExecutionCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable?: number;
  pendingRedrive?: number;
}

/** The same counts, of the Map Run's items rather than its child executions. */
export type MapRunItemCounts = MapRunExecutionCounts;

export interface DescribeMapRunOutput {
  mapRunArn: string;
  executionArn: string;
  status: MapRunStatus;
  startDate: EpochSeconds;
  stopDate?: EpochSeconds;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunItemCounts;
  executionCounts: MapRunExecutionCounts;
  redriveCount?: number;
  redriveDate?: EpochSeconds;
}

export interface DescribeStateMachineOutput {
  stateMachineArn: string;
  name: string;
  status?: StateMachineStatus;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: EpochSeconds;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  label?: string;
  revisionId?: string;
  description?: string;
  encryptionConfiguration?: EncryptionConfiguration;
  /** State name to the variables it references. */
  variableReferences?: Record<string, string[]>;
}

export interface DescribeStateMachineAliasOutput {
  stateMachineAliasArn?: string;
  name?: string;
  description?: string;
  routingConfiguration?: RoutingConfigurationListItem[];
  creationDate?: EpochSeconds;
  updateDate?: EpochSeconds;
}

export interface DescribeStateMachineForExecutionOutput {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  updateDate: EpochSeconds;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  mapRunArn?: string;
  label?: string;
  revisionId?: string;
  encryptionConfiguration?: EncryptionConfiguration;
  /** State name to the variables it references. */
  variableReferences?: Record<string, string[]>;
}

export interface GetActivityTaskOutput {
  taskToken?: string;
  input?: string;
}

export interface GetExecutionHistoryOutput {
  events: HistoryEvent[];
  nextToken?: string;
}

export interface ListActivitiesOutput {
  activities: ActivityListItem[];
  nextToken?: string;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: EpochSeconds;
  stopDate?: EpochSeconds;
  mapRunArn?: string;
  itemCount?: number;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  redriveCount?: number;
  redriveDate?: EpochSeconds;
}

export interface ListExecutionsOutput {
  executions: ExecutionListItem[];
  nextToken?: string;
}

export interface MapRunListItem {
  executionArn: string;
  mapRunArn: string;
  stateMachineArn: string;
  startDate: EpochSeconds;
  stopDate?: EpochSeconds;
}

export interface ListMapRunsOutput {
  mapRuns: MapRunListItem[];
  nextToken?: string;
}

export interface StateMachineAliasListItem {
  stateMachineAliasArn: string;
  creationDate: EpochSeconds;
}

export interface ListStateMachineAliasesOutput {
  stateMachineAliases: StateMachineAliasListItem[];
  nextToken?: string;
}

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: EpochSeconds;
}

export interface ListStateMachinesOutput {
  stateMachines: StateMachineListItem[];
  nextToken?: string;
}

export interface StateMachineVersionListItem {
  stateMachineVersionArn: string;
  creationDate: EpochSeconds;
}

export interface ListStateMachineVersionsOutput {
  stateMachineVersions: StateMachineVersionListItem[];
  nextToken?: string;
}

export interface ListTagsForResourceOutput {
  tags?: Tag[];
}

export interface PublishStateMachineVersionOutput {
  creationDate: EpochSeconds;
  stateMachineVersionArn: string;
}

export interface RedriveExecutionOutput {
  redriveDate: EpochSeconds;
}

export type SendTaskFailureOutput = NoMembers;
export type SendTaskHeartbeatOutput = NoMembers;
export type SendTaskSuccessOutput = NoMembers;

export interface StartExecutionOutput {
  executionArn: string;
  startDate: EpochSeconds;
}

export interface BillingDetails {
  billedMemoryUsedInMB?: number;
  billedDurationInMilliseconds?: number;
}

export interface StartSyncExecutionOutput {
  executionArn: string;
  stateMachineArn?: string;
  name?: string;
  startDate: EpochSeconds;
  stopDate: EpochSeconds;
  status: SyncExecutionStatus;
  error?: string;
  cause?: string;
  input?: string;
  inputDetails?: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  traceHeader?: string;
  billingDetails?: BillingDetails;
}

export interface StopExecutionOutput {
  stopDate: EpochSeconds;
}

export type TagResourceOutput = NoMembers;

export interface InspectionErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

export interface InspectionDataRequest {
  protocol?: string;
  method?: string;
  url?: string;
  headers?: string;
  body?: string;
}

export interface InspectionDataResponse {
  protocol?: string;
  statusCode?: string;
  statusMessage?: string;
  headers?: string;
  body?: string;
}

export interface InspectionData {
  input?: string;
  afterArguments?: string;
  afterInputPath?: string;
  afterParameters?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  request?: InspectionDataRequest;
  response?: InspectionDataResponse;
  variables?: string;
  errorDetails?: InspectionErrorDetails;
  afterItemsPath?: string;
  afterItemSelector?: string;
  afterItemBatcher?: string;
  afterItemsPointer?: string;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
}

export interface TestStateOutput {
  output?: string;
  error?: string;
  cause?: string;
  inspectionData?: InspectionData;
  nextState?: string;
  status?: TestExecutionStatus;
}

export type UntagResourceOutput = NoMembers;
export type UpdateMapRunOutput = NoMembers;

export interface UpdateStateMachineOutput {
  updateDate: EpochSeconds;
  revisionId?: string;
  stateMachineVersionArn?: string;
}

export interface UpdateStateMachineAliasOutput {
  updateDate: EpochSeconds;
}

export interface ValidateStateMachineDefinitionDiagnostic {
  severity: ValidateStateMachineDefinitionSeverity;
  code: string;
  message: string;
  location?: string;
}

export interface ValidateStateMachineDefinitionOutput {
  result: ValidateStateMachineDefinitionResultCode;
  diagnostics: ValidateStateMachineDefinitionDiagnostic[];
  truncated?: boolean;
}

