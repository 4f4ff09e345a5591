/** What the Step Functions operations of the API need, and the shape of one operation's handler. */
import type { ActivityService } from '../service/activities.js';
import type { ExecutionQueries } from '../service/execution-queries.js';
import type { ExecutionService } from '../service/executions.js';
import type { StateMachineService } from '../service/state-machines.js';
import type { SfnOperation } from './operations.js';
import type { Members } from './wire.js';

export interface SfnServices {
  stateMachines: StateMachineService;
  executions: ExecutionService;
  queries: ExecutionQueries;
  /** Activities (CreateActivity ... GetActivityTask), when served. */
  activities?: ActivityService;
}

/** Takes the request's members, answers the response body (AWS member names, dates in epoch seconds). */
export type OperationHandler = (m: Members) => Promise<Record<string, unknown>>;

export type OperationTable = Partial<Record<SfnOperation, OperationHandler>>;
