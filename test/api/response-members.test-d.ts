/**
 * Compile-time check that each handler answers only members of its operation's response shape
 * (src/api/shapes-responses.ts), at any depth: a misspelled or invented optional member would
 * otherwise compile (TypeScript checks an inferred return type for assignability only) and never
 * reach an SDK. Missing or mistyped members are already compile errors where `satisfies
 * OperationTable` types the handlers. Types only: vitest runs nothing here.
 */
import { activityOps } from '../../src/api/activity-ops.js';
import { executionOps } from '../../src/api/execution-ops.js';
import type { SfnOperation } from '../../src/api/operations.js';
import type { SfnOutputs } from '../../src/api/shapes.js';
import { stateMachineOps } from '../../src/api/state-machine-ops.js';
import { tagOps } from '../../src/api/tag-ops.js';
import { versionOps } from '../../src/api/version-ops.js';
import { testStateOps } from '../../src/api/test-state-ops.js';
import { mapRunOps } from '../../src/api/map-run-ops.js';
import type { Equals, Excess, Expect, Messages, NoDifference } from './shape-drift.js';

/** The factories' tables as inferred (built with `satisfies OperationTable`, not annotated). */
type Tables = ReturnType<typeof activityOps | typeof executionOps | typeof stateMachineOps | typeof tagOps | typeof versionOps | typeof testStateOps | typeof mapRunOps>;

/** What operation `Op`'s handler answers, as inferred from its body; `never` if no table has it. */
type Answer<Op extends SfnOperation> = Tables extends infer T ? (T extends { [K in Op]: (...args: never[]) => Promise<infer R> } ? R : never) : never;

/** The tables are inferred: were they annotated `OperationTable`, answers would be their shapes. */
export type _AnswersAreInferred = Expect<Equals<Answer<'StopExecution'>, { stopDate: number }>>;

/** Per operation: no member answered that its response shape does not declare. */
export interface _EachHandlerAnswersItsShape {
  DescribeMapRun: NoDifference<Messages<Excess<Answer<'DescribeMapRun'>, SfnOutputs['DescribeMapRun'], 'DescribeMapRun'>>>;
  ListMapRuns: NoDifference<Messages<Excess<Answer<'ListMapRuns'>, SfnOutputs['ListMapRuns'], 'ListMapRuns'>>>;
  UpdateMapRun: NoDifference<Messages<Excess<Answer<'UpdateMapRun'>, SfnOutputs['UpdateMapRun'], 'UpdateMapRun'>>>;
  RedriveExecution: NoDifference<Messages<Excess<Answer<'RedriveExecution'>, SfnOutputs['RedriveExecution'], 'RedriveExecution'>>>;
  TestState: NoDifference<Messages<Excess<Answer<'TestState'>, SfnOutputs['TestState'], 'TestState'>>>;
  CreateActivity: NoDifference<Messages<Excess<Answer<'CreateActivity'>, SfnOutputs['CreateActivity'], 'CreateActivity'>>>;
  CreateStateMachine: NoDifference<Messages<Excess<Answer<'CreateStateMachine'>, SfnOutputs['CreateStateMachine'], 'CreateStateMachine'>>>;
  CreateStateMachineAlias: NoDifference<Messages<Excess<Answer<'CreateStateMachineAlias'>, SfnOutputs['CreateStateMachineAlias'], 'CreateStateMachineAlias'>>>;
  DeleteActivity: NoDifference<Messages<Excess<Answer<'DeleteActivity'>, SfnOutputs['DeleteActivity'], 'DeleteActivity'>>>;
  DeleteStateMachine: NoDifference<Messages<Excess<Answer<'DeleteStateMachine'>, SfnOutputs['DeleteStateMachine'], 'DeleteStateMachine'>>>;
  DeleteStateMachineAlias: NoDifference<Messages<Excess<Answer<'DeleteStateMachineAlias'>, SfnOutputs['DeleteStateMachineAlias'], 'DeleteStateMachineAlias'>>>;
  DeleteStateMachineVersion: NoDifference<Messages<Excess<Answer<'DeleteStateMachineVersion'>, SfnOutputs['DeleteStateMachineVersion'], 'DeleteStateMachineVersion'>>>;
  DescribeActivity: NoDifference<Messages<Excess<Answer<'DescribeActivity'>, SfnOutputs['DescribeActivity'], 'DescribeActivity'>>>;
  DescribeExecution: NoDifference<Messages<Excess<Answer<'DescribeExecution'>, SfnOutputs['DescribeExecution'], 'DescribeExecution'>>>;
  DescribeStateMachine: NoDifference<Messages<Excess<Answer<'DescribeStateMachine'>, SfnOutputs['DescribeStateMachine'], 'DescribeStateMachine'>>>;
  DescribeStateMachineAlias: NoDifference<Messages<Excess<Answer<'DescribeStateMachineAlias'>, SfnOutputs['DescribeStateMachineAlias'], 'DescribeStateMachineAlias'>>>;
  DescribeStateMachineForExecution: NoDifference<
    Messages<Excess<Answer<'DescribeStateMachineForExecution'>, SfnOutputs['DescribeStateMachineForExecution'], 'DescribeStateMachineForExecution'>>
  >;
  GetActivityTask: NoDifference<Messages<Excess<Answer<'GetActivityTask'>, SfnOutputs['GetActivityTask'], 'GetActivityTask'>>>;
  GetExecutionHistory: NoDifference<Messages<Excess<Answer<'GetExecutionHistory'>, SfnOutputs['GetExecutionHistory'], 'GetExecutionHistory'>>>;
  ListActivities: NoDifference<Messages<Excess<Answer<'ListActivities'>, SfnOutputs['ListActivities'], 'ListActivities'>>>;
  ListExecutions: NoDifference<Messages<Excess<Answer<'ListExecutions'>, SfnOutputs['ListExecutions'], 'ListExecutions'>>>;
  ListStateMachineAliases: NoDifference<Messages<Excess<Answer<'ListStateMachineAliases'>, SfnOutputs['ListStateMachineAliases'], 'ListStateMachineAliases'>>>;
  ListStateMachineVersions: NoDifference<Messages<Excess<Answer<'ListStateMachineVersions'>, SfnOutputs['ListStateMachineVersions'], 'ListStateMachineVersions'>>>;
  ListStateMachines: NoDifference<Messages<Excess<Answer<'ListStateMachines'>, SfnOutputs['ListStateMachines'], 'ListStateMachines'>>>;
  ListTagsForResource: NoDifference<Messages<Excess<Answer<'ListTagsForResource'>, SfnOutputs['ListTagsForResource'], 'ListTagsForResource'>>>;
  PublishStateMachineVersion: NoDifference<Messages<Excess<Answer<'PublishStateMachineVersion'>, SfnOutputs['PublishStateMachineVersion'], 'PublishStateMachineVersion'>>>;
  SendTaskFailure: NoDifference<Messages<Excess<Answer<'SendTaskFailure'>, SfnOutputs['SendTaskFailure'], 'SendTaskFailure'>>>;
  SendTaskHeartbeat: NoDifference<Messages<Excess<Answer<'SendTaskHeartbeat'>, SfnOutputs['SendTaskHeartbeat'], 'SendTaskHeartbeat'>>>;
  SendTaskSuccess: NoDifference<Messages<Excess<Answer<'SendTaskSuccess'>, SfnOutputs['SendTaskSuccess'], 'SendTaskSuccess'>>>;
  StartExecution: NoDifference<Messages<Excess<Answer<'StartExecution'>, SfnOutputs['StartExecution'], 'StartExecution'>>>;
  StartSyncExecution: NoDifference<Messages<Excess<Answer<'StartSyncExecution'>, SfnOutputs['StartSyncExecution'], 'StartSyncExecution'>>>;
  StopExecution: NoDifference<Messages<Excess<Answer<'StopExecution'>, SfnOutputs['StopExecution'], 'StopExecution'>>>;
  TagResource: NoDifference<Messages<Excess<Answer<'TagResource'>, SfnOutputs['TagResource'], 'TagResource'>>>;
  UntagResource: NoDifference<Messages<Excess<Answer<'UntagResource'>, SfnOutputs['UntagResource'], 'UntagResource'>>>;
  UpdateStateMachine: NoDifference<Messages<Excess<Answer<'UpdateStateMachine'>, SfnOutputs['UpdateStateMachine'], 'UpdateStateMachine'>>>;
  UpdateStateMachineAlias: NoDifference<Messages<Excess<Answer<'UpdateStateMachineAlias'>, SfnOutputs['UpdateStateMachineAlias'], 'UpdateStateMachineAlias'>>>;
  ValidateStateMachineDefinition: NoDifference<
    Messages<Excess<Answer<'ValidateStateMachineDefinition'>, SfnOutputs['ValidateStateMachineDefinition'], 'ValidateStateMachineDefinition'>>
  >;
}

/** The check sees an invented member, at the top, in a list and in a union of answers. */
export type _ExcessIsSeen = [
  Expect<Equals<Excess<{ a: string; typo: number }, { a: string }, 'T'>, 'T.typo: answered, not in the shape'>>,
  Expect<Equals<Excess<{ l: { x: string; y: string }[] }, { l?: { x?: string }[] }, 'T'>, 'T.l[].y: answered, not in the shape'>>,
  Expect<Equals<Excess<{ a: string } | { b: string }, { a?: string }, 'T'>, 'T.b: answered, not in the shape'>>,
  Expect<Equals<Excess<{ a: string; b: undefined }, { a: string; b?: number }, 'T'>, never>>,
];
