/** What the Step Functions operations of the API need, and the shape of one operation's handler. */
import type { ActivityService } from '../service/activities.js';
import type { ExecutionQueries } from '../service/execution-queries.js';
import type { ExecutionService } from '../service/executions.js';
import type { StateMachineService } from '../service/state-machines.js';
import type { TestStateService } from '../service/test-state.js';
import type { MapRunService } from '../service/map-runs.js';
import type { SfnOperation } from './operations.js';
import type { SfnInputs, SfnOutputs } from './shapes.js';
import type { Members } from './wire.js';

export interface SfnServices {
  stateMachines: StateMachineService;
  executions: ExecutionService;
  queries: ExecutionQueries;
  /** Activities (CreateActivity ... GetActivityTask), when served. */
  activities?: ActivityService;
  /** TestState with the server's task invoker; without it, only mocked tasks can be tested. */
  testState?: TestStateService;
  /** ListMapRuns, DescribeMapRun, UpdateMapRun, when served. */
  mapRuns?: MapRunService;
}

/**
 * Operation `Op`'s handler: reads the members of `Op`'s request, answers `Op`'s response (AWS's
 * member names, dates in epoch seconds). Both shapes are in src/api/shapes.ts.
 */
export type OperationHandler<Op extends SfnOperation> = (m: Members<SfnInputs[Op]>) => Promise<SfnOutputs[Op]>;

/**
 * The operations served, each by its own operation's handler. Factories build theirs with
 * `satisfies OperationTable` so their handlers' inferred responses stay visible: TypeScript does
 * not reject a member a response shape lacks, so test/api/response-members.test-d.ts does.
 */
export type OperationTable = { [Op in SfnOperation]?: OperationHandler<Op> };
