/**
 * Deploys the InfraMonitoring state machine and its table onto a running Stepwise server through
 * its APIs, idempotently: a second start reuses what is there, and a changed definition, role or
 * logging configuration is updated in place (UpdateStateMachine), as a redeploy to AWS would.
 * Functions, bucket, topic, role and rule come with the server's arguments (settings.ts).
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { ApiCallError, type StepwiseApiClient } from './api-client.js';
import definition from '../pipeline/infra-monitoring.asl.json' with { type: 'json' };
import { arns, LOGGING_CONFIGURATION, PIPELINE, REGION } from '../pipeline/resources.js';

export const PIPELINE_DEFINITION: unknown = definition;

export interface DeployResult {
  stateMachineArn: string;
  /** What was done to each resource. */
  actions: string[];
}

export async function deployPipeline(api: StepwiseApiClient, endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<DeployResult> {
  const actions: string[] = [];
  const ddb = new DynamoDBClient({ endpoint, region: REGION, credentials, maxAttempts: 1 });
  try {
    try {
      await ddb.send(new DescribeTableCommand({ TableName: PIPELINE.table }));
      actions.push(`table ${PIPELINE.table}: reused`);
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      await ddb.send(new CreateTableCommand({ TableName: PIPELINE.table, AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
      actions.push(`table ${PIPELINE.table}: created`);
    }
  } finally {
    ddb.destroy();
  }
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
