/**
 * What each operation's request may hold, member by member (AWS's names and required-ness). An
 * operation's handler reads its request through `Members<XxxInput>`, so it can read only these
 * members, each with the accessor of its kind; the build fails when the SDK's request shapes gain,
 * lose or change a member (test/api/sdk-drift.test-d.ts) until these follow.
 * DescribeMapRun, ListMapRuns, UpdateMapRun, RedriveExecution and TestState: declared from the
 * SDK for their implementations.
 */
import type {
  EncryptionConfiguration,
  ExecutionRedriveFilter,
  ExecutionStatus,
  IncludedData,
  InspectionLevel,
  LoggingConfiguration,
  MockResponseValidationMode,
  RoutingConfigurationListItem,
  StateMachineType,
  Tag,
  TracingConfiguration,
  ValidateStateMachineDefinitionSeverity,
} from './shapes-common.js';

export interface CreateActivityInput {
  name: string;
  tags?: Tag[];
  /** Not read: Stepwise has no KMS (CreateStateMachine rejects other key types; this accepts any). */
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface CreateStateMachineInput {
  name: string;
  definition: string;
  roleArn: string;
  type?: StateMachineType;
  loggingConfiguration?: LoggingConfiguration;
  tags?: Tag[];
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface CreateStateMachineAliasInput {
  description?: string;
  name: string;
  routingConfiguration: RoutingConfigurationListItem[];
}

export interface DeleteActivityInput {
  activityArn: string;
}

export interface DeleteStateMachineInput {
  stateMachineArn: string;
}

export interface DeleteStateMachineAliasInput {
  stateMachineAliasArn: string;
}

export interface DeleteStateMachineVersionInput {
  stateMachineVersionArn: string;
}

export interface DescribeActivityInput {
  activityArn: string;
}

export interface DescribeExecutionInput {
  executionArn: string;
  includedData?: IncludedData;
}

export interface DescribeMapRunInput {
  mapRunArn: string;
}

export interface DescribeStateMachineInput {
  stateMachineArn: string;
  /** Not read: the definition is always returned. */
  includedData?: IncludedData;
}

export interface DescribeStateMachineAliasInput {
  stateMachineAliasArn: string;
}

export interface DescribeStateMachineForExecutionInput {
  executionArn: string;
  /** Not read: the definition is always returned. */
  includedData?: IncludedData;
}

export interface GetActivityTaskInput {
  activityArn: string;
  workerName?: string;
}

export interface GetExecutionHistoryInput {
  executionArn: string;
  maxResults?: number;
  reverseOrder?: boolean;
  nextToken?: string;
  includeExecutionData?: boolean;
}

export interface ListActivitiesInput {
  maxResults?: number;
  nextToken?: string;
}

export interface ListExecutionsInput {
  stateMachineArn?: string;
  statusFilter?: ExecutionStatus;
  maxResults?: number;
  nextToken?: string;
  mapRunArn?: string;
  redriveFilter?: ExecutionRedriveFilter;
}

export interface ListMapRunsInput {
  executionArn: string;
  maxResults?: number;
  nextToken?: string;
}

export interface ListStateMachineAliasesInput {
  stateMachineArn: string;
  nextToken?: string;
  maxResults?: number;
}

export interface ListStateMachinesInput {
  maxResults?: number;
  nextToken?: string;
}

export interface ListStateMachineVersionsInput {
  stateMachineArn: string;
  nextToken?: string;
  maxResults?: number;
}

export interface ListTagsForResourceInput {
  resourceArn: string;
}

export interface PublishStateMachineVersionInput {
  stateMachineArn: string;
  revisionId?: string;
  description?: string;
}

export interface RedriveExecutionInput {
  executionArn: string;
  clientToken?: string;
}

export interface SendTaskFailureInput {
  taskToken: string;
  error?: string;
  cause?: string;
}

export interface SendTaskHeartbeatInput {
  taskToken: string;
}

export interface SendTaskSuccessInput {
  taskToken: string;
  output: string;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
  /** Not read: Stepwise has no X-Ray tracing. */
  traceHeader?: string;
}

export interface StartSyncExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
  /** Not read: Stepwise has no X-Ray tracing. */
  traceHeader?: string;
  includedData?: IncludedData;
}

export interface StopExecutionInput {
  executionArn: string;
  error?: string;
  cause?: string;
}

export interface TagResourceInput {
  resourceArn: string;
  tags: Tag[];
}

export interface MockErrorOutput {
  error?: string;
  cause?: string;
}

export interface MockInput {
  result?: string;
  errorOutput?: MockErrorOutput;
  fieldValidationMode?: MockResponseValidationMode;
}

export interface TestStateConfiguration {
  retrierRetryCount?: number;
  errorCausedByState?: string;
  mapIterationFailureCount?: number;
  mapItemReaderData?: string;
}

export interface TestStateInput {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  variables?: string;
  stateName?: string;
  mock?: MockInput;
  context?: string;
  stateConfiguration?: TestStateConfiguration;
}

export interface UntagResourceInput {
  resourceArn: string;
  tagKeys: string[];
}

export interface UpdateMapRunInput {
  mapRunArn: string;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
}

export interface UpdateStateMachineInput {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface UpdateStateMachineAliasInput {
  stateMachineAliasArn: string;
  description?: string;
  routingConfiguration?: RoutingConfigurationListItem[];
}

export interface ValidateStateMachineDefinitionInput {
  definition: string;
  type?: StateMachineType;
  severity?: ValidateStateMachineDefinitionSeverity;
  maxResults?: number;
}
