/**
 * What each Task asks of its role, per AWS's "IAM policies for integrated services" pages: the
 * action(s) and the resource ARN(s) from the Task's resource and its effective parameters.
 */
import { describe, expect, it } from 'vitest';
import { requiredPermissions } from '../../../src/integrations/iam/index.js';
import type { Json } from '../../../src/lib/json.js';

const SITE = { region: 'us-east-1', account: '123456789012', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Pipeline' };
const need = (resource: string, input: Json = {}) => requiredPermissions(resource, input, SITE);
const pairs = (resource: string, input: Json = {}) => need(resource, input)?.permissions.map((p) => [p.action, p.resource]);

describe('Lambda', () => {
  it('a function ARN resource needs lambda:InvokeFunction on that ARN, qualifier included', () => {
    expect(need('arn:aws:lambda:us-east-1:123456789012:function:collector')).toEqual({
      service: 'lambda',
      style: 'v1',
      permissions: [{ action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:123456789012:function:collector' }],
    });
    expect(pairs('arn:aws:lambda:us-east-1:123456789012:function:collector:prod')).toEqual([['lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:123456789012:function:collector:prod']]);
  });

  it.each([
    [{ FunctionName: 'collector' }, 'arn:aws:lambda:us-east-1:123456789012:function:collector'],
    [{ FunctionName: 'collector:$LATEST' }, 'arn:aws:lambda:us-east-1:123456789012:function:collector:$LATEST'],
    [{ FunctionName: '123456789012:function:collector' }, 'arn:aws:lambda:us-east-1:123456789012:function:collector'],
    [{ FunctionName: 'arn:aws:lambda:eu-west-1:210987654321:function:collector:7' }, 'arn:aws:lambda:eu-west-1:210987654321:function:collector:7'],
    [{ FunctionName: 'collector', Qualifier: 'prod' }, 'arn:aws:lambda:us-east-1:123456789012:function:collector:prod'],
  ])('lambda:invoke with %j needs lambda:InvokeFunction on %s', (input, arn) => {
    expect(pairs('arn:aws:states:::lambda:invoke', input)).toEqual([['lambda:InvokeFunction', arn]]);
    expect(pairs('arn:aws:states:::lambda:invoke.waitForTaskToken', input)).toEqual([['lambda:InvokeFunction', arn]]);
  });

  it('aws-sdk:lambda:invoke reports as the v2 SDK', () => {
    expect(need('arn:aws:states:::aws-sdk:lambda:invoke', { FunctionName: 'collector' })?.style).toBe('v2');
  });
});

describe('DynamoDB', () => {
  it.each(['getItem', 'putItem', 'updateItem', 'deleteItem'])('dynamodb:%s needs dynamodb:<Action> on the table', (action) => {
    expect(need(`arn:aws:states:::dynamodb:${action}`, { TableName: 'ProcessedMetrics' })).toEqual({
      service: 'dynamodb',
      style: 'v1',
      permissions: [{ action: `dynamodb:${action.charAt(0).toUpperCase()}${action.slice(1)}`, resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/ProcessedMetrics' }],
    });
  });

  it('a TableName given as an ARN is that ARN', () => {
    expect(pairs('arn:aws:states:::dynamodb:getItem', { TableName: 'arn:aws:dynamodb:eu-west-1:210987654321:table/Remote' })).toEqual([['dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:210987654321:table/Remote']]);
  });

  it('aws-sdk:dynamodb query on an index, batches and transactions name every table', () => {
    expect(pairs('arn:aws:states:::aws-sdk:dynamodb:query', { TableName: 'Runs', IndexName: 'byHost' })).toEqual([['dynamodb:Query', 'arn:aws:dynamodb:us-east-1:123456789012:table/Runs/index/byHost']]);
    expect(pairs('arn:aws:states:::aws-sdk:dynamodb:batchWriteItem', { RequestItems: { A: [], B: [] } })).toEqual([
      ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/A'],
      ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/B'],
    ]);
    expect(pairs('arn:aws:states:::aws-sdk:dynamodb:transactWriteItems', { TransactItems: [{ Put: { TableName: 'A' } }, { ConditionCheck: { TableName: 'B' } }] })).toEqual([
      ['dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/A'],
      ['dynamodb:ConditionCheckItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/B'],
    ]);
    expect(pairs('arn:aws:states:::aws-sdk:dynamodb:listTables')).toEqual([['dynamodb:ListTables', 'arn:aws:dynamodb:us-east-1:123456789012:table/*']]);
  });

  it('a call without its TableName is left to the integration (which reports the missing parameter)', () => {
    expect(need('arn:aws:states:::dynamodb:putItem', { Item: {} })).toBeUndefined();
  });
});

describe('S3 (aws-sdk:s3)', () => {
  it.each([
    ['getObject', { Bucket: 'raw-metrics', Key: 'run/1.json' }, [['s3:GetObject', 'arn:aws:s3:::raw-metrics/run/1.json']]],
    ['headObject', { Bucket: 'raw-metrics', Key: 'run/1.json' }, [['s3:GetObject', 'arn:aws:s3:::raw-metrics/run/1.json']]],
    ['putObject', { Bucket: 'raw-metrics', Key: 'k', Body: 'x' }, [['s3:PutObject', 'arn:aws:s3:::raw-metrics/k']]],
    ['deleteObject', { Bucket: 'raw-metrics', Key: 'k' }, [['s3:DeleteObject', 'arn:aws:s3:::raw-metrics/k']]],
    ['listObjectsV2', { Bucket: 'raw-metrics', Prefix: 'run/' }, [['s3:ListBucket', 'arn:aws:s3:::raw-metrics']]],
    ['listBuckets', {}, [['s3:ListAllMyBuckets', '*']]],
    [
      'copyObject',
      { Bucket: 'archive', Key: 'copy.json', CopySource: 'raw-metrics/run%201.json' },
      [
        ['s3:GetObject', 'arn:aws:s3:::raw-metrics/run 1.json'],
        ['s3:PutObject', 'arn:aws:s3:::archive/copy.json'],
      ],
    ],
  ])('%s %j', (action, input, expected) => {
    expect(pairs(`arn:aws:states:::aws-sdk:s3:${action}`, input)).toEqual(expected);
  });
});

describe('SNS, EventBridge, nested executions, HTTP, others', () => {
  it('sns:publish needs sns:Publish on the topic', () => {
    expect(need('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:Alerts', Message: 'hi' })).toEqual({
      service: 'sns',
      style: 'v1',
      permissions: [{ action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:123456789012:Alerts' }],
    });
    expect(pairs('arn:aws:states:::aws-sdk:sns:createTopic', { Name: 'New' })).toEqual([['sns:CreateTopic', 'arn:aws:sns:us-east-1:123456789012:New']]);
  });

  it('events:putEvents needs events:PutEvents on each bus named (the default bus by default)', () => {
    expect(pairs('arn:aws:states:::events:putEvents', { Entries: [{ Source: 's' }, { Source: 's', EventBusName: 'orders' }, { Source: 't' }] })).toEqual([
      ['events:PutEvents', 'arn:aws:events:us-east-1:123456789012:event-bus/default'],
      ['events:PutEvents', 'arn:aws:events:us-east-1:123456789012:event-bus/orders'],
    ]);
  });

  it('states:startExecution needs states:StartExecution on the state machine', () => {
    const child = 'arn:aws:states:us-east-1:123456789012:stateMachine:Child';
    expect(pairs('arn:aws:states:::states:startExecution', { StateMachineArn: child })).toEqual([['states:StartExecution', child]]);
    expect(pairs('arn:aws:states:::states:startExecution.waitForTaskToken', { StateMachineArn: child })).toEqual([['states:StartExecution', child]]);
  });

  it('.sync also needs DescribeExecution and StopExecution on its executions and the managed EventBridge rule', () => {
    const rule = 'arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule';
    expect(pairs('arn:aws:states:::states:startExecution.sync:2', { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Child:live', Name: 'run-1' })).toEqual([
      ['states:StartExecution', 'arn:aws:states:us-east-1:123456789012:stateMachine:Child:live'],
      ['states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:Child:run-1'],
      ['states:StopExecution', 'arn:aws:states:us-east-1:123456789012:execution:Child:run-1'],
      ['events:PutTargets', rule],
      ['events:PutRule', rule],
      ['events:DescribeRule', rule],
    ]);
  });

  it('http:invoke needs states:InvokeHTTPEndpoint on the state machine, with the method and endpoint as condition keys', () => {
    expect(need('arn:aws:states:::http:invoke', { ApiEndpoint: 'https://api.example.com/x', Method: 'GET', Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/c/1' } })).toEqual({
      service: 'http',
      style: 'v1',
      permissions: [
        { action: 'states:InvokeHTTPEndpoint', resource: SITE.stateMachineArn, context: { 'states:HTTPEndpoint': 'https://api.example.com/x', 'states:HTTPMethod': 'GET' } },
        { action: 'events:RetrieveConnectionCredentials', resource: 'arn:aws:events:us-east-1:123456789012:connection/c/1' },
      ],
    });
  });

  it('other aws-sdk services need <service>:<Action>, with the IAM prefix where it differs', () => {
    expect(pairs('arn:aws:states:::aws-sdk:sfn:describeExecution', { ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e' })).toEqual([['states:DescribeExecution', 'arn:aws:states:us-east-1:123456789012:execution:M:e']]);
    expect(pairs('arn:aws:states:::aws-sdk:cloudwatchlogs:createLogGroup', { LogGroupName: 'g' })).toEqual([['logs:CreateLogGroup', '*']]);
    expect(pairs('arn:aws:states:::aws-sdk:sqs:sendMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs' })).toEqual([['sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs']]);
  });

  it('activities need nothing', () => {
    expect(need('arn:aws:states:us-east-1:123456789012:activity:approve')).toBeUndefined();
  });
});
