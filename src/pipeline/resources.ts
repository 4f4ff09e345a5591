/**
 * The InfraMonitoring system's resources, named once: the state machine, its role and policies,
 * the functions, bucket, table, topic, log group and schedule rule. The local deployment
 * (deploy.ts) and the CloudFormation export read the same names and policy documents.
 */
import type { Json } from '../lib/json.js';
import { LOG_DELIVERY_ACTIONS } from './cloudformation.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export const PIPELINE = {
  stateMachine: 'InfraMonitoring-Pipeline',
  role: 'StepFunctionsExecutionRole',
  collector: 'data-collector',
  processor: 'metrics-processor',
  notifier: 'webhook-notifier',
  collectorRole: 'InfraMonitoring-DataCollectorRole',
  processorRole: 'InfraMonitoring-MetricsProcessorRole',
  bucket: 'raw-metrics',
  table: 'ProcessedMetrics',
  topic: 'InfraMonitoring-Alerts',
  rule: 'StepFunctions-Pipeline-Trigger',
  schedule: 'rate(1 hour)',
  logGroup: '/aws/vendedlogs/states/InfraMonitoring-Pipeline-Logs',
} as const;

export const arns = {
  stateMachine: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${PIPELINE.stateMachine}`,
  role: `arn:aws:iam::${ACCOUNT}:role/${PIPELINE.role}`,
  fn: (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
  table: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${PIPELINE.table}`,
  topic: `arn:aws:sns:${REGION}:${ACCOUNT}:${PIPELINE.topic}`,
  bucket: `arn:aws:s3:::${PIPELINE.bucket}`,
  logGroup: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${PIPELINE.logGroup}:*`,
};

/**
 * The seed's role: Lambda invoke, DynamoDB read, SNS publish, CloudWatch Logs — nothing more.
 * The Logs actions are the ones AWS requires of a role whose state machine logs to CloudWatch
 * (log deliveries are account-wide, hence `*`).
 */
export function executionRolePolicy(): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'InvokeCollector', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [arns.fn(PIPELINE.collector), `${arns.fn(PIPELINE.collector)}:*`] },
      { Sid: 'ReadProcessedMetrics', Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: arns.table },
      { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: arns.topic },
      {
        Sid: 'DeliverLogs',
        Effect: 'Allow',
        Action: [...LOG_DELIVERY_ACTIONS],
        Resource: '*',
      },
    ],
  };
}

/** The collector's own role: write raw objects, nothing else. */
export function collectorRolePolicy(): Json {
  return { Version: '2012-10-17', Statement: [{ Sid: 'WriteRawMetrics', Effect: 'Allow', Action: 's3:PutObject', Resource: `${arns.bucket}/raw/*` }] };
}

/** The processor's own role: read raw objects, write processed items. */
export function processorRolePolicy(): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadRawMetrics', Effect: 'Allow', Action: 's3:GetObject', Resource: `${arns.bucket}/*` },
      { Sid: 'WriteProcessedMetrics', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: arns.table },
    ],
  };
}

/** The machine's logging: level ALL with execution data, into its log group. */
export const LOGGING_CONFIGURATION = {
  level: 'ALL',
  includeExecutionData: true,
  destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: arns.logGroup } }],
} as const;
