/**
 * The local tables over HTTP, driven by the real AWS SDK (`@aws-sdk/client-dynamodb`) against a
 * real Stepwise server: the DynamoDB API answers beside the Step Functions API, SigV4-signed for
 * the `dynamodb` service.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, signedPost, startHarness, type Harness } from '../../api/harness.js';

let h: Harness;
let ddb: DynamoDBClient;

beforeAll(async () => {
  h = await startHarness();
  ddb = new DynamoDBClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await ddb.send(
    new CreateTableCommand({
      TableName: 'Readings',
      KeySchema: [
        { AttributeName: 'sensor', KeyType: 'HASH' },
        { AttributeName: 'tick', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'sensor', AttributeType: 'S' },
        { AttributeName: 'tick', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await ddb.send(
    new CreateTableCommand({
      TableName: 'Users',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    }),
  );
});

afterAll(async () => {
  ddb?.destroy();
  await h?.stop();
});

describe('tables', () => {
  it('DescribeTable reports the definition, ACTIVE, with an exact item count', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { S: 'count-me' } } }));
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'Users' }));
    expect(Table).toMatchObject({
      TableName: 'Users',
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Users',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
    expect(Table?.ItemCount).toBeGreaterThanOrEqual(1);
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
  });

  it('ListTables lists names in order and pages with LastEvaluatedTableName', async () => {
    const first = await ddb.send(new ListTablesCommand({ Limit: 1 }));
    expect(first).toMatchObject({ TableNames: ['Readings'], LastEvaluatedTableName: 'Readings' });
    const rest = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'Readings' }));
    expect(rest.TableNames).toContain('Users');
    expect(rest.LastEvaluatedTableName).toBeUndefined();
  });

  it('CreateTable of an existing table is ResourceInUseException', async () => {
    const err = await errorOf(ddb.send(new CreateTableCommand({ TableName: 'Users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' })));
    expect(err).toMatchObject({ name: 'ResourceInUseException', message: 'Table already exists: Users', status: 400 });
  });

  it('a deleted table is gone, with its items, and a new table of that name starts empty', async () => {
    const def = { TableName: 'Scratch', KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const };
    await ddb.send(new CreateTableCommand(def));
    await ddb.send(new PutItemCommand({ TableName: 'Scratch', Item: { k: { S: 'a' } } }));
    const deleted = await ddb.send(new DeleteTableCommand({ TableName: 'Scratch' }));
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    await expect(ddb.send(new GetItemCommand({ TableName: 'Scratch', Key: { k: { S: 'a' } } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect((await errorOf(ddb.send(new DescribeTableCommand({ TableName: 'Scratch' })))).message).toBe('Requested resource not found: Table: Scratch not found');
    await ddb.send(new CreateTableCommand(def));
    expect((await ddb.send(new ScanCommand({ TableName: 'Scratch' }))).Count).toBe(0);
  });
});

describe('items', () => {
  it('PutItem then GetItem, with a ProjectionExpression; numbers come back normalised', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { S: 'u1' }, name: { S: 'Ada' }, age: { N: '036.50' }, tags: { SS: ['a', 'b'] }, bin: { B: new Uint8Array([0, 1, 255]) }, nested: { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } } } }));
    const { Item } = await ddb.send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'u1' } }, ConsistentRead: true }));
    expect(Item).toEqual({ id: { S: 'u1' }, name: { S: 'Ada' }, age: { N: '36.5' }, tags: { SS: ['a', 'b'] }, bin: { B: new Uint8Array([0, 1, 255]) }, nested: { M: { l: { L: [{ BOOL: true }, { NULL: true }] } } } });
    const projected = await ddb.send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'u1' } }, ProjectionExpression: '#n, nested.l[1]', ExpressionAttributeNames: { '#n': 'name' } }));
    expect(projected.Item).toEqual({ name: { S: 'Ada' }, nested: { M: { l: { L: [{ NULL: true }] } } } });
    expect((await ddb.send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'nobody' } } }))).Item).toBeUndefined();
  });

  it('a failed ConditionExpression is ConditionalCheckFailedException, with the old item when asked', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { S: 'u2' }, v: { N: '1' } } }));
    const attempt = ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { S: 'u2' }, v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConditionalCheckFailedException);
    expect((err as ConditionalCheckFailedException).message).toBe('The conditional request failed');
    expect((err as ConditionalCheckFailedException).Item).toEqual({ id: { S: 'u2' }, v: { N: '1' } });
    const old = await ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { S: 'u2' }, v: { N: '3' } }, ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_OLD' }));
    expect(old.Attributes).toEqual({ id: { S: 'u2' }, v: { N: '1' } });
  });

  it('UpdateItem creates, increments and reports UPDATED_NEW / UPDATED_OLD / ALL_NEW', async () => {
    const key = { id: { S: 'counter' } };
    const first = await ddb.send(new UpdateItemCommand({ TableName: 'Users', Key: key, UpdateExpression: 'ADD hits :one SET created = if_not_exists(created, :now)', ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { S: 't0' } }, ReturnValues: 'UPDATED_NEW' }));
    expect(first.Attributes).toEqual({ hits: { N: '1' }, created: { S: 't0' } });
    const second = await ddb.send(new UpdateItemCommand({ TableName: 'Users', Key: key, UpdateExpression: 'ADD hits :one SET created = if_not_exists(created, :now)', ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { S: 't1' } }, ReturnValues: 'UPDATED_OLD' }));
    expect(second.Attributes).toEqual({ hits: { N: '1' }, created: { S: 't0' } });
    const all = await ddb.send(new UpdateItemCommand({ TableName: 'Users', Key: key, UpdateExpression: 'REMOVE created SET entries = list_append(if_not_exists(entries, :empty), :e)', ExpressionAttributeValues: { ':empty': { L: [] }, ':e': { L: [{ S: 'x' }] } }, ReturnValues: 'ALL_NEW' }));
    expect(all.Attributes).toEqual({ id: { S: 'counter' }, hits: { N: '2' }, entries: { L: [{ S: 'x' }] } });
  });

  it('UpdateItem may not touch the key; a bad expression is refused with its syntax error', async () => {
    const keyUpdate = await errorOf(ddb.send(new UpdateItemCommand({ TableName: 'Users', Key: { id: { S: 'u3' } }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })));
    expect(keyUpdate).toMatchObject({ name: 'ValidationException', message: 'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key' });
    const syntax = await errorOf(ddb.send(new UpdateItemCommand({ TableName: 'Users', Key: { id: { S: 'u3' } }, UpdateExpression: 'SET a = = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })));
    expect(syntax.message).toBe('Invalid UpdateExpression: Syntax error; token: "=", near: "= = :v"');
  });

  it('PutItem without a key attribute, or with a key of the wrong type, is refused', async () => {
    expect((await errorOf(ddb.send(new PutItemCommand({ TableName: 'Users', Item: { name: { S: 'x' } } })))).message).toBe('One or more parameter values were invalid: Missing the key id in the item');
    expect((await errorOf(ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { N: '1' } } })))).message).toBe('One or more parameter values were invalid: Type mismatch for key id expected: S actual: N');
    expect((await errorOf(ddb.send(new GetItemCommand({ TableName: 'Readings', Key: { sensor: { S: 'x' } } })))).message).toBe('The provided key element does not match the schema');
  });

  it('an unknown table is ResourceNotFoundException: Requested resource not found', async () => {
    const err = await errorOf(ddb.send(new GetItemCommand({ TableName: 'Nope', Key: { id: { S: 'x' } } })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 });
  });

  it('DeleteItem returns ALL_OLD and honours its condition', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'Users', Item: { id: { S: 'u4' }, keep: { BOOL: true } } }));
    await expect(ddb.send(new DeleteItemCommand({ TableName: 'Users', Key: { id: { S: 'u4' } }, ConditionExpression: 'keep = :f', ExpressionAttributeValues: { ':f': { BOOL: false } } }))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const gone = await ddb.send(new DeleteItemCommand({ TableName: 'Users', Key: { id: { S: 'u4' } }, ReturnValues: 'ALL_OLD' }));
    expect(gone.Attributes).toEqual({ id: { S: 'u4' }, keep: { BOOL: true } });
    expect((await ddb.send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'u4' } } }))).Item).toBeUndefined();
  });
});

describe('Query and Scan', () => {
  const times = ['10', '-5', '2.5', '100', '0', '-40.25', '7'];
  beforeAll(async () => {
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { Readings: times.map((at) => ({ PutRequest: { Item: { sensor: { S: 's1' }, tick: { N: at }, ok: { BOOL: Number(at) >= 0 } } } })) } }));
    await ddb.send(new PutItemCommand({ TableName: 'Readings', Item: { sensor: { S: 's2' }, tick: { N: '1' } } }));
  });

  const ats = (items: Record<string, { N?: string }>[] | undefined) => (items ?? []).map((i) => i['tick']?.N);

  it('a partition comes back in sort key order, forward and backward', async () => {
    const forward = await ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: 'sensor = :s', ExpressionAttributeValues: { ':s': { S: 's1' } } }));
    expect(ats(forward.Items)).toEqual(['-40.25', '-5', '0', '2.5', '7', '10', '100']);
    expect(forward).toMatchObject({ Count: 7, ScannedCount: 7 });
    const backward = await ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: 'sensor = :s', ExpressionAttributeValues: { ':s': { S: 's1' } }, ScanIndexForward: false }));
    expect(ats(backward.Items)).toEqual(['100', '10', '7', '2.5', '0', '-5', '-40.25']);
  });

  it('sort key conditions: BETWEEN, <, >=', async () => {
    const q = (expr: string, values: Record<string, { N: string }>) => ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: `sensor = :s AND ${expr}`, ExpressionAttributeValues: { ':s': { S: 's1' }, ...values } }));
    expect(ats((await q('tick BETWEEN :a AND :b', { ':a': { N: '-5' }, ':b': { N: '7' } })).Items)).toEqual(['-5', '0', '2.5', '7']);
    expect(ats((await q('tick < :a', { ':a': { N: '0' } })).Items)).toEqual(['-40.25', '-5']);
    expect(ats((await q('tick >= :a', { ':a': { N: '10' } })).Items)).toEqual(['10', '100']);
  });

  it('Limit pages through with LastEvaluatedKey / ExclusiveStartKey, backward too', async () => {
    for (const forward of [true, false]) {
      const seen: (string | undefined)[] = [];
      let start: Record<string, never> | undefined;
      let pages = 0;
      do {
        const page = await ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: 'sensor = :s', ExpressionAttributeValues: { ':s': { S: 's1' } }, Limit: 3, ScanIndexForward: forward, ExclusiveStartKey: start }));
        seen.push(...ats(page.Items));
        start = page.LastEvaluatedKey as typeof start;
        pages++;
      } while (start && pages < 10);
      expect(seen).toEqual(forward ? ['-40.25', '-5', '0', '2.5', '7', '10', '100'] : ['100', '10', '7', '2.5', '0', '-5', '-40.25']);
    }
  });

  it('a FilterExpression filters after Limit; Select COUNT counts', async () => {
    const filtered = await ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: 'sensor = :s', FilterExpression: 'ok = :t', ExpressionAttributeValues: { ':s': { S: 's1' }, ':t': { BOOL: true } }, Limit: 4 }));
    expect(filtered).toMatchObject({ Count: 2, ScannedCount: 4 });
    expect(ats(filtered.Items)).toEqual(['0', '2.5']);
    const counted = await ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: 'sensor = :s', ExpressionAttributeValues: { ':s': { S: 's1' } }, Select: 'COUNT' }));
    expect(counted.Items).toBeUndefined();
    expect(counted.Count).toBe(7);
  });

  it('a Query without the partition key is refused as DynamoDB does', async () => {
    const err = await errorOf(ddb.send(new QueryCommand({ TableName: 'Readings', KeyConditionExpression: 'tick = :v', ExpressionAttributeValues: { ':v': { N: '1' } } })));
    expect(err).toMatchObject({ name: 'ValidationException', message: 'Query condition missed key schema element: sensor' });
  });

  it('Scan reads every partition and pages', async () => {
    const all: unknown[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: 'Readings', Limit: 3, ExclusiveStartKey: start }));
      all.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
    expect(all).toHaveLength(8);
    const filtered = await ddb.send(new ScanCommand({ TableName: 'Readings', FilterExpression: 'attribute_not_exists(ok)' }));
    expect(filtered).toMatchObject({ Count: 1, ScannedCount: 8 });
  });

  it('BatchGetItem finds what exists', async () => {
    const out = await ddb.send(new BatchGetItemCommand({ RequestItems: { Readings: { Keys: [{ sensor: { S: 's1' }, tick: { N: '7' } }, { sensor: { S: 's1' }, tick: { N: '8' } }, { sensor: { S: 's2' }, tick: { N: '1.0' } }], ProjectionExpression: 'tick' } } }));
    expect(ats(out.Responses?.['Readings']).sort()).toEqual(['1', '7']);
    expect(out.UnprocessedKeys).toEqual({});
  });
});

describe('the wire', () => {
  it('errors are DynamoDB JSON 1.0 errors with HTTP 400', async () => {
    const res = await signedPost(h.url, { target: 'DynamoDB_20120810.GetItem', body: JSON.stringify({ TableName: 'Nope', Key: { id: { S: 'x' } } }) });
    expect(res).toEqual({ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' } });
    const unknown = await signedPost(h.url, { target: 'DynamoDB_20120810.TransactWriteItems', body: '{}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body['__type']).toBe('com.amazon.coral.service#UnknownOperationException');
  });

  it('requests are SigV4-verified like the Step Functions API', async () => {
    const res = await signedPost(h.url, { target: 'DynamoDB_20120810.ListTables', body: '{}', sign: false });
    expect(res.status).toBe(403);
    const wrong = new DynamoDBClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' }, maxAttempts: 1 });
    expect((await errorOf(wrong.send(new ListTablesCommand({})))).name).toBe('InvalidSignatureException');
    wrong.destroy();
  });
});
