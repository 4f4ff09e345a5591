/**
 * Compile-time check that Stepwise's wire shapes (src/api/shapes.ts) stay in step with the pinned
 * @aws-sdk/client-sfn: `npm run typecheck` fails, naming the operation and member, when an SDK
 * bump adds, removes or changes an operation or a request or response member (a new enum value
 * included), until Stepwise's shapes and handlers follow. Types only: vitest runs nothing here.
 */
import type * as sdk from '@aws-sdk/client-sfn';
import type { SfnOperation } from '../../src/api/operations.js';
import type { SfnInputs, SfnOutputs } from '../../src/api/shapes.js';
import type { Drift, Equals, Expect, Messages, NoDifference } from './shape-drift.js';

type Sdk = typeof sdk;

/** The SDK's operations: one `<Operation>Command` class each (`$Command` is their base class). */
type SdkOperation = Exclude<{ [K in keyof Sdk]: K extends `${infer Op}Command` ? Op : never }[keyof Sdk], '$'>;

type SdkCommand<Op extends string> = Sdk[`${Op}Command` & keyof Sdk] extends new (...args: never[]) => infer C ? C : never;

/** `<Operation>CommandInput`. */
type SdkInput<Op extends string> = SdkCommand<Op> extends { input: infer I } ? I : never;

/** `<Operation>CommandOutput` without the SDK's own `$metadata`. */
type SdkOutput<Op extends string> =
  SdkCommand<Op> extends { resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }> } ? Omit<O, '$metadata'> : never;

/** The lookups above find the SDK's named types (were they `never`, every check would pass). */
export type _LookupsFindTheSdkTypes = [
  Expect<Equals<SdkInput<'StartExecution'>, sdk.StartExecutionCommandInput>>,
  Expect<Equals<SdkOutput<'StartExecution'>, Omit<sdk.StartExecutionCommandOutput, '$metadata'>>>,
];

/** SFN_OPERATIONS is the SDK's list of operations, and each has a request and a response shape. */
export type _SameOperations = NoDifference<
  | `${Exclude<SdkOperation, SfnOperation>}: an SDK operation missing from SFN_OPERATIONS`
  | `${Exclude<SfnOperation, SdkOperation>}: in SFN_OPERATIONS, not in the SDK`
  | `${Exclude<SfnOperation, keyof SfnInputs>}: no request shape in SfnInputs`
  | `${Exclude<SfnOperation, keyof SfnOutputs>}: no response shape in SfnOutputs`
>;

/** How operation `Op`'s request and response shapes differ from the SDK's, in both directions. */
type Differences<Op extends SfnOperation> = Messages<Drift<SdkInput<Op>, SfnInputs[Op], `${Op}Input`> | Drift<SdkOutput<Op>, SfnOutputs[Op], `${Op}Output`>>;

/**
 * Per operation: every request member the SDK can send is declared by Stepwise's request shape,
 * every response member the SDK reads by its response shape, with the same type and
 * required-ness, and neither declares a member the SDK does not have. A failure names the first
 * differing member of that operation.
 */
export interface _EachOperationMatchesTheSdk {
  CreateActivity: NoDifference<Differences<'CreateActivity'>>;
  CreateStateMachine: NoDifference<Differences<'CreateStateMachine'>>;
  CreateStateMachineAlias: NoDifference<Differences<'CreateStateMachineAlias'>>;
  DeleteActivity: NoDifference<Differences<'DeleteActivity'>>;
  DeleteStateMachine: NoDifference<Differences<'DeleteStateMachine'>>;
  DeleteStateMachineAlias: NoDifference<Differences<'DeleteStateMachineAlias'>>;
  DeleteStateMachineVersion: NoDifference<Differences<'DeleteStateMachineVersion'>>;
  DescribeActivity: NoDifference<Differences<'DescribeActivity'>>;
  DescribeExecution: NoDifference<Differences<'DescribeExecution'>>;
  DescribeMapRun: NoDifference<Differences<'DescribeMapRun'>>;
  DescribeStateMachine: NoDifference<Differences<'DescribeStateMachine'>>;
  DescribeStateMachineAlias: NoDifference<Differences<'DescribeStateMachineAlias'>>;
  DescribeStateMachineForExecution: NoDifference<Differences<'DescribeStateMachineForExecution'>>;
  GetActivityTask: NoDifference<Differences<'GetActivityTask'>>;
  GetExecutionHistory: NoDifference<Differences<'GetExecutionHistory'>>;
  ListActivities: NoDifference<Differences<'ListActivities'>>;
  ListExecutions: NoDifference<Differences<'ListExecutions'>>;
  ListMapRuns: NoDifference<Differences<'ListMapRuns'>>;
  ListStateMachineAliases: NoDifference<Differences<'ListStateMachineAliases'>>;
  ListStateMachineVersions: NoDifference<Differences<'ListStateMachineVersions'>>;
  ListStateMachines: NoDifference<Differences<'ListStateMachines'>>;
  ListTagsForResource: NoDifference<Differences<'ListTagsForResource'>>;
  PublishStateMachineVersion: NoDifference<Differences<'PublishStateMachineVersion'>>;
  RedriveExecution: NoDifference<Differences<'RedriveExecution'>>;
  SendTaskFailure: NoDifference<Differences<'SendTaskFailure'>>;
  SendTaskHeartbeat: NoDifference<Differences<'SendTaskHeartbeat'>>;
  SendTaskSuccess: NoDifference<Differences<'SendTaskSuccess'>>;
  StartExecution: NoDifference<Differences<'StartExecution'>>;
  StartSyncExecution: NoDifference<Differences<'StartSyncExecution'>>;
  StopExecution: NoDifference<Differences<'StopExecution'>>;
  TagResource: NoDifference<Differences<'TagResource'>>;
  TestState: NoDifference<Differences<'TestState'>>;
  UntagResource: NoDifference<Differences<'UntagResource'>>;
  UpdateMapRun: NoDifference<Differences<'UpdateMapRun'>>;
  UpdateStateMachine: NoDifference<Differences<'UpdateStateMachine'>>;
  UpdateStateMachineAlias: NoDifference<Differences<'UpdateStateMachineAlias'>>;
  ValidateStateMachineDefinition: NoDifference<Differences<'ValidateStateMachineDefinition'>>;
}

export type _EveryOperationIsChecked = NoDifference<`${Exclude<SfnOperation, keyof _EachOperationMatchesTheSdk>}: not checked above`>;

/** The comparison sees each kind of drift (it would be no check if it could not fail). */
export type _DriftIsSeen = [
  Expect<Equals<Drift<{ a: string; b?: string }, { a: string }, 'T'>, 'T.b: in the SDK, not in Stepwise'>>,
  Expect<Equals<Drift<{ a: string }, { a: string; c?: string }, 'T'>, 'T.c: in Stepwise, not in the SDK'>>,
  Expect<Equals<Drift<{ a: string | undefined }, { a?: string }, 'T'>, 'T.a: required in the SDK, optional in Stepwise'>>,
  Expect<Equals<Drift<{ a?: string }, { a: string }, 'T'>, 'T.a: optional in the SDK, required in Stepwise'>>,
  Expect<Equals<Drift<{ a: 'X' | 'Y' }, { a: 'X' }, 'T'>, 'T.a: types differ'>>,
  Expect<Equals<Drift<{ a: Date }, { a: string }, 'T'>, 'T.a: types differ'>>,
  Expect<Equals<Drift<{ a: Date; n?: number }, { a: number; n?: number }, 'T'>, never>>,
  Expect<Equals<Drift<{ l: { x?: string; y?: string }[] }, { l: { x?: string }[] }, 'T'>, 'T.l[].y: in the SDK, not in Stepwise'>>,
  Expect<Equals<Drift<{ m?: Record<string, string[]> }, { m?: Record<string, string> }, 'T'>, 'T.m{}: a list in the SDK, not in Stepwise'>>,
];
