/**
 * The TestState use case. The definition is one state (AWS's classic form) or a whole state
 * machine with `stateName` naming the state; either way it passes the same validator as
 * CreateStateMachine. AWS's request rules come next (which states take a mock and which need
 * one, when a role is required, what a Context object may hold), then the engine runs the state
 * once and its outcome is written as AWS answers it, with inspection data from DEBUG on.
 */
import { isObject, tryParseJson, type Json, type JsonObject } from '../lib/json.js';
import { buildGraph, type MachineGraph, type StateNode } from '../asl/graph.js';
import { invalidDefinitionMessage, isValid, validateDefinition, type Diagnostic } from '../asl/validate.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { PAYLOAD_LIMIT_BYTES } from '../engine/limits.js';
import type { TaskInvoker } from '../engine/local-run.js';
import { describeResource } from '../engine/resource.js';
import { testState, type ErrorDetails, type Inspection, type TestStateMock, type TestStateOutcome, type TestStatus } from '../engine/test-state.js';
import { checkRoleArn } from './arns.js';
import { ServiceError } from './errors.js';
import { parseContext } from './test-state-context.js';

export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';

export interface TestStateRequest {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  variables?: string;
  stateName?: string;
  mock?: { result?: string; errorOutput?: { error?: string; cause?: string }; fieldValidationMode?: string };
  context?: string;
  stateConfiguration?: { retrierRetryCount?: number; errorCausedByState?: string; mapIterationFailureCount?: number; mapItemReaderData?: string };
}

/** InspectionData as AWS writes it: JSON values as text. */
export interface InspectionData {
  input?: string;
  afterInputPath?: string;
  afterParameters?: string;
  afterArguments?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  variables?: string;
  errorDetails?: ErrorDetails;
  afterItemsPath?: string;
  afterItemSelector?: string;
  afterItemBatcher?: string;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
  /** TRACE, for an HTTP Task: its request and response. */
  request?: { protocol: string; method: string; url: string; headers: string; body: string };
  response?: { protocol: string; statusCode: string; statusMessage: string; headers: string; body: string };
}

export interface TestStateResult {
  status: TestStatus;
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: InspectionData;
}

export interface TestStateServiceOptions {
  /** Answers Task states tested without a mock (local Lambda functions, integrations). */
  invoker?: TaskInvoker;
  clock?: Clock;
  region?: string;
  account?: string;
}

/** The name AWS gives the state of a single-state definition. */
export const SINGLE_STATE_NAME = 'StateName';

const JSON_MEMBERS = ['input', 'afterInputPath', 'afterParameters', 'afterArguments', 'result', 'afterResultSelector', 'afterResultPath', 'variables', 'afterItemsPath', 'afterItemSelector', 'afterItemBatcher'] as const;

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export class TestStateService {
  private readonly clock: Clock;
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly opts: TestStateServiceOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.region = opts.region ?? 'us-east-1';
    this.account = opts.account ?? '123456789012';
  }

  async test(req: TestStateRequest): Promise<TestStateResult> {
    if (req.roleArn !== undefined) checkRoleArn(req.roleArn);
    const { machine, stateName } = loadDefinition(req.definition, req.stateName);
    const node = machine.states.get(stateName) as StateNode;
    const mock = mockOf(req, node);
    checkTaskNeeds(req, node, mock);
    checkConfiguration(req, machine, node);
    const context = req.context === undefined ? undefined : contextOf(req.context, node, mock);
    const outcome = await testState({
      machine,
      stateName,
      input: jsonInput(req.input),
      ...(req.variables !== undefined ? { variables: variablesOf(req.variables) } : {}),
      ...(context ? { context } : {}),
      ...(mock ? { mock } : {}),
      ...(req.stateConfiguration?.retrierRetryCount !== undefined ? { retrierRetryCount: req.stateConfiguration.retrierRetryCount } : {}),
      ...(req.stateConfiguration?.mapIterationFailureCount !== undefined ? { mapIterationFailureCount: req.stateConfiguration.mapIterationFailureCount } : {}),
      ...(this.opts.invoker ? { invoker: this.opts.invoker } : {}),
      ...(req.roleArn !== undefined ? { roleArn: req.roleArn } : {}),
      ...(req.revealSecrets ? { revealSecrets: true } : {}),
      region: this.region,
      account: this.account,
      now: this.clock.now(),
    });
    return resultOf(outcome, req.inspectionLevel ?? 'INFO');
  }
}

// ---- the definition ---------------------------------------------------------------------------

function invalidDefinition(diags: readonly Diagnostic[]): ServiceError {
  return new ServiceError('InvalidDefinition', invalidDefinitionMessage(diags));
}

/**
 * A whole machine is validated as it is. A single state is validated as the one state of a
 * machine, with a stand-in Succeed state for each state it may go to, and its diagnostics are
 * located in the state itself (`/Parameters`, not `/States/StateName/Parameters`).
 */
function loadDefinition(text: string, stateName: string | undefined): { machine: MachineGraph; stateName: string } {
  if (stateName !== undefined) {
    const diags = validateDefinition(text);
    if (!isValid(diags)) throw invalidDefinition(diags);
    const machine = buildGraph(JSON.parse(text) as JsonObject);
    if (!machine.states.has(stateName)) throw validation('State not found in definition');
    return { machine, stateName };
  }
  const parsed = tryParseJson(text);
  if (!parsed.ok) throw invalidDefinition(validateDefinition(text));
  const state = parsed.value;
  const wrapped: JsonObject = { StartAt: SINGLE_STATE_NAME, States: { ...standIns(state), [SINGLE_STATE_NAME]: state } };
  const diags = validateDefinition(wrapped).filter(aboutTheState).map(locatedInState);
  if (!isValid(diags)) throw invalidDefinition(diags);
  return { machine: buildGraph(wrapped), stateName: SINGLE_STATE_NAME };
}

/** A Succeed state for each transition target of a single state, so that its transitions validate. */
function standIns(state: Json): JsonObject {
  const out: JsonObject = {};
  if (!isObject(state)) return out;
  const targets: Json[] = [state['Next'], state['Default']];
  for (const list of [state['Choices'], state['Catch']]) {
    if (Array.isArray(list)) for (const rule of list) if (isObject(rule)) targets.push(rule['Next']);
  }
  for (const t of targets) if (typeof t === 'string' && t !== SINGLE_STATE_NAME) out[t] = { Type: 'Succeed' };
  return out;
}

/** Diagnostics of the wrapping machine itself (its StartAt, its terminal state) are not the caller's. */
function aboutTheState(d: Diagnostic): boolean {
  return d.location !== '/' && d.location !== '/States' && d.location !== '/StartAt';
}

function locatedInState(d: Diagnostic): Diagnostic {
  const prefix = `/States/${SINGLE_STATE_NAME}`;
  if (d.location === undefined || !d.location.startsWith(prefix)) return d;
  return { ...d, location: d.location.slice(prefix.length) || '/' };
}

// ---- AWS's request rules ----------------------------------------------------------------------

const MOCKABLE = new Set(['Task', 'Map', 'Parallel']);

function mockOf(req: TestStateRequest, node: StateNode): TestStateMock | undefined {
  const m = req.mock;
  if (m === undefined) {
    if (node.type === 'Map' || node.type === 'Parallel') {
      throw new ServiceError('InvalidDefinition', 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]');
    }
    return undefined;
  }
  if (!MOCKABLE.has(node.type)) throw validation(`State type '${node.type}' is not supported when a mock is specified`);
  if (req.revealSecrets) throw validation('TestState does not support RevealSecrets when a mock is specified.');
  if (m.result !== undefined && m.errorOutput !== undefined) throw validation('A test mock should have only one of the following fields: [result, errorOutput].');
  if (m.errorOutput !== undefined) {
    if (m.errorOutput.error === undefined) {
      throw validation("1 validation error detected: Value null at 'mock.errorOutput.error' failed to satisfy constraint: Member must not be null");
    }
    return { kind: 'error', error: m.errorOutput.error, cause: m.errorOutput.cause };
  }
  if (m.result === undefined) throw validation('A test mock should have one of the following fields: [result, errorOutput].');
  const parsed = tryParseJson(m.result);
  if (!parsed.ok) throw validation('Mocked result must be valid JSON');
  if (node.type === 'Map' || node.type === 'Parallel') {
    if (!Array.isArray(parsed.value)) throw validation('Mocked result must be an array.');
    if (node.type === 'Parallel' && parsed.value.length !== (node.branches?.length ?? 0)) {
      throw validation('Mocked result must contain the same number of items as number of Parallel branches.');
    }
  }
  return { kind: 'result', result: parsed.value };
}

/** A Task answered for real needs a role, and a resource that answers at once. */
function checkTaskNeeds(req: TestStateRequest, node: StateNode, mock: TestStateMock | undefined): void {
  if (node.type !== 'Task' || mock !== undefined) return;
  if (req.roleArn === undefined) throw validation('RoleArn must be specified when testing a Task state');
  const resource = String(node.def['Resource']);
  if (describeResource(resource).family === 'activity' || /\.(sync(:2)?|waitForTaskToken)$/.test(resource)) {
    throw validation('TestState supports Activity tasks and the .sync and .waitForTaskToken service integration patterns only when a mock is specified.');
  }
}

function checkConfiguration(req: TestStateRequest, machine: MachineGraph, node: StateNode): void {
  const c = req.stateConfiguration;
  if (node.type === 'Map' && ('ItemReader' in node.def || 'ResultWriter' in node.def)) {
    throw validation("Stepwise's TestState does not support a Map state with ItemReader or ResultWriter yet.");
  }
  if (c?.mapItemReaderData !== undefined) throw validation("Stepwise's TestState does not support mapItemReaderData yet (it reads no ItemReader).");
  const origin = c?.errorCausedByState;
  if (origin !== undefined && !isInside(machine.states.get(origin), node)) {
    throw validation(`errorCausedByState '${origin}' is not a state inside the Map or Parallel state under test.`);
  }
}

function isInside(inner: StateNode | undefined, outer: StateNode): boolean {
  for (let owner = inner?.block.owner; owner; owner = owner.block.owner) if (owner === outer) return true;
  return false;
}

function contextOf(text: string, node: StateNode, mock: TestStateMock | undefined): JsonObject {
  if (mock === undefined) throw validation('A Context object can be given only when a mock is specified.');
  return parseContext(text, node);
}

function jsonInput(text: string | undefined): Json {
  if (text === undefined) return {};
  const parsed = tryParseJson(text);
  if (!parsed.ok) throw new ServiceError('InvalidExecutionInput', `Invalid Execution Input: ${parsed.message}`);
  if (Buffer.byteLength(text, 'utf8') > PAYLOAD_LIMIT_BYTES) {
    throw new ServiceError('InvalidExecutionInput', `Invalid Execution Input: the input exceeds the maximum size of ${PAYLOAD_LIMIT_BYTES} bytes.`);
  }
  return parsed.value;
}

function variablesOf(text: string): JsonObject {
  const parsed = tryParseJson(text);
  if (!parsed.ok) throw validation(`Invalid variables: ${parsed.message}`);
  if (!isObject(parsed.value)) throw validation('Invalid variables: variables must be a JSON object whose keys are the variable names.');
  return parsed.value;
}

// ---- the answer -------------------------------------------------------------------------------

function resultOf(o: TestStateOutcome, level: InspectionLevel): TestStateResult {
  const r: TestStateResult = { status: o.status };
  if (o.output !== undefined) r.output = JSON.stringify(o.output);
  if (o.error !== undefined) r.error = o.error;
  if (o.cause !== undefined) r.cause = o.cause;
  if (o.nextState !== undefined) r.nextState = o.nextState;
  if (level !== 'INFO') r.inspectionData = inspectionData(o.inspection, level === 'TRACE');
  return r;
}

/** `trace`: TRACE adds the HTTP request and response of an HTTP Task. */
function inspectionData(i: Inspection, trace: boolean): InspectionData {
  const out: InspectionData = {};
  for (const k of JSON_MEMBERS) {
    const v = i[k];
    if (v !== undefined) out[k] = JSON.stringify(v);
  }
  if (i.errorDetails) out.errorDetails = i.errorDetails;
  if (i.toleratedFailureCount !== undefined) out.toleratedFailureCount = i.toleratedFailureCount;
  if (i.toleratedFailurePercentage !== undefined) out.toleratedFailurePercentage = i.toleratedFailurePercentage;
  if (i.maxConcurrency !== undefined) out.maxConcurrency = i.maxConcurrency;
  if (trace && i.request) out.request = i.request;
  if (trace && i.response) out.response = i.response;
  return out;
}
