/**
 * Schedule rules kept in the store (resource kind `rule`), so every process of a cluster fires
 * the same rules. A rule's `createdAt` is the anchor of its `rate()`: set when it is created, and
 * again when its expression changes or it goes from DISABLED to ENABLED (EventBridge restarts
 * the period then).
 */
import type { Store } from '../engine/store.js';
import type { Json } from '../lib/json.js';
import { parseScheduleExpression } from './schedule-expression.js';
import { ScheduleExpressionError } from './schedule-error.js';

export const RULE_KIND = 'rule';

export type RuleState = 'ENABLED' | 'DISABLED';

export interface RuleTarget {
  readonly id: string;
  readonly stateMachineArn: string;
  /** JSON text; without it the target gets EventBridge's "Scheduled Event". */
  readonly input?: string;
  /** PutTargets' RoleArn, kept and listed back (Stepwise does not assume it). */
  readonly roleArn?: string;
}

export interface ScheduleRule {
  readonly name: string;
  readonly scheduleExpression: string;
  readonly state: RuleState;
  /** Epoch ms: when the rule was created or last enabled (the `rate()` anchor). */
  readonly createdAt: number;
  readonly targets: readonly RuleTarget[];
  readonly description?: string;
}

/** A rule as declared (configuration, API): the anchor is the store's business. `where` (file:line:col) prefixes errors. */
export type RuleDeclaration = Omit<ScheduleRule, 'createdAt'> & { readonly where?: string };

/** A declared rule the scheduler cannot run (its expression is invalid). */
export class RuleDeclarationError extends Error {}

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export function ruleArn(name: string): string {
  return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
}

/** A state machine named or given by ARN (`arn:…`, possibly a version or alias). */
export function stateMachineRef(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${nameOrArn}`;
}

/** A rule as its store record's document. */
export function toDoc(rule: ScheduleRule): Json {
  return {
    name: rule.name,
    scheduleExpression: rule.scheduleExpression,
    state: rule.state,
    createdAt: rule.createdAt,
    targets: rule.targets.map((t) => ({ id: t.id, stateMachineArn: t.stateMachineArn, ...(t.input !== undefined ? { input: t.input } : {}), ...(t.roleArn !== undefined ? { roleArn: t.roleArn } : {}) })),
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  };
}

export function fromDoc(doc: Json): ScheduleRule {
  return doc as unknown as ScheduleRule;
}

/**
 * Create or update these rules in the store (rules already stored and not declared are left
 * alone: they may come from the API). Throws, naming the rule, when an expression is invalid.
 */
export async function declareRules(store: Store, rules: readonly RuleDeclaration[], now: number): Promise<void> {
  for (const decl of rules) {
    try {
      parseScheduleExpression(decl.scheduleExpression);
    } catch (err) {
      if (err instanceof ScheduleExpressionError) {
        throw new RuleDeclarationError(`${decl.where ? `${decl.where}: ` : ''}rule '${decl.name}': invalid scheduleExpression '${decl.scheduleExpression}': ${err.reason}`);
      }
      throw err;
    }
    const arn = ruleArn(decl.name);
    // Optimistic: another process may declare the same rules at the same time.
    for (let attempt = 0; ; attempt++) {
      const rec = await store.getResource(RULE_KIND, arn);
      if (!rec) {
        if (await store.createResource(RULE_KIND, arn, decl.name, toDoc({ ...decl, createdAt: now }), now)) break;
        continue;
      }
      const old = fromDoc(rec.doc);
      const restarts = old.scheduleExpression !== decl.scheduleExpression || (old.state === 'DISABLED' && decl.state === 'ENABLED');
      const next = toDoc({ ...decl, createdAt: restarts ? now : old.createdAt });
      if (JSON.stringify(next) === JSON.stringify(rec.doc)) break;
      if (await store.updateResource(RULE_KIND, arn, next, rec.revision, now)) break;
      if (attempt > 10) throw new Error(`rule '${decl.name}': the store kept changing under us`);
    }
  }
}

/** Every stored rule, by ARN. */
export async function listRules(store: Store): Promise<ScheduleRule[]> {
  const out: ScheduleRule[] = [];
  let afterArn: string | undefined;
  for (;;) {
    const page = await store.listResources(RULE_KIND, { limit: 100, ...(afterArn !== undefined ? { afterArn } : {}) });
    out.push(...page.map((r) => fromDoc(r.doc)));
    if (page.length < 100) return out;
    afterArn = page[page.length - 1]?.arn;
  }
}
