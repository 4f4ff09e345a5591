/**
 * The four benchmark cases, shared by every engine's runner.
 *
 * Each case is an ASL definition, a way to build the input of execution `i`, the output that
 * execution must produce, and the number of transitions it makes. A "transition" is a state
 * entered, Map iterations' states included; it is counted from the definition's known path (the
 * path every execution takes is fixed), so it is the same figure for every engine. Stepwise also
 * reports its own count, which the orchestrator cross-checks against this one.
 *
 * The only thing that differs between engines is the Task `Resource`: aws-local-stepfunctions
 * validates it as an ARN and overrides it by state name, Stepwise overrides it by ARN, and
 * statebox can only run `module:<name>` resources. Each runner passes its own.
 */
import type { Json, JsonObject } from '../src/lib/json.js';

export type CaseName = 'pass-chain' | 'pipeline' | 'map-100' | 'pipeline-x1000';

export const CASE_NAMES: readonly CaseName[] = ['pass-chain', 'pipeline', 'map-100', 'pipeline-x1000'];

export const CASE_TITLES: Record<CaseName, string> = {
  'pass-chain': '20-state Pass chain',
  pipeline: 'pipeline (Task+Retry/Catch, Wait 0, Choice, Pass, Succeed)',
  'map-100': 'inline Map over 100 items (Pass + Task)',
  'pipeline-x1000': '1,000 concurrent pipeline executions',
};

/** The ARN Stepwise and aws-local-stepfunctions see; statebox gets `module:enrich`. */
export const TASK_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:Enrich';
export const STATEBOX_TASK_RESOURCE = 'module:enrich';

/** Names of the Task states, for engines whose overrides are keyed by state name. */
export const TASK_STATE_NAMES = ['Enrich', 'Work'] as const;

/** The trivial local task every engine runs: its input plus one field. */
export function enrich(input: unknown): JsonObject {
  return { ...(input as JsonObject), processed: true };
}

export interface BenchCase {
  name: CaseName;
  /** The definition, with `resource` as every Task's Resource. */
  definition(resource: string): JsonObject;
  /** Executions started together per iteration (all awaited before the next iteration). */
  batch: number;
  /** Input of the execution with index `i` (0-based, within the batch). */
  input(i: number): Json;
  /** The output that execution must produce. */
  expected(i: number): Json;
  /** States entered by one execution, Map iterations' states included. */
  transitionsPerExecution: number;
}

// ---------------------------------------------------------------------------------------------
// Case 1: 20 Pass states, each with a small Parameters and ResultPath.

const CHAIN_LENGTH = 20;

function passChain(): JsonObject {
  const states: JsonObject = {};
  for (let n = 1; n <= CHAIN_LENGTH; n++) {
    states[`Step${n}`] = {
      Type: 'Pass',
      Parameters: { n, 'prev.$': '$.last.n' },
      ResultPath: '$.last',
      ...(n === CHAIN_LENGTH ? { End: true } : { Next: `Step${n + 1}` }),
    };
  }
  return { Comment: 'bench: 20-state Pass chain', StartAt: 'Step1', States: states };
}

// ---------------------------------------------------------------------------------------------
// Case 2 (and 4): the pipeline shape. Path taken: Enrich, Pause, Route, Shape, Done = 5 states.

function pipeline(resource: string): JsonObject {
  return {
    Comment: 'bench: pipeline',
    StartAt: 'Enrich',
    States: {
      Enrich: {
        Type: 'Task',
        Resource: resource,
        ResultPath: '$.enriched',
        Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
        Next: 'Pause',
      },
      Pause: { Type: 'Wait', Seconds: 0, Next: 'Route' },
      Route: {
        Type: 'Choice',
        Choices: [{ Variable: '$.enriched.processed', BooleanEquals: true, Next: 'Shape' }],
        Default: 'Failed',
      },
      Shape: {
        Type: 'Pass',
        Parameters: { 'id.$': '$.id', 'amount.$': '$.enriched.amount', 'processed.$': '$.enriched.processed' },
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
      Failed: { Type: 'Fail', Error: 'PipelineFailed', Cause: 'the task did not process the order' },
    },
  };
}

const pipelineInput = (i: number): Json => ({ id: `order-${i}`, amount: i % 97 });
const pipelineExpected = (i: number): Json => ({ id: `order-${i}`, amount: i % 97, processed: true });

// ---------------------------------------------------------------------------------------------
// Case 3: inline Map over 100 items; iterator Prep (Pass) -> Work (Task).
// States entered: the Map itself + 100 x 2 = 201.

const MAP_ITEMS = 100;

function map100(resource: string): JsonObject {
  return {
    Comment: 'bench: inline Map over 100 items',
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        Iterator: {
          StartAt: 'Prep',
          States: {
            // Explicit ResultPath on purpose: statebox merges a result written to the default
            // ResultPath over the state's input (lodash `defaults`) instead of replacing it, so a
            // default-ResultPath Parameters Pass here would make it fail the case on its output.
            Prep: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, ResultPath: '$.prep', Next: 'Work' },
            Work: { Type: 'Task', Resource: resource, End: true },
          },
        },
        End: true,
      },
    },
  };
}

// Built afresh for every execution, so an engine that mutated its input could not pass on the next.
const mapInput = (): Json => ({ items: Array.from({ length: MAP_ITEMS }, (_, n) => ({ n, pad: 'x' })) });
const mapExpected: Json = Array.from({ length: MAP_ITEMS }, (_, n) => ({ n, pad: 'x', prep: { n }, processed: true }));

// ---------------------------------------------------------------------------------------------

export const CASES: Record<CaseName, BenchCase> = {
  'pass-chain': {
    name: 'pass-chain',
    definition: () => passChain(),
    batch: 1,
    input: () => ({ id: 'chain', last: { n: 0 } }),
    expected: () => ({ id: 'chain', last: { n: CHAIN_LENGTH, prev: CHAIN_LENGTH - 1 } }),
    transitionsPerExecution: CHAIN_LENGTH,
  },
  pipeline: {
    name: 'pipeline',
    definition: pipeline,
    batch: 1,
    input: pipelineInput,
    expected: pipelineExpected,
    transitionsPerExecution: 5,
  },
  'map-100': {
    name: 'map-100',
    definition: map100,
    batch: 1,
    input: mapInput,
    expected: () => mapExpected,
    transitionsPerExecution: 1 + MAP_ITEMS * 2,
  },
  'pipeline-x1000': {
    name: 'pipeline-x1000',
    definition: pipeline,
    batch: 1000,
    input: pipelineInput,
    expected: pipelineExpected,
    transitionsPerExecution: 5,
  },
};

export function isCaseName(value: string | undefined): value is CaseName {
  return value !== undefined && (CASE_NAMES as readonly string[]).includes(value);
}
