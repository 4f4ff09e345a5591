/**
 * Task states calling DynamoDB through the integration, in both resource forms, reproducing what
 * AWS recorded (../shared/conformance: DYNAMODB_PUT_GET_ITEM, AWS_SDK_DYNAMODB_PUT_UPDATE_GET_ITEM,
 * DYNAMODB_PUT_QUERY, the invalid-parameter and no-such-table cases).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/engine/clock.js';
import { runLocal } from '../../../src/engine/local-run.js';
import type { Store } from '../../../src/engine/store.js';
import { LocalDynamoDb } from '../../../src/integrations/dynamodb/local-dynamodb.js';
import { dynamoDbIntegration } from '../../../src/integrations/dynamodb/task-integration.js';
import { openSqliteStore } from '../../../src/stores/sqlite/index.js';

let store: Store;
let run: (definition: object, input: object) => ReturnType<typeof runLocal>;

beforeEach(async () => {
  store = openSqliteStore({ path: ':memory:' });
  await store.migrate();
  const clock = new FakeClock();
  const local = new LocalDynamoDb(store, clock);
  await local.call('CreateTable', { TableName: 'table-name', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  const invoker = dynamoDbIntegration(store, clock, { local });
  run = (definition, input) => runLocal(definition, input, { invoker, clock });
});

afterEach(async () => {
  await store.close();
});

const task = (resource: string, parameters: object, extra: object = {}) => ({ Type: 'Task', Resource: resource, Parameters: parameters, ...extra });
const item = { data: { S: 'HelloWorld' }, id: { S: 'id1' } };
const putGet = (form: 'dynamodb' | 'aws-sdk:dynamodb') => ({
  StartAt: 'PutItem',
  States: {
    PutItem: task(`arn:aws:states:::${form}:putItem`, { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, { ResultPath: '$.putItemOutput', Next: 'UpdateItem' }),
    UpdateItem: task(
      `arn:aws:states:::${form}:updateItem`,
      { 'TableName.$': '$.TableName', 'Key.$': '$.Key', UpdateExpression: 'set S=:r', ExpressionAttributeValues: { ':r': { S: 'HelloWorldUpdated' } }, ReturnValues: 'UPDATED_NEW' },
      { ResultPath: '$.updateItemOutput', Next: 'GetItem' },
    ),
    GetItem: task(`arn:aws:states:::${form}:getItem`, { 'TableName.$': '$.TableName', 'Key.$': '$.Key' }, { ResultPath: '$.getItemOutput', End: true }),
  },
});

describe('the AWS SDK integration (aws-sdk:dynamodb) answers with the SDK response as is', () => {
  it('putItem, updateItem UPDATED_NEW, getItem', async () => {
    const r = await run(putGet('aws-sdk:dynamodb'), { TableName: 'table-name', Item: item, Key: { id: { S: 'id1' } } });
    expect(r.status).toBe('SUCCEEDED');
    const out = JSON.parse(r.output as string);
    expect(out.putItemOutput).toEqual({});
    expect(out.updateItemOutput).toEqual({ Attributes: { S: { S: 'HelloWorldUpdated' } } });
    expect(out.getItemOutput).toEqual({ Item: { S: { S: 'HelloWorldUpdated' }, data: { S: 'HelloWorld' }, id: { S: 'id1' } } });
  });

  it('query after an optimised putItem', async () => {
    const def = {
      StartAt: 'PutItem',
      States: {
        PutItem: task('arn:aws:states:::dynamodb:putItem', { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, { ResultPath: '$.putItemOutput', Next: 'QueryItems' }),
        QueryItems: task('arn:aws:states:::aws-sdk:dynamodb:query', { 'TableName.$': '$.TableName', KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id.$': '$.Item.id' } }, { ResultPath: '$.queryOutput', End: true }),
      },
    };
    const r = await run(def, { TableName: 'table-name', Item: item });
    expect(JSON.parse(r.output as string).queryOutput).toEqual({ Count: 1, Items: [item], ScannedCount: 1 });
  });

  it('a validation error is DynamoDb.DynamoDbException with the SDK v2 cause', async () => {
    const def = { StartAt: 'PutItem', States: { PutItem: task('arn:aws:states:::aws-sdk:dynamodb:putItem', { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, { End: true }) } };
    const r = await run(def, { TableName: 'table-name', Key: null, Item: null });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('DynamoDb.DynamoDbException');
    expect(r.cause).toMatch(/^1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null \(Service: DynamoDb, Status Code: 400, Request ID: [A-Z0-9]{52}\)$/);
  });
});

describe('the optimised integration (dynamodb:*) adds the SDK HTTP metadata', () => {
  it('putItem, updateItem, getItem', async () => {
    const r = await run(putGet('dynamodb'), { TableName: 'table-name', Item: item, Key: { id: { S: 'id1' } } });
    const out = JSON.parse(r.output as string);
    expect(out.putItemOutput.SdkHttpMetadata).toMatchObject({ HttpStatusCode: 200, HttpHeaders: { 'Content-Length': '2', 'Content-Type': 'application/x-amz-json-1.0' } });
    expect(out.putItemOutput.SdkResponseMetadata.RequestId).toMatch(/^[A-Z0-9]{52}$/);
    expect(out.updateItemOutput.Attributes).toEqual({ S: { S: 'HelloWorldUpdated' } });
    expect(out.getItemOutput.Item).toEqual({ S: { S: 'HelloWorldUpdated' }, data: { S: 'HelloWorld' }, id: { S: 'id1' } });
  });

  it.each([
    ['no such table', { TableName: 'no-such-table', Item: item }, 'DynamoDB.ResourceNotFoundException', 'Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: '],
    [
      'a null Item',
      { TableName: 'table-name', Key: null, Item: null },
      'DynamoDB.AmazonDynamoDBException',
      "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: ",
    ],
    [
      'an invalid table name',
      { TableName: '/table-name', Item: item },
      'DynamoDB.AmazonDynamoDBException',
      "1 validation error detected: Value '/table-name' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: ",
    ],
  ])('%s fails the task as AWS recorded it', async (_name, input, error, causeStart) => {
    const def = { StartAt: 'PutItem', States: { PutItem: task('arn:aws:states:::dynamodb:putItem', { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, { End: true }) } };
    const r = await run(def, input);
    expect(r.error).toBe(error);
    expect(r.cause?.startsWith(causeStart)).toBe(true);
    expect(r.cause).toMatch(/; Proxy: null\)$/);
  });
});

describe('a failed condition is an error a Catch can take', () => {
  it.each([
    ['dynamodb', 'DynamoDB.ConditionalCheckFailedException'],
    ['aws-sdk:dynamodb', 'DynamoDb.ConditionalCheckFailedException'],
  ])('%s putItem twice with attribute_not_exists', async (form, error) => {
    const put = (next: string) =>
      task(`arn:aws:states:::${form}:putItem`, { TableName: 'table-name', 'Item.$': '$.Item', ConditionExpression: 'attribute_not_exists(id)' }, { ResultPath: null, Next: next, Catch: [{ ErrorEquals: [error], ResultPath: '$.caught', Next: 'AlreadyThere' }] });
    const def = { StartAt: 'First', States: { First: put('Second'), Second: put('Done'), Done: { Type: 'Succeed' }, AlreadyThere: { Type: 'Pass', End: true } } };
    const r = await run(def, { Item: item });
    expect(r.status).toBe('SUCCEEDED');
    const caught = JSON.parse(r.output as string).caught;
    expect(caught.Error).toBe(error);
    expect(caught.Cause).toMatch(/^The conditional request failed \(Service: /);
  });
});

describe('resources the integration does not serve fail clearly', () => {
  it.each([
    ['arn:aws:states:::aws-sdk:dynamodb:transactWriteItems', /does not implement the DynamoDB operation TransactWriteItems/],
    ['arn:aws:states:::dynamodb:query', /optimised DynamoDB integration has no action 'query'.*aws-sdk:dynamodb:query/],
    ['arn:aws:states:::dynamodb:putItem.sync', /request-response pattern only/],
  ])('%s', async (resource, cause) => {
    const r = await run({ StartAt: 'T', States: { T: task(resource, { TableName: 'table-name' }, { End: true }) } }, {});
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(r.cause).toMatch(cause);
  });
});
