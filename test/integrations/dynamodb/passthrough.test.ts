/**
 * DynamoDB tasks passed through to a configured endpoint with the AWS SDK, against dynalite (a
 * DynamoDB emulator) on loopback: results and error names as against the local tables.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/engine/clock.js';
import { runLocal } from '../../../src/engine/local-run.js';
import { remoteDynamoDb } from '../../../src/integrations/dynamodb/passthrough.js';
import { dynamoDbIntegration } from '../../../src/integrations/dynamodb/task-integration.js';
import { openSqliteStore } from '../../../src/stores/sqlite/index.js';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: { createTableMs: number; deleteTableMs: number }) => Server;

let server: Server;
let endpoint: string;
let backend: ReturnType<typeof remoteDynamoDb>;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  await client.send(new CreateTableCommand({ TableName: 'remote', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  client.destroy();
  backend = remoteDynamoDb({ endpoint, region: 'us-east-1', credentials });
});

afterAll(async () => {
  backend?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function run(definition: object, input: object) {
  const store = openSqliteStore({ path: ':memory:' });
  const clock = new FakeClock();
  try {
    return await runLocal(definition, input, { invoker: dynamoDbIntegration(store, clock, { backend }), clock });
  } finally {
    await store.close();
  }
}

const task = (resource: string, parameters: object, extra: object) => ({ Type: 'Task', Resource: resource, Parameters: parameters, ...extra });

describe('passthrough to a DynamoDB endpoint', () => {
  it('writes land in the remote table; binaries cross as base64 both ways', async () => {
    const item = { id: { S: 'p1' }, bin: { B: Buffer.from([0, 1, 254, 255]).toString('base64') }, n: { N: '1.50' } };
    const def = {
      StartAt: 'Put',
      States: {
        Put: task('arn:aws:states:::aws-sdk:dynamodb:putItem', { TableName: 'remote', 'Item.$': '$.Item' }, { ResultPath: '$.put', Next: 'Get' }),
        Get: task('arn:aws:states:::dynamodb:getItem', { TableName: 'remote', Key: { id: { S: 'p1' } } }, { ResultPath: '$.get', End: true }),
      },
    };
    const r = await run(def, { Item: item });
    expect(r.status).toBe('SUCCEEDED');
    const out = JSON.parse(r.output as string);
    expect(out.put).toEqual({});
    expect(out.get.Item).toEqual({ ...item, n: { N: '1.5' } });
    expect(out.get.SdkHttpMetadata.HttpStatusCode).toBe(200);
    const direct = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
    const seen = await direct.send(new GetItemCommand({ TableName: 'remote', Key: { id: { S: 'p1' } } }));
    direct.destroy();
    expect(seen.Item?.['bin']?.B).toEqual(new Uint8Array([0, 1, 254, 255]));
  });

  it.each([
    ['aws-sdk:dynamodb', 'DynamoDb.ConditionalCheckFailedException'],
    ['dynamodb', 'DynamoDB.ConditionalCheckFailedException'],
  ])('%s: the remote conditional check failure keeps its name', async (form, error) => {
    const put = task(`arn:aws:states:::${form}:putItem`, { TableName: 'remote', Item: { id: { S: 'dup' } }, ConditionExpression: 'attribute_not_exists(id)' }, { ResultPath: null });
    const def = { StartAt: 'A', States: { A: { ...put, Next: 'B' }, B: { ...put, End: true } } };
    const r = await run(def, {});
    expect(r.error).toBe(error);
    expect(r.cause).toMatch(/^The conditional request failed \(Service: /);
  });

  it('an unknown remote table is ResourceNotFoundException', async () => {
    const r = await run({ StartAt: 'G', States: { G: task('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: 'absent', Key: { id: { S: 'x' } } }, { End: true }) } }, {});
    expect(r.error).toBe('DynamoDb.ResourceNotFoundException');
  });
});
