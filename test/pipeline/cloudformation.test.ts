/**
 * `stepwise export cloudformation`: the InfraMonitoring system as a CloudFormation template whose
 * state machine runs the very definition Stepwise runs, with roles that grant exactly what each
 * part needs, and every reference resolvable and free of cycles.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/lib/json.js';
import { cloudFormationTemplate, LOG_DELIVERY_ACTIONS, LOGICAL_IDS as ID, portableDefinition, type CloudFormationTemplate } from '../../src/pipeline/cloudformation.js';

const DEFINITION = JSON.parse(readFileSync(new URL('../../src/pipeline/infra-monitoring.asl.json', import.meta.url), 'utf8')) as JsonObject;
const LOCAL = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };

const template = cloudFormationTemplate({ definition: DEFINITION });
const props = (t: CloudFormationTemplate, id: string): JsonObject => {
  const r = t.Resources[id];
  if (!r) throw new Error(`no resource ${id}`);
  return r.Properties;
};
const obj = (v: Json | undefined): JsonObject => v as JsonObject;
const list = (v: Json | undefined): Json[] => v as Json[];

/** The definition as the stack would deploy it: DefinitionSubstitutions filled in with these pseudo parameters. */
function deployedDefinition(t: CloudFormationTemplate, pseudo: Record<string, string>): Json {
  const sm = props(t, ID.stateMachine);
  const subs = Object.fromEntries(Object.entries(obj(sm['DefinitionSubstitutions'])).map(([k, v]) => [k, pseudo[String(obj(v)['Ref'])] as string]));
  const fill = (v: Json): Json => {
    if (typeof v === 'string') return v.replace(/\$\{(\w+)\}/g, (m, k: string) => subs[k] ?? m);
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(sm['Definition'] as Json);
}

/** Every logical id a value refers to: Ref, Fn::GetAtt and the `${...}` of Fn::Sub. */
function referencesIn(v: Json | undefined, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => referencesIn(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref') out.add(String(x));
      else if (k === 'Fn::GetAtt') out.add(String(list(x)[0]));
      else if (k === 'Fn::Sub') for (const m of String(x).matchAll(/\$\{([^!}][^}]*)\}/g)) out.add((m[1] as string).split('.')[0] as string);
      else referencesIn(x, out);
    }
  }
  return out;
}

/** Actions each statement of a role's inline policies allows, with its resources. */
function statements(t: CloudFormationTemplate, roleId: string): { actions: string[]; resource: Json }[] {
  return list(props(t, roleId)['Policies']).flatMap((p) =>
    list(obj(obj(p)['PolicyDocument'])['Statement']).map((s) => {
      const st = obj(s);
      expect(st['Effect']).toBe('Allow');
      return { actions: list(st['Action']).map(String), resource: st['Resource'] as Json };
    }),
  );
}
const actionsOf = (t: CloudFormationTemplate, roleId: string) => statements(t, roleId).flatMap((s) => s.actions).sort();
const trustedService = (t: CloudFormationTemplate, roleId: string) => obj(obj(list(obj(props(t, roleId)['AssumeRolePolicyDocument'])['Statement'])[0])['Principal'])['Service'];

describe('the template', () => {
  it('is a 2010-09-09 template with every part of the system, each of the right type', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(Object.fromEntries(Object.entries(template.Resources).map(([id, r]) => [id, r.Type]))).toEqual({
      [ID.logGroup]: 'AWS::Logs::LogGroup',
      [ID.executionRole]: 'AWS::IAM::Role',
      [ID.stateMachine]: 'AWS::StepFunctions::StateMachine',
      [ID.collectorRole]: 'AWS::IAM::Role',
      [ID.collector]: 'AWS::Lambda::Function',
      [ID.processorRole]: 'AWS::IAM::Role',
      [ID.processor]: 'AWS::Lambda::Function',
      [ID.processorPermission]: 'AWS::Lambda::Permission',
      [ID.bucket]: 'AWS::S3::Bucket',
      [ID.table]: 'AWS::DynamoDB::Table',
      [ID.topic]: 'AWS::SNS::Topic',
      [ID.ruleRole]: 'AWS::IAM::Role',
      [ID.rule]: 'AWS::Events::Rule',
    });
  });

  it('is plain JSON, and every Ref, GetAtt and Sub names a resource, a parameter or a pseudo parameter', () => {
    expect(JSON.parse(JSON.stringify(template))).toEqual(template);
    const known = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters), ...Object.keys(LOCAL)]);
    const used = referencesIn(template as unknown as Json);
    expect([...used].filter((r) => !known.has(r))).toEqual([]);
  });

  it('has no dependency cycle (the bucket waits for the permission, which names the bucket without a Ref)', () => {
    const deps = new Map<string, Set<string>>();
    for (const [id, r] of Object.entries(template.Resources)) {
      const d = referencesIn(r.Properties);
      for (const x of [r.DependsOn ?? []].flat()) d.add(x);
      deps.set(id, new Set([...d].filter((x) => x in template.Resources)));
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') throw new Error(`cycle: ${[...path, id].join(' -> ')}`);
      state.set(id, 'visiting');
      for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
      state.set(id, 'done');
    };
    for (const id of deps.keys()) visit(id, []);
    expect(template.Resources[ID.bucket]?.DependsOn).toBe(ID.processorPermission);
  });
});

describe('the state machine', () => {
  const sm = props(template, ID.stateMachine);

  it('is the Standard InfraMonitoring-Pipeline, run by StepFunctionsExecutionRole, logging ALL with execution data to its log group', () => {
    expect(sm['StateMachineName']).toBe('InfraMonitoring-Pipeline');
    expect(sm['StateMachineType']).toBe('STANDARD');
    expect(sm['RoleArn']).toEqual({ 'Fn::GetAtt': [ID.executionRole, 'Arn'] });
    expect(sm['LoggingConfiguration']).toEqual({ Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [ID.logGroup, 'Arn'] } } }] });
    expect(props(template, ID.logGroup)).toEqual({ LogGroupName: '/aws/vendedlogs/states/InfraMonitoring-Pipeline-Logs', RetentionInDays: 30 });
  });

  it('deploys exactly the local definition: filling in the local partition, region and account gives it back', () => {
    expect(deployedDefinition(template, LOCAL)).toStrictEqual(DEFINITION);
  });

  it('stays correct in any account and region: the ARNs follow the stack, the service integrations stay as they are', () => {
    const elsewhere = obj(deployedDefinition(template, { 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333' }));
    const states = obj(elsewhere['States']);
    expect(obj(obj(states['CollectMetrics'])['Parameters'])['FunctionName']).toBe('arn:aws:lambda:eu-west-1:111122223333:function:data-collector');
    expect(obj(states['CollectMetrics'])['Resource']).toBe('arn:aws:states:::lambda:invoke');
    expect(obj(obj(states['NotifySuccess'])['Parameters'])['TopicArn']).toBe(`arn:aws:sns:eu-west-1:111122223333:${String(props(template, ID.topic)['TopicName'])}`);
    expect(JSON.stringify(elsewhere)).not.toContain('123456789012');
    expect(sm['DefinitionSubstitutions']).toEqual({ Partition: { Ref: 'AWS::Partition' }, Region: { Ref: 'AWS::Region' }, AccountId: { Ref: 'AWS::AccountId' } });
  });

  it('refuses a definition with a literal ${, which DefinitionSubstitutions would mistake for a placeholder', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'costs ${5}', End: true } } };
    expect(() => portableDefinition(def, { partition: 'aws', region: 'us-east-1', account: '123456789012' })).toThrow(/DefinitionSubstitutions/);
  });

  it('leaves ARNs of other accounts and regions alone', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Result: ['arn:aws:sns:eu-west-1:999999999999:other', 'arn:aws:iam::aws:policy/x'], End: true } } };
    const { definition } = portableDefinition(def, { partition: 'aws', region: 'us-east-1', account: '123456789012' });
    expect(obj(obj(definition['States'])['A'])['Result']).toEqual(['arn:${Partition}:sns:eu-west-1:999999999999:other', 'arn:${Partition}:iam::aws:policy/x']);
  });
});

describe('roles grant exactly what each part calls', () => {
  it('StepFunctionsExecutionRole: invoke the collector, read the table, publish to the topic, deliver logs', () => {
    const role = props(template, ID.executionRole);
    expect(role['RoleName']).toBe('StepFunctionsExecutionRole');
    expect(trustedService(template, ID.executionRole)).toBe('states.amazonaws.com');
    expect(statements(template, ID.executionRole)).toEqual([
      { actions: ['lambda:InvokeFunction'], resource: [{ 'Fn::GetAtt': [ID.collector, 'Arn'] }, { 'Fn::Sub': `\${${ID.collector}.Arn}:*` }] },
      { actions: ['dynamodb:GetItem'], resource: { 'Fn::GetAtt': [ID.table, 'Arn'] } },
      { actions: ['sns:Publish'], resource: { Ref: ID.topic } },
      { actions: [...LOG_DELIVERY_ACTIONS], resource: '*' },
    ]);
    // The CloudWatch Logs delivery actions AWS's Step Functions guide lists for logging.
    expect([...LOG_DELIVERY_ACTIONS].sort()).toEqual([
      'logs:CreateLogDelivery',
      'logs:CreateLogStream',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutLogEvents',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
    ]);
  });

  it('the collector may only put objects in the raw bucket; the processor may only get them and put items in the table', () => {
    expect(trustedService(template, ID.collectorRole)).toBe('lambda.amazonaws.com');
    expect(statements(template, ID.collectorRole)).toEqual([{ actions: ['s3:PutObject'], resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::raw-metrics-${AWS::AccountId}-${AWS::Region}/*' } }]);
    expect(actionsOf(template, ID.processorRole)).toEqual(['dynamodb:PutItem', 's3:GetObject']);
    expect(statements(template, ID.processorRole)[1]?.resource).toEqual({ 'Fn::GetAtt': [ID.table, 'Arn'] });
    // Their own logs, through AWS's basic execution policy.
    for (const id of [ID.collectorRole, ID.processorRole]) {
      expect(props(template, id)['ManagedPolicyArns']).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }]);
    }
  });

  it('the schedule’s role may only start this state machine', () => {
    expect(trustedService(template, ID.ruleRole)).toBe('events.amazonaws.com');
    expect(statements(template, ID.ruleRole)).toEqual([{ actions: ['states:StartExecution'], resource: { Ref: ID.stateMachine } }]);
  });

  it('a definition that also wrote to the table would get that action too, and nothing more', () => {
    const def = structuredClone(DEFINITION);
    obj(def['States'])['Save'] = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'ProcessedMetrics', Item: {} }, End: true };
    const t = cloudFormationTemplate({ definition: def });
    expect(statements(t, ID.executionRole)[1]?.actions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });
});

describe('functions, bucket, table, topic and schedule', () => {
  it('two Node.js 20 functions, index.handler, code from the CodeBucket parameter and a key each', () => {
    const collector = props(template, ID.collector);
    expect(collector).toMatchObject({ FunctionName: 'data-collector', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': [ID.collectorRole, 'Arn'] } });
    expect(collector['Code']).toEqual({ S3Bucket: { Ref: 'CodeBucket' }, S3Key: { Ref: 'CollectorCodeKey' } });
    const processor = props(template, ID.processor);
    expect(processor).toMatchObject({ FunctionName: 'metrics-processor', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': [ID.processorRole, 'Arn'] } });
    expect(processor['Code']).toEqual({ S3Bucket: { Ref: 'CodeBucket' }, S3Key: { Ref: 'ProcessorCodeKey' } });
    expect(template.Parameters['CodeBucket']?.['Type']).toBe('String');
    expect(template.Parameters['CollectorCodeKey']?.['Default']).toBe('stepwise/data-collector.zip');
    const packaging = obj(template.Metadata['Stepwise::Packaging']);
    expect(list(packaging['functions']).map((f) => obj(f)['source'])).toEqual(['dist/pipeline/functions/data-collector', 'dist/pipeline/functions/metrics-processor']);
  });

  it('the functions get their configuration: the bucket and endpoints, the table and thresholds', () => {
    const t = cloudFormationTemplate({ definition: DEFINITION, config: { endpoints: ['https://example.com/health', { name: 'api', url: 'https://api.example.com' }], thresholds: { cpu: 80, disk: 95 } } });
    expect(obj(obj(props(t, ID.collector)['Environment'])['Variables'])).toEqual({
      RAW_BUCKET: { 'Fn::Sub': 'raw-metrics-${AWS::AccountId}-${AWS::Region}' },
      ENDPOINTS: '["https://example.com/health",{"name":"api","url":"https://api.example.com"}]',
    });
    expect(obj(obj(props(t, ID.processor)['Environment'])['Variables'])).toEqual({ TABLE_NAME: { Ref: ID.table }, CPU_THRESHOLD: '80', DISK_THRESHOLD: '95' });
    expect(obj(obj(props(template, ID.processor)['Environment'])['Variables'])).toEqual({ TABLE_NAME: { Ref: ID.table } });
  });

  it('the raw bucket (a globally unique name) notifies the processor of every object created, which S3 may invoke', () => {
    expect(props(template, ID.bucket)).toEqual({
      BucketName: { 'Fn::Sub': 'raw-metrics-${AWS::AccountId}-${AWS::Region}' },
      NotificationConfiguration: { LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': [ID.processor, 'Arn'] } }] },
    });
    expect(props(template, ID.processorPermission)).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ID.processor, 'Arn'] },
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::raw-metrics-${AWS::AccountId}-${AWS::Region}' },
    });
  });

  it('the table the definition reads, keyed by runId (S), on demand', () => {
    expect(props(template, ID.table)).toEqual({
      TableName: 'ProcessedMetrics',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'runId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'runId', KeyType: 'HASH' }],
    });
  });

  it('the topic the definition publishes to, with no subscription unless configured', () => {
    const topicArn = String(obj(obj(obj(DEFINITION['States'])['NotifySuccess'])['Parameters'])['TopicArn']);
    expect(props(template, ID.topic)).toEqual({ TopicName: topicArn.split(':').pop() });
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription')).toEqual([]);
    const t = cloudFormationTemplate({
      definition: DEFINITION,
      config: { subscriptions: [{ protocol: 'email', endpoint: 'ops@example.com' }, { protocol: 'https', endpoint: 'https://hooks.example.com/x' }] },
    });
    expect(Object.values(t.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription').map((r) => r.Properties)).toEqual([
      { TopicArn: { Ref: ID.topic }, Protocol: 'email', Endpoint: 'ops@example.com' },
      { TopicArn: { Ref: ID.topic }, Protocol: 'https', Endpoint: 'https://hooks.example.com/x' },
    ]);
  });

  it('StepFunctions-Pipeline-Trigger starts the state machine every hour through its own role', () => {
    expect(props(template, ID.rule)).toEqual({
      Name: 'StepFunctions-Pipeline-Trigger',
      Description: 'Starts InfraMonitoring-Pipeline on schedule',
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [{ Id: 'InfraMonitoring-Pipeline', Arn: { Ref: ID.stateMachine }, RoleArn: { 'Fn::GetAtt': [ID.ruleRole, 'Arn'] } }],
    });
  });

  it('names and schedule come from the configuration', () => {
    const t = cloudFormationTemplate({ definition: DEFINITION, config: { stateMachineName: 'Monitoring', ruleName: 'Every5', schedule: 'rate(5 minutes)', logRetentionDays: 7 } });
    expect(props(t, ID.stateMachine)['StateMachineName']).toBe('Monitoring');
    expect(props(t, ID.rule)).toMatchObject({ Name: 'Every5', ScheduleExpression: 'rate(5 minutes)' });
    expect(props(t, ID.logGroup)).toEqual({ LogGroupName: '/aws/vendedlogs/states/Monitoring-Logs', RetentionInDays: 7 });
  });
});

describe('what the template refuses, rather than deploy something wrong', () => {
  it('a task resource whose permission it does not know', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, End: true } } };
    expect(() => cloudFormationTemplate({ definition: def })).toThrow(/does not know which permission/);
  });

  it('a collector whose name differs from the function the definition invokes', () => {
    expect(() => cloudFormationTemplate({ definition: DEFINITION, config: { collector: { name: 'other' } } })).toThrow(/invokes data-collector/);
  });

  it('a table name computed at run time (the role could not name it)', () => {
    const def = structuredClone(DEFINITION);
    const check = obj(obj(def['States'])['CheckProcessingComplete']);
    const params = obj(check['Parameters']);
    delete params['TableName'];
    params['TableName.$'] = '$.table';
    expect(() => cloudFormationTemplate({ definition: def })).toThrow(/TableName written literally/);
  });

  it('a log retention CloudWatch Logs does not accept', () => {
    expect(() => cloudFormationTemplate({ definition: DEFINITION, config: { logRetentionDays: 10 } })).toThrow(/logRetentionDays 10/);
  });
});
