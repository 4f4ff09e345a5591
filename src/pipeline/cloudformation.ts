/**
 * The InfraMonitoring system as a CloudFormation template, for `stepwise export cloudformation`:
 * the state machine with the very definition Stepwise runs, its role and log group, the two
 * functions with their own roles, the bucket that triggers the processor, the table, the topic
 * and the hourly rule.
 *
 * The local definition names ARNs in the local partition, region and account (aws, us-east-1,
 * 123456789012). The template keeps the definition as the same object with those three parts
 * replaced by `${Partition}`, `${Region}` and `${AccountId}`, which DefinitionSubstitutions fills
 * in from the stack, so the template deploys to any account and region; substituting the local
 * values gives back exactly the local definition. Function code comes from an S3 bucket and keys
 * given as parameters: the template describes the packaging (Metadata), it uploads nothing.
 */
import type { Json, JsonObject } from '../lib/json.js';
import { isObject } from '../lib/json.js';

export type SubscriptionProtocol = 'email' | 'email-json' | 'http' | 'https';

export interface FunctionDeployConfig {
  /** Lambda's function name. */
  name?: string;
  /** The folder of the handler's compiled JavaScript, described in the packaging notes. */
  code?: string;
  /** `<file without extension>.<export>` (default index.handler). */
  handler?: string;
  /** Seconds (default 30). */
  timeout?: number;
  /** Megabytes (default 128). */
  memorySize?: number;
}

export interface PipelineDeployConfig {
  stateMachineName?: string;
  roleName?: string;
  ruleName?: string;
  /** EventBridge schedule expression (default rate(1 hour)). */
  schedule?: string;
  /** The raw-metrics bucket's local name; on AWS it gets `-<account>-<region>`, as bucket names are global. */
  bucketName?: string;
  /** Used when the definition names no table or topic. */
  tableName?: string;
  topicName?: string;
  collector?: FunctionDeployConfig;
  processor?: FunctionDeployConfig;
  /** HTTP endpoints the collector checks: URLs or `{ name, url }` (its ENDPOINTS). */
  endpoints?: readonly (string | { name: string; url: string })[];
  /** The processor's thresholds, in percent (its CPU_THRESHOLD, MEMORY_THRESHOLD, DISK_THRESHOLD). */
  thresholds?: { cpu?: number; memory?: number; disk?: number };
  /** Subscriptions of the topic on AWS (the local `file` and `lambda` ones have no AWS twin here). */
  subscriptions?: readonly { protocol: SubscriptionProtocol; endpoint: string }[];
  /** Days the state machine's log group keeps its records (CloudWatch Logs' allowed values). */
  logRetentionDays?: number;
  /** The partition, region and account the local definition's ARNs use. */
  local?: { partition?: string; region?: string; account?: string };
}

export interface CloudFormationInput {
  /** The ASL definition Stepwise runs (src/pipeline/infra-monitoring.asl.json). */
  definition: JsonObject;
  config?: PipelineDeployConfig;
}

export interface CfnResource {
  Type: string;
  DependsOn?: string | string[];
  Properties: JsonObject;
}

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Metadata: JsonObject;
  Parameters: Record<string, JsonObject>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, JsonObject>;
}

export const PIPELINE_DEFAULTS = {
  stateMachineName: 'InfraMonitoring-Pipeline',
  roleName: 'StepFunctionsExecutionRole',
  ruleName: 'StepFunctions-Pipeline-Trigger',
  schedule: 'rate(1 hour)',
  bucketName: 'raw-metrics',
  tableName: 'ProcessedMetrics',
  topicName: 'InfraMonitoring-Alerts',
  collector: { name: 'data-collector', code: 'dist/pipeline/functions/data-collector', handler: 'index.handler', timeout: 30, memorySize: 128 },
  processor: { name: 'metrics-processor', code: 'dist/pipeline/functions/metrics-processor', handler: 'index.handler', timeout: 30, memorySize: 128 },
  runtime: 'nodejs20.x',
  logRetentionDays: 30,
  local: { partition: 'aws', region: 'us-east-1', account: '123456789012' },
} as const;

/** The actions CloudWatch Logs delivery needs from a state machine's role; they take no resource ARN (AWS's Step Functions guide). */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:CreateLogStream',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutLogEvents',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;

/** CloudWatch Logs' allowed RetentionInDays. */
const RETENTION_DAYS = new Set([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);

/** Logical ids of the template's resources. */
export const LOGICAL_IDS = {
  stateMachine: 'InfraMonitoringPipeline',
  executionRole: 'StepFunctionsExecutionRole',
  logGroup: 'PipelineLogGroup',
  collector: 'DataCollectorFunction',
  collectorRole: 'DataCollectorRole',
  processor: 'MetricsProcessorFunction',
  processorRole: 'MetricsProcessorRole',
  processorPermission: 'MetricsProcessorS3Permission',
  bucket: 'RawMetricsBucket',
  table: 'ProcessedMetricsTable',
  topic: 'AlertsTopic',
  rule: 'PipelineTrigger',
  ruleRole: 'PipelineTriggerRole',
} as const;

const ref = (id: string): JsonObject => ({ Ref: id });
const getAtt = (id: string, attr: string): JsonObject => ({ 'Fn::GetAtt': [id, attr] });
const sub = (text: string): JsonObject => ({ 'Fn::Sub': text });
const policyDoc = (statements: JsonObject[]): JsonObject => ({ Version: '2012-10-17', Statement: statements });
const allow = (actions: string[], resource: Json): JsonObject => ({ Effect: 'Allow', Action: actions, Resource: resource });
const assumedBy = (service: string): JsonObject =>
  policyDoc([{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } } }]);

/** The definition's references to other services: what its role must allow. */
interface References {
  /** Function names the definition invokes. */
  functions: Set<string>;
  topics: Set<string>;
  /** Table name → DynamoDB actions. */
  tables: Map<string, Set<string>>;
}

const DYNAMODB_ACTIONS: Record<string, string> = {
  getItem: 'dynamodb:GetItem',
  putItem: 'dynamodb:PutItem',
  updateItem: 'dynamodb:UpdateItem',
  deleteItem: 'dynamodb:DeleteItem',
};

/** Every Task in the definition, nested branches and iterations included. */
function tasks(states: Json | undefined, out: JsonObject[] = []): JsonObject[] {
  if (!isObject(states)) return out;
  for (const s of Object.values(states)) {
    if (!isObject(s)) continue;
    if (s['Type'] === 'Task') out.push(s);
    for (const b of Array.isArray(s['Branches']) ? s['Branches'] : []) if (isObject(b)) tasks(b['States'], out);
    for (const key of ['ItemProcessor', 'Iterator']) {
      const p = s[key];
      if (isObject(p)) tasks(p['States'], out);
    }
  }
  return out;
}

function lastSegment(arnOrName: string, marker: string): string {
  const i = arnOrName.indexOf(marker);
  const rest = i >= 0 ? arnOrName.slice(i + marker.length) : arnOrName;
  return rest.split(':')[0] as string;
}

function references(definition: JsonObject): References {
  const refs: References = { functions: new Set(), topics: new Set(), tables: new Map() };
  for (const t of tasks(definition['States'])) {
    const resource = String(t['Resource']);
    const args = (isObject(t['Parameters']) ? t['Parameters'] : isObject(t['Arguments']) ? t['Arguments'] : {}) as JsonObject;
    const need = (field: string): string => {
      const v = args[field];
      if (typeof v !== 'string') throw new Error(`the template needs ${field} written literally in the definition's ${resource} task (not computed), to grant exactly what the task calls`);
      return v;
    };
    const integration = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z]+)(\.[a-zA-Z]+)?$/.exec(resource);
    if (integration?.[1] === 'lambda' && integration[2] === 'invoke') refs.functions.add(lastSegment(need('FunctionName'), 'function:'));
    else if (/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/.test(resource)) refs.functions.add(lastSegment(resource, 'function:'));
    else if (integration?.[1] === 'sns' && integration[2] === 'publish') refs.topics.add(need('TopicArn').split(':').pop() as string);
    else if (integration?.[1] === 'dynamodb' && integration[2] && DYNAMODB_ACTIONS[integration[2]]) {
      const table = need('TableName');
      const actions = refs.tables.get(table) ?? new Set<string>();
      actions.add(DYNAMODB_ACTIONS[integration[2]] as string);
      refs.tables.set(table, actions);
    } else throw new Error(`the template does not know which permission the task resource ${resource} needs`);
  }
  return refs;
}

/**
 * The definition with its local ARNs made account-independent: `arn:aws:lambda:us-east-1:123456789012:`
 * becomes `arn:${Partition}:lambda:${Region}:${AccountId}:`. Returns the substitution keys used.
 */
export function portableDefinition(definition: JsonObject, local: { partition: string; region: string; account: string }): { definition: JsonObject; used: Set<'Partition' | 'Region' | 'AccountId'> } {
  const used = new Set<'Partition' | 'Region' | 'AccountId'>();
  const arn = /(?<![\w-])arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):([0-9]{12}|aws|):/g;
  const rewrite = (v: Json): Json => {
    if (typeof v === 'string') {
      if (v.includes('${')) throw new Error(`the definition contains '\${' (in ${JSON.stringify(v)}), which DefinitionSubstitutions would take for a placeholder`);
      return v.replace(arn, (_m, partition: string, service: string, region: string, account: string) => {
        const part = partition === local.partition ? (used.add('Partition'), '${Partition}') : partition;
        const reg = region !== '' && region === local.region ? (used.add('Region'), '${Region}') : region;
        const acct = account !== '' && account === local.account ? (used.add('AccountId'), '${AccountId}') : account;
        return `arn:${part}:${service}:${reg}:${acct}:`;
      });
    }
    if (Array.isArray(v)) return v.map(rewrite);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x)]));
    return v;
  };
  return { definition: rewrite(definition) as JsonObject, used };
}

/** The processor reads its thresholds from CPU_THRESHOLD, MEMORY_THRESHOLD and DISK_THRESHOLD (percent); unset ones keep its defaults. */
function thresholdEnv(t: PipelineDeployConfig['thresholds']): Record<string, string> {
  const env: Record<string, string> = {};
  if (t?.cpu !== undefined) env['CPU_THRESHOLD'] = String(t.cpu);
  if (t?.memory !== undefined) env['MEMORY_THRESHOLD'] = String(t.memory);
  if (t?.disk !== undefined) env['DISK_THRESHOLD'] = String(t.disk);
  return env;
}

const PSEUDO: Record<'Partition' | 'Region' | 'AccountId', string> = { Partition: 'AWS::Partition', Region: 'AWS::Region', AccountId: 'AWS::AccountId' };

export function cloudFormationTemplate(input: CloudFormationInput): CloudFormationTemplate {
  const c = input.config ?? {};
  const D = PIPELINE_DEFAULTS;
  const local = { ...D.local, ...c.local };
  const ids = LOGICAL_IDS;
  const refs = references(input.definition);

  const collector = { ...D.collector, ...c.collector };
  const processor = { ...D.processor, ...c.processor };
  if (refs.functions.size > 1 || (refs.functions.size === 1 && !refs.functions.has(collector.name))) {
    throw new Error(`the definition invokes ${[...refs.functions].join(', ')}, but the template deploys the collector as ${collector.name}`);
  }
  if (refs.topics.size > 1) throw new Error(`the definition publishes to several topics (${[...refs.topics].join(', ')}); the template has one`);
  if (refs.tables.size > 1) throw new Error(`the definition uses several tables (${[...refs.tables.keys()].join(', ')}); the template has one`);
  const topicName = [...refs.topics][0] ?? c.topicName ?? D.topicName;
  const tableName = [...refs.tables.keys()][0] ?? c.tableName ?? D.tableName;
  const tableActions = [...(refs.tables.get(tableName) ?? [])];
  const stateMachineName = c.stateMachineName ?? D.stateMachineName;
  const retention = c.logRetentionDays ?? D.logRetentionDays;
  if (!RETENTION_DAYS.has(retention)) throw new Error(`logRetentionDays ${retention} is not one CloudWatch Logs accepts (${[...RETENTION_DAYS].join(', ')})`);
  // Bucket names are global on AWS: the account and region make the local name unique.
  const bucketName = `${c.bucketName ?? D.bucketName}-\${AWS::AccountId}-\${AWS::Region}`;
  const bucketArn = `arn:\${AWS::Partition}:s3:::${bucketName}`;

  const portable = portableDefinition(input.definition, local);
  const substitutions: JsonObject = {};
  for (const key of ['Partition', 'Region', 'AccountId'] as const) if (portable.used.has(key)) substitutions[key] = ref(PSEUDO[key]);

  const smStatements: JsonObject[] = [];
  if (refs.functions.size) smStatements.push(allow(['lambda:InvokeFunction'], [getAtt(ids.collector, 'Arn'), sub(`\${${ids.collector}.Arn}:*`)]));
  if (tableActions.length) smStatements.push(allow(tableActions, getAtt(ids.table, 'Arn')));
  if (refs.topics.size) smStatements.push(allow(['sns:Publish'], ref(ids.topic)));
  smStatements.push(allow([...LOG_DELIVERY_ACTIONS], '*'));

  const lambdaBasic = sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
  const fn = (f: typeof collector, roleId: string, codeKeyParam: string, env: Record<string, Json>): CfnResource => ({
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: f.name,
      Runtime: D.runtime,
      Handler: f.handler,
      Role: getAtt(roleId, 'Arn'),
      Timeout: f.timeout,
      MemorySize: f.memorySize,
      Code: { S3Bucket: ref('CodeBucket'), S3Key: ref(codeKeyParam) },
      Environment: { Variables: env },
    },
  });

  const resources: Record<string, CfnResource> = {
    [ids.logGroup]: {
      Type: 'AWS::Logs::LogGroup',
      // AWS advises the /aws/vendedlogs/ prefix for vended logs, so that log groups do not exhaust CloudWatch Logs' resource-policy size limit.
      Properties: { LogGroupName: `/aws/vendedlogs/states/${stateMachineName}-Logs`, RetentionInDays: retention },
    },
    [ids.executionRole]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: c.roleName ?? D.roleName,
        AssumeRolePolicyDocument: assumedBy('states.amazonaws.com'),
        Policies: [{ PolicyName: `${stateMachineName}-permissions`, PolicyDocument: policyDoc(smStatements) }],
      },
    },
    [ids.stateMachine]: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: stateMachineName,
        StateMachineType: 'STANDARD',
        RoleArn: getAtt(ids.executionRole, 'Arn'),
        Definition: portable.definition,
        ...(Object.keys(substitutions).length ? { DefinitionSubstitutions: substitutions } : {}),
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: true,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: getAtt(ids.logGroup, 'Arn') } }],
        },
      },
    },
    [ids.collectorRole]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumedBy('lambda.amazonaws.com'),
        ManagedPolicyArns: [lambdaBasic],
        Policies: [{ PolicyName: 'write-raw-metrics', PolicyDocument: policyDoc([allow(['s3:PutObject'], sub(`${bucketArn}/*`))]) }],
      },
    },
    [ids.collector]: fn(collector, ids.collectorRole, 'CollectorCodeKey', { RAW_BUCKET: sub(bucketName), ENDPOINTS: JSON.stringify(c.endpoints ?? []) }),
    [ids.processorRole]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumedBy('lambda.amazonaws.com'),
        ManagedPolicyArns: [lambdaBasic],
        Policies: [
          {
            PolicyName: 'process-raw-metrics',
            PolicyDocument: policyDoc([allow(['s3:GetObject'], sub(`${bucketArn}/*`)), allow(['dynamodb:PutItem'], getAtt(ids.table, 'Arn'))]),
          },
        ],
      },
    },
    [ids.processor]: fn(processor, ids.processorRole, 'ProcessorCodeKey', { TABLE_NAME: ref(ids.table), ...thresholdEnv(c.thresholds) }),
    [ids.processorPermission]: {
      Type: 'AWS::Lambda::Permission',
      // SourceArn is built from the name, not Ref'd: the bucket waits for this permission (S3 checks it when the notification is set).
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(ids.processor, 'Arn'), Principal: 's3.amazonaws.com', SourceAccount: ref('AWS::AccountId'), SourceArn: sub(bucketArn) },
    },
    [ids.bucket]: {
      Type: 'AWS::S3::Bucket',
      DependsOn: ids.processorPermission,
      Properties: {
        BucketName: sub(bucketName),
        NotificationConfiguration: { LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: getAtt(ids.processor, 'Arn') }] },
      },
    },
    [ids.table]: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }],
      },
    },
    [ids.topic]: { Type: 'AWS::SNS::Topic', Properties: { TopicName: topicName } },
    [ids.ruleRole]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumedBy('events.amazonaws.com'),
        Policies: [{ PolicyName: 'start-pipeline', PolicyDocument: policyDoc([allow(['states:StartExecution'], ref(ids.stateMachine))]) }],
      },
    },
    [ids.rule]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: c.ruleName ?? D.ruleName,
        Description: `Starts ${stateMachineName} on schedule`,
        ScheduleExpression: c.schedule ?? D.schedule,
        State: 'ENABLED',
        Targets: [{ Id: stateMachineName.replace(/[^\w.-]/g, '-').slice(0, 64), Arn: ref(ids.stateMachine), RoleArn: getAtt(ids.ruleRole, 'Arn') }],
      },
    },
  };
  (c.subscriptions ?? []).forEach((s, i) => {
    resources[`AlertsSubscription${i + 1}`] = { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: ref(ids.topic), Protocol: s.protocol, Endpoint: s.endpoint } };
  });

  const packaging = (f: typeof collector, param: string, logicalId: string): JsonObject => ({
    function: f.name,
    logicalId,
    source: f.code,
    handler: f.handler,
    runtime: D.runtime,
    s3KeyParameter: param,
    steps: `npm run build; cd ${f.code} && echo '{"type":"module"}' > package.json && zip -r ${f.name}.zip . && aws s3 cp ${f.name}.zip s3://<CodeBucket>/<${param}>`,
  });

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${stateMachineName}: collect host metrics to S3 every hour, process them into DynamoDB, notify by SNS (exported by Stepwise).`,
    Metadata: {
      'Stepwise::Packaging': {
        note: 'Each function is the compiled folder of the handler Stepwise runs locally, zipped as an ES module package (the nodejs20.x runtime provides the AWS SDK it uses); upload the zips, then pass the bucket and keys as parameters.',
        functions: [packaging(collector, 'CollectorCodeKey', ids.collector), packaging(processor, 'ProcessorCodeKey', ids.processor)],
      },
    },
    Parameters: {
      CodeBucket: { Type: 'String', Description: 'S3 bucket that holds the function packages (zip files).' },
      CollectorCodeKey: { Type: 'String', Default: `stepwise/${collector.name}.zip`, Description: `S3 key of the ${collector.name} package.` },
      ProcessorCodeKey: { Type: 'String', Default: `stepwise/${processor.name}.zip`, Description: `S3 key of the ${processor.name} package.` },
    },
    Resources: resources,
    Outputs: {
      StateMachineArn: { Value: ref(ids.stateMachine) },
      TopicArn: { Value: ref(ids.topic) },
      RawMetricsBucket: { Value: ref(ids.bucket) },
      ProcessedMetricsTable: { Value: ref(ids.table) },
      LogGroup: { Value: ref(ids.logGroup) },
    },
  };
}
