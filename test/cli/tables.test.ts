/** Tables declared in stepwise.yaml (`tables`) exist when the server starts; a changed key schema is refused, never dropped. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/serve-command.js';
import { ConfigError } from '../../src/config/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { host: '127.0.0.1', port: 0, dataDir: dir, requireAuth: false } as const;
const creds = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('declared tables', () => {
  it('are created at startup, kept with their items across restarts, and a changed key schema is refused', async () => {
    const tables = [{ name: 'Events', partitionKey: { name: 'id', type: 'S' as const }, sortKey: { name: 'at', type: 'N' as const } }];
    const first = await startServer({ ...base, tables }, { log: () => undefined });
    const ddb = new DynamoDBClient({ endpoint: first.url, region: 'us-east-1', credentials: creds });
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'Events' }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }]);
    await ddb.send(new PutItemCommand({ TableName: 'Events', Item: { id: { S: 'a' }, at: { N: '1' }, v: { S: 'kept' } } }));
    ddb.destroy();
    await first.stop();

    const second = await startServer({ ...base, tables }, { log: () => undefined });
    const again = new DynamoDBClient({ endpoint: second.url, region: 'us-east-1', credentials: creds });
    expect((await again.send(new GetItemCommand({ TableName: 'Events', Key: { id: { S: 'a' }, at: { N: '1' } } }))).Item?.['v']).toEqual({ S: 'kept' });
    again.destroy();
    await second.stop();

    const changed = [{ name: 'Events', partitionKey: { name: 'id', type: 'S' as const } }];
    await expect(startServer({ ...base, tables: changed }, { log: () => undefined })).rejects.toThrow(ConfigError);
    await expect(startServer({ ...base, tables: changed }, { log: () => undefined })).rejects.toThrow(/table 'Events' exists with the key schema .* not the configured/);
  });
});
