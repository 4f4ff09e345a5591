/**
 * Deploys the InfraMonitoring state machine onto a running Stepwise server through its API,
 * idempotently: a second start reuses what is there, and a changed definition, role or
 * logging configuration is updated in place (UpdateStateMachine), as a redeploy to AWS would.
 * Functions, table, bucket, topic, role and rule come with the server's arguments (pipeline-settings.ts).
 */
import { ApiCallError, type StepwiseApiClient } from './api-client.js';
import definition from '../pipeline/infra-monitoring.asl.json' with { type: 'json' };
import { arns, LOGGING_CONFIGURATION, PIPELINE } from '../pipeline/resources.js';

export const PIPELINE_DEFINITION: unknown = definition;

export interface DeployResult {
  stateMachineArn: string;
  /** What was done to each resource. */
  actions: string[];
}

/**
 * The definition to deploy: the file, with `IsProcessed`'s limit on re-waits set to
 * `maxRechecks` (the file says 3). Everything else is the file as it is.
 */
export function pipelineDefinition(maxRechecks = 3): Record<string, unknown> {
  const d = structuredClone(definition) as { States: Record<string, { Choices?: { Variable?: string; NumericLessThan?: number }[] }> };
  const rule = d.States['IsProcessed']?.Choices?.find((c) => c.Variable === '$rechecks');
  if (!rule) throw new Error('the pipeline definition has no $rechecks rule in IsProcessed');
  rule.NumericLessThan = maxRechecks;
  return d;
}

export async function deployPipeline(api: StepwiseApiClient, opts: { maxRechecks?: number } = {}): Promise<DeployResult> {
  const actions: string[] = [];
  const definition = pipelineDefinition(opts.maxRechecks);
  const text = JSON.stringify(definition, null, 2);
  try {
    const current = await api.call<{ definition: string; roleArn: string; loggingConfiguration?: unknown }>('DescribeStateMachine', { stateMachineArn: arns.stateMachine });
    const same = sameJson(JSON.parse(current.definition), definition) && current.roleArn === arns.role && sameJson(current.loggingConfiguration, LOGGING_CONFIGURATION);
    if (same) actions.push(`state machine ${PIPELINE.stateMachine}: reused`);
    else {
      await api.call('UpdateStateMachine', { stateMachineArn: arns.stateMachine, definition: text, roleArn: arns.role, loggingConfiguration: LOGGING_CONFIGURATION });
      actions.push(`state machine ${PIPELINE.stateMachine}: updated`);
    }
  } catch (err) {
    if (!(err instanceof ApiCallError) || err.code !== 'StateMachineDoesNotExist') throw err;
    await api.call('CreateStateMachine', { name: PIPELINE.stateMachine, type: 'STANDARD', definition: text, roleArn: arns.role, loggingConfiguration: LOGGING_CONFIGURATION });
    actions.push(`state machine ${PIPELINE.stateMachine}: created`);
  }
  return { stateMachineArn: arns.stateMachine, actions };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, sorted(x)]));
  return v;
}
