/**
 * Stepwise's wire shapes: per operation, the request it reads and the response it answers, as
 * AWS JSON 1.0 carries them (AWS's member names, timestamps in epoch seconds). Stepwise owns these
 * types, so neither src/ nor its published types need the AWS SDK; test/api/sdk-drift.test-d.ts
 * fails the build when they and @aws-sdk/client-sfn's types drift apart.
 */
import type * as req from './shapes-requests.js';
import type * as res from './shapes-responses.js';

export type * from './shapes-common.js';
export type * from './shapes-history.js';
export type * from './shapes-requests.js';
export type * from './shapes-responses.js';

/** Each operation's request. */
export interface SfnInputs {
  CreateActivity: req.CreateActivityInput;
  CreateStateMachine: req.CreateStateMachineInput;
  CreateStateMachineAlias: req.CreateStateMachineAliasInput;
  DeleteActivity: req.DeleteActivityInput;
  DeleteStateMachine: req.DeleteStateMachineInput;
  DeleteStateMachineAlias: req.DeleteStateMachineAliasInput;
  DeleteStateMachineVersion: req.DeleteStateMachineVersionInput;
  DescribeActivity: req.DescribeActivityInput;
  DescribeExecution: req.DescribeExecutionInput;
  DescribeMapRun: req.DescribeMapRunInput;
  DescribeStateMachine: req.DescribeStateMachineInput;
  DescribeStateMachineAlias: req.DescribeStateMachineAliasInput;
  DescribeStateMachineForExecution: req.DescribeStateMachineForExecutionInput;
  GetActivityTask: req.GetActivityTaskInput;
  GetExecutionHistory: req.GetExecutionHistoryInput;
  ListActivities: req.ListActivitiesInput;
  ListExecutions: req.ListExecutionsInput;
  ListMapRuns: req.ListMapRunsInput;
  ListStateMachineAliases: req.ListStateMachineAliasesInput;
  ListStateMachineVersions: req.ListStateMachineVersionsInput;
  ListStateMachines: req.ListStateMachinesInput;
  ListTagsForResource: req.ListTagsForResourceInput;
  PublishStateMachineVersion: req.PublishStateMachineVersionInput;
  RedriveExecution: req.RedriveExecutionInput;
  SendTaskFailure: req.SendTaskFailureInput;
  SendTaskHeartbeat: req.SendTaskHeartbeatInput;
  SendTaskSuccess: req.SendTaskSuccessInput;
  StartExecution: req.StartExecutionInput;
  StartSyncExecution: req.StartSyncExecutionInput;
  StopExecution: req.StopExecutionInput;
  TagResource: req.TagResourceInput;
  TestState: req.TestStateInput;
  UntagResource: req.UntagResourceInput;
  UpdateMapRun: req.UpdateMapRunInput;
  UpdateStateMachine: req.UpdateStateMachineInput;
  UpdateStateMachineAlias: req.UpdateStateMachineAliasInput;
  ValidateStateMachineDefinition: req.ValidateStateMachineDefinitionInput;
}

/** Each operation's response. */
export interface SfnOutputs {
  CreateActivity: res.CreateActivityOutput;
  CreateStateMachine: res.CreateStateMachineOutput;
  CreateStateMachineAlias: res.CreateStateMachineAliasOutput;
  DeleteActivity: res.DeleteActivityOutput;
  DeleteStateMachine: res.DeleteStateMachineOutput;
  DeleteStateMachineAlias: res.DeleteStateMachineAliasOutput;
  DeleteStateMachineVersion: res.DeleteStateMachineVersionOutput;
  DescribeActivity: res.DescribeActivityOutput;
  DescribeExecution: res.DescribeExecutionOutput;
  DescribeMapRun: res.DescribeMapRunOutput;
  DescribeStateMachine: res.DescribeStateMachineOutput;
  DescribeStateMachineAlias: res.DescribeStateMachineAliasOutput;
  DescribeStateMachineForExecution: res.DescribeStateMachineForExecutionOutput;
  GetActivityTask: res.GetActivityTaskOutput;
  GetExecutionHistory: res.GetExecutionHistoryOutput;
  ListActivities: res.ListActivitiesOutput;
  ListExecutions: res.ListExecutionsOutput;
  ListMapRuns: res.ListMapRunsOutput;
  ListStateMachineAliases: res.ListStateMachineAliasesOutput;
  ListStateMachineVersions: res.ListStateMachineVersionsOutput;
  ListStateMachines: res.ListStateMachinesOutput;
  ListTagsForResource: res.ListTagsForResourceOutput;
  PublishStateMachineVersion: res.PublishStateMachineVersionOutput;
  RedriveExecution: res.RedriveExecutionOutput;
  SendTaskFailure: res.SendTaskFailureOutput;
  SendTaskHeartbeat: res.SendTaskHeartbeatOutput;
  SendTaskSuccess: res.SendTaskSuccessOutput;
  StartExecution: res.StartExecutionOutput;
  StartSyncExecution: res.StartSyncExecutionOutput;
  StopExecution: res.StopExecutionOutput;
  TagResource: res.TagResourceOutput;
  TestState: res.TestStateOutput;
  UntagResource: res.UntagResourceOutput;
  UpdateMapRun: res.UpdateMapRunOutput;
  UpdateStateMachine: res.UpdateStateMachineOutput;
  UpdateStateMachineAlias: res.UpdateStateMachineAliasOutput;
  ValidateStateMachineDefinition: res.ValidateStateMachineDefinitionOutput;
}
