/**
 * EventBridge's rule operations over AWS JSON 1.1 (`X-Amz-Target: AWSEvents.<Operation>`), on the
 * same `rule` store records the Scheduler runs: PutRule, DescribeRule, ListRules, DeleteRule,
 * EnableRule, DisableRule, PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget,
 * and PutEvents (handed to an injected function: the local bus is the composition root's).
 *
 * Only the default event bus exists; rules have a ScheduleExpression, an EventPattern (matched
 * against events put on the bus, event-rules.ts) or both; only state machines are targets, with
 * Input, InputPath or an InputTransformer. Errors are AWS JSON
 * 1.1's: `{"__type": "<Code>", "message": …}`, HTTP 400. SigV4 is the API edge's.
 */
import type { Clock } from '../engine/clock.js';
import type { Store } from '../engine/store.js';
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { ServiceError } from '../service/errors.js';
import { ACCOUNT, fromDoc, mutateRule, REGION, RULE_KIND, ruleArn, stepwiseOptions, type RuleState, type RuleTarget, type ScheduleRule } from './rules.js';
import { parseScheduleExpression } from './schedule-expression.js';
import { SCHEDULE_TARGET_PREFIX, scheduleOps } from './schedule-ops.js';
import { parseEventPattern } from './event-pattern.js';
import { targetInputProblem, type TargetInputSpec } from './input-transformer.js';

export { SCHEDULE_OPERATIONS, SCHEDULE_TARGET_PREFIX } from './schedule-ops.js';

export const EVENTS_TARGET_PREFIX = 'AWSEvents.';

/** PutEvents' entries onto the local bus: EventBridge's per-entry answer. */
export type PutEventsFn = (entries: readonly Json[]) => Promise<{ Entries: readonly unknown[]; FailedEntryCount: number }>;

export interface RuleApiOptions {
  store: Store;
  clock: Clock;
  putEvents: PutEventsFn;
  onError?: (err: unknown) => void;
}

/** EventBridge's limits: targets per rule, entries per PutTargets/RemoveTargets/PutEvents call. */
const MAX_TARGETS_PER_RULE = 5;
const MAX_ENTRIES = 10;
const DEFAULT_BUS = 'default';
const DEFAULT_BUS_ARN = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
const STATE_MACHINE_ARN = /^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.$-]+)?$/;

const validation = (message: string) => new ServiceError('ValidationException', message);
const notNull = (member: string) => validation(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
const ruleNotFound = (name: string) => new ServiceError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);

export function ruleApi(opts: RuleApiOptions): { handle(target: string, body: string): Promise<{ status: number; body: string }> } {
  const { store, clock } = opts;
  const onError = opts.onError ?? ((err: unknown) => console.error('stepwise events api: unexpected error:', err));

  async function getRule(name: string): Promise<{ rule: ScheduleRule; revision: number } | undefined> {
    const rec = await store.getResource(RULE_KIND, ruleArn(name));
    return rec ? { rule: fromDoc(rec.doc), revision: rec.revision } : undefined;
  }

  /** Compare-and-set on a rule's record: `change` sees the current rule (or undefined) and returns the next one. */
  async function mutate(name: string, change: (rule: ScheduleRule | undefined) => ScheduleRule): Promise<ScheduleRule> {
    const next = await mutateRule(store, name, () => clock.now(), change);
    if (!next) throw new ServiceError('ConcurrentModificationException', 'Another request changed the rule at the same time; try again.');
    return next;
  }

  const ops: Record<string, (req: JsonObject) => Promise<JsonObject>> = {
    async PutRule(req) {
      const name = ruleName(req, 'Name', 'name');
      checkBus(req['EventBusName']);
      const pattern = optionalString(req, 'EventPattern');
      if (pattern !== undefined) parseEventPattern(pattern);
      const expression = optionalString(req, 'ScheduleExpression');
      if (expression === undefined && pattern === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      if (expression !== undefined) parseScheduleExpression(expression);
      const stateText = optionalString(req, 'State') ?? 'ENABLED';
      if (stateText !== 'ENABLED' && stateText !== 'DISABLED') {
        throw validation(`1 validation error detected: Value '${stateText}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`);
      }
      const state: RuleState = stateText;
      const description = optionalString(req, 'Description');
      if (description !== undefined && description.length > 512) {
        throw validation(`1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512`);
      }
      await mutate(name, (old) => {
        const now = clock.now();
        // The rate() anchor restarts when the schedule changes or the rule is enabled (declareRules does the same).
        const restarts = !old || old.scheduleExpression !== expression || (old.state === 'DISABLED' && state === 'ENABLED');
        return {
          ...(old && stepwiseOptions(old)),
          name,
          ...(expression !== undefined && { scheduleExpression: expression }),
          ...(pattern !== undefined && { eventPattern: pattern }),
          state,
          createdAt: restarts ? now : old.createdAt,
          targets: old?.targets ?? [],
          ...(description !== undefined ? { description } : {}),
        };
      });
      return { RuleArn: ruleArn(name) };
    },

    async DescribeRule(req) {
      const name = ruleName(req, 'Name', 'name');
      checkBus(req['EventBusName']);
      const found = await getRule(name);
      if (!found) throw ruleNotFound(name);
      return { ...ruleSummary(found.rule), CreatedBy: ACCOUNT };
    },

    async ListRules(req) {
      checkBus(req['EventBusName']);
      const prefix = optionalString(req, 'NamePrefix') ?? '';
      const limit = pageLimit(req);
      const after = cursor(req);
      const page = await store.listResources(RULE_KIND, { arnPrefix: ruleArn(prefix), limit: limit + 1, ...(after !== undefined ? { afterArn: after } : {}) });
      const shown = page.slice(0, limit);
      const last = shown[shown.length - 1];
      return { Rules: shown.map((r) => ruleSummary(fromDoc(r.doc))), ...(page.length > limit && last ? { NextToken: token(last.arn) } : {}) };
    },

    async DeleteRule(req) {
      const name = ruleName(req, 'Name', 'name');
      checkBus(req['EventBusName']);
      const found = await getRule(name);
      // AWS answers success for a rule that does not exist.
      if (!found) return {};
      if (found.rule.targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
      await store.deleteResource(RULE_KIND, ruleArn(name));
      return {};
    },

    async EnableRule(req) {
      const name = ruleName(req, 'Name', 'name');
      checkBus(req['EventBusName']);
      await mutateExisting(name, (rule) => (rule.state === 'ENABLED' ? rule : { ...rule, state: 'ENABLED', createdAt: clock.now() }));
      return {};
    },

    async DisableRule(req) {
      const name = ruleName(req, 'Name', 'name');
      checkBus(req['EventBusName']);
      await mutateExisting(name, (rule) => ({ ...rule, state: 'DISABLED' }));
      return {};
    },

    async PutTargets(req) {
      const name = ruleName(req, 'Rule', 'rule');
      checkBus(req['EventBusName']);
      const targets = req['Targets'];
      if (!Array.isArray(targets)) throw notNull('targets');
      checkCount('targets', targets.length);
      const accepted: RuleTarget[] = [];
      const failed: JsonObject[] = [];
      for (const raw of targets) {
        const t = isObject(raw) ? raw : {};
        const id = typeof t['Id'] === 'string' ? t['Id'] : '';
        const problem = targetProblem(t);
        if (problem) failed.push({ TargetId: id, ErrorCode: 'ValidationException', ErrorMessage: problem });
        else
          accepted.push({
            id,
            stateMachineArn: t['Arn'] as string,
            ...(typeof t['Input'] === 'string' ? { input: t['Input'] } : {}),
            ...(typeof t['InputPath'] === 'string' ? { inputPath: t['InputPath'] } : {}),
            ...(isObject(t['InputTransformer'] as Json) ? { inputTransformer: t['InputTransformer'] as unknown as NonNullable<RuleTarget['inputTransformer']> } : {}),
            ...(typeof t['RoleArn'] === 'string' ? { roleArn: t['RoleArn'] } : {}),
          });
      }
      if (accepted.length > 0) {
        await mutateExisting(name, (rule) => {
          const byId = new Map(rule.targets.map((t) => [t.id, t]));
          for (const t of accepted) byId.set(t.id, t);
          if (byId.size > MAX_TARGETS_PER_RULE) throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
          return { ...rule, targets: [...byId.values()] };
        });
      } else if (!(await getRule(name))) {
        throw ruleNotFound(name);
      }
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },

    async RemoveTargets(req) {
      const name = ruleName(req, 'Rule', 'rule');
      checkBus(req['EventBusName']);
      const ids = req['Ids'];
      if (!Array.isArray(ids)) throw notNull('ids');
      checkCount('ids', ids.length);
      const gone = new Set(ids.filter((i): i is string => typeof i === 'string'));
      await mutateExisting(name, (rule) => ({ ...rule, targets: rule.targets.filter((t) => !gone.has(t.id)) }));
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    async ListTargetsByRule(req) {
      const name = ruleName(req, 'Rule', 'rule');
      checkBus(req['EventBusName']);
      const found = await getRule(name);
      if (!found) throw ruleNotFound(name);
      const limit = pageLimit(req);
      const start = offsetOf(req);
      const shown = found.rule.targets.slice(start, start + limit);
      return {
        Targets: shown.map((t) => ({
          Id: t.id,
          Arn: t.stateMachineArn,
          ...(t.input !== undefined ? { Input: t.input } : {}),
          ...(t.inputPath !== undefined ? { InputPath: t.inputPath } : {}),
          ...(t.inputTransformer !== undefined ? { InputTransformer: t.inputTransformer as unknown as Json } : {}),
          ...(t.roleArn !== undefined ? { RoleArn: t.roleArn } : {}),
        })),
        ...(start + limit < found.rule.targets.length ? { NextToken: token(String(start + limit)) } : {}),
      };
    },

    async ListRuleNamesByTarget(req) {
      const arn = optionalString(req, 'TargetArn');
      if (arn === undefined) throw notNull('targetArn');
      checkBus(req['EventBusName']);
      const limit = pageLimit(req);
      const names: string[] = [];
      let after = cursor(req);
      let more = false;
      // Every rule is looked at (a scan: rules are few); the cursor is the last rule's ARN.
      for (;;) {
        const page = await store.listResources(RULE_KIND, { limit: 100, ...(after !== undefined ? { afterArn: after } : {}) });
        for (const rec of page) {
          if (!fromDoc(rec.doc).targets.some((t) => t.stateMachineArn === arn)) continue;
          if (names.length === limit) {
            more = true;
            break;
          }
          names.push(fromDoc(rec.doc).name);
        }
        if (more || page.length < 100) break;
        after = page[page.length - 1]?.arn;
      }
      const last = names[names.length - 1];
      return { RuleNames: names, ...(more && last !== undefined ? { NextToken: token(ruleArn(last)) } : {}) };
    },

    async PutEvents(req) {
      const entries = req['Entries'];
      if (!Array.isArray(entries)) throw notNull('entries');
      if (entries.length === 0) throw validation("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1");
      checkCount('entries', entries.length);
      const answer = await opts.putEvents(entries);
      return { FailedEntryCount: answer.FailedEntryCount, Entries: answer.Entries as Json[] };
    },
  };

  const stepwiseOps: Record<string, (req: JsonObject) => Promise<JsonObject>> = scheduleOps(store, clock);

  async function mutateExisting(name: string, change: (rule: ScheduleRule) => ScheduleRule): Promise<void> {
    if (!(await getRule(name))) throw ruleNotFound(name);
    await mutate(name, (rule) => {
      if (!rule) throw ruleNotFound(name);
      return change(rule);
    });
  }

  return {
    async handle(target, body) {
      try {
        const table = target.startsWith(SCHEDULE_TARGET_PREFIX) ? stepwiseOps : ops;
        const op = target.startsWith(EVENTS_TARGET_PREFIX) ? target.slice(EVENTS_TARGET_PREFIX.length) : target.startsWith(SCHEDULE_TARGET_PREFIX) ? target.slice(SCHEDULE_TARGET_PREFIX.length) : '';
        const run = Object.prototype.hasOwnProperty.call(table, op) ? table[op] : undefined;
        if (!run) throw new ServiceError('UnknownOperationException', `${target} is not an operation Stepwise implements (rules, targets and PutEvents are).`);
        return { status: 200, body: JSON.stringify(await run(parse(body))) };
      } catch (err) {
        if (err instanceof ServiceError) return { status: 400, body: JSON.stringify({ __type: err.code, message: err.message }) };
        onError(err);
        return { status: 500, body: JSON.stringify({ __type: 'InternalException', message: 'The request processing has failed because of an unknown error, exception or failure.' }) };
      }
    },
  };
}

function parse(text: string): JsonObject {
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!isObject(v as Json)) throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
  return v as JsonObject;
}

function optionalString(req: JsonObject, member: string): string | undefined {
  const v = req[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ServiceError('SerializationException', `Unexpected value for member '${member}': expected a string`);
  return v;
}

/** A rule name (EventBridge: 1–64 of `[.\-_A-Za-z0-9]`). */
function ruleName(req: JsonObject, member: string, wire: string): string {
  const name = optionalString(req, member);
  if (name === undefined) throw notNull(wire);
  if (name.length < 1 || name.length > 64 || !/^[.\-_A-Za-z0-9]+$/.test(name)) {
    throw validation(`1 validation error detected: Value '${name}' at '${wire}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
  }
  return name;
}

function checkBus(bus: Json | undefined): void {
  if (bus === undefined || bus === null || bus === DEFAULT_BUS || bus === DEFAULT_BUS_ARN) return;
  throw new ServiceError('ResourceNotFoundException', `Event bus ${String(bus)} does not exist.`);
}

function checkCount(member: string, n: number): void {
  if (n < 1) throw validation(`1 validation error detected: Value '[]' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (n > MAX_ENTRIES) throw validation(`1 validation error detected: Value '[...]' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`);
}

function pageLimit(req: JsonObject): number {
  const v = req['Limit'];
  if (v === undefined || v === null) return 100;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100) {
    throw validation(`1 validation error detected: Value '${String(v)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`);
  }
  return v;
}

function token(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

function cursor(req: JsonObject): string | undefined {
  const t = optionalString(req, 'NextToken');
  if (t === undefined) return undefined;
  const text = Buffer.from(t, 'base64url').toString('utf8');
  if (!text.startsWith(ruleArn(''))) throw validation('The NextToken is not valid.');
  return text;
}

function offsetOf(req: JsonObject): number {
  const t = optionalString(req, 'NextToken');
  if (t === undefined) return 0;
  const n = Number(Buffer.from(t, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw validation('The NextToken is not valid.');
  return n;
}

function ruleSummary(rule: ScheduleRule): JsonObject {
  return {
    Name: rule.name,
    Arn: ruleArn(rule.name),
    State: rule.state,
    ...(rule.scheduleExpression !== undefined && { ScheduleExpression: rule.scheduleExpression }),
    ...(rule.eventPattern !== undefined && { EventPattern: rule.eventPattern }),
    EventBusName: DEFAULT_BUS,
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
  };
}

/** Why a target cannot be run by Stepwise (undefined when it can). */
function targetProblem(t: JsonObject): string | undefined {
  const id = t['Id'];
  if (typeof id !== 'string' || !/^[.\-_A-Za-z0-9]{1,64}$/.test(id)) return 'Parameter Id is not valid: it must be 1 to 64 of [.-_A-Za-z0-9].';
  const arn = t['Arn'];
  if (typeof arn !== 'string' || !STATE_MACHINE_ARN.test(arn)) return `Parameter Arn is not valid: Stepwise runs state machine targets only (arn:aws:states:…:stateMachine:…), got ${JSON.stringify(arn ?? null)}.`;
  for (const member of ['Input', 'InputPath'] as const) {
    if (t[member] !== undefined && t[member] !== null && typeof t[member] !== 'string') return `Parameter ${member} is not valid.`;
  }
  if (t['InputTransformer'] !== undefined && t['InputTransformer'] !== null && !isObject(t['InputTransformer'] as Json)) return 'Parameter InputTransformer is not valid.';
  const inputProblem = targetInputProblem(t as TargetInputSpec);
  if (inputProblem) return inputProblem;
  for (const member of ['DeadLetterConfig', 'RetryPolicy', 'SqsParameters', 'EcsParameters', 'BatchParameters', 'KinesisParameters', 'HttpParameters']) {
    if (t[member] !== undefined && t[member] !== null) return `${member} is not supported by Stepwise yet.`;
  }
  return undefined;
}
