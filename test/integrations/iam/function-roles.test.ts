/**
 * A local function with a role of its own signs its AWS SDK calls with keys of its own, and
 * Stepwise holds those calls to the role, as AWS holds a Lambda function to its execution role:
 * allowed S3 and DynamoDB calls go through; a denied one answers AccessDenied with AWS's message,
 * which fails the function and so its task. A function without a role is not restricted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src/cli/serve-command.js';
import { eventually, ROLE, startHarness, type Harness } from '../../api/harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Under the project, so the function resolves the project's @aws-sdk packages as a deployed one would its own.
mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
const dir = mkdtempSync(join(ROOT, 'test-artifacts', 'fn-roles-'));
writeFileSync(
  join(dir, 'index.mjs'),
  `import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
export const handler = async (event) => {
  if (event.s3Key) {
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: event.s3Key, Body: 'x' }));
  }
  if (event.table) {
    const ddb = new DynamoDBClient({});
    await ddb.send(new PutItemCommand({ TableName: event.table, Item: { id: { S: 'a' } } }));
  }
  return { key: process.env.AWS_ACCESS_KEY_ID };
};
`,
);
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::data/allowed/*' },
    { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Allowed' },
  ],
};
const fn = (name: string, role?: string) => ({ name, module: join(dir, 'index.mjs'), codeDir: dir, exportName: 'handler', handler: 'index.handler', timeout: 10, ...(role && { role }) });

let h: Harness;
let machineArn: string;
beforeAll(async () => {
  h = await startHarness({
    args: {
      functions: [fn('restricted', 'writer-role'), fn('free')],
      roles: [{ name: 'writer-role', policies: [POLICY] }],
      buckets: [{ name: 'data', notifications: [] }],
      tables: [
        { name: 'Allowed', partitionKey: { name: 'id', type: 'S' } },
        { name: 'Other', partitionKey: { name: 'id', type: 'S' } },
      ],
    },
  });
  const definition = JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.fn', 'Payload.$': '$.payload' }, OutputPath: '$.Payload', End: true } } });
  machineArn = (await h.client().send(new CreateStateMachineCommand({ name: 'CallFunction', definition, roleArn: ROLE }))).stateMachineArn as string;
}, 30_000);
afterAll(async () => {
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function call(fnName: string, payload: Record<string, unknown>) {
  const { executionArn } = await h.client().send(new StartExecutionCommand({ stateMachineArn: machineArn, name: `call-${++n}`, input: JSON.stringify({ fn: fnName, payload }) }));
  return eventually(() => h.client().send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 20_000);
}

describe("a function's own role", () => {
  it('lets through what the role allows, with keys of its own', async () => {
    const d = await call('restricted', { s3Key: 'allowed/one.txt', table: 'Allowed' });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '{}').key).toMatch(/^ASIA[0-9A-F]{16}$/);
  });

  it('refuses an S3 write outside the role with AccessDenied and AWS\'s message, failing the task', async () => {
    const d = await call('restricted', { s3Key: 'elsewhere/two.txt' });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('AccessDenied');
    expect(d.cause).toContain('User: arn:aws:sts::123456789012:assumed-role/writer-role/restricted is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::data/elsewhere/two.txt because no identity-based policy allows the s3:PutObject action');
  });

  it('refuses a DynamoDB write to another table with AccessDeniedException', async () => {
    const d = await call('restricted', { table: 'Other' });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('AccessDeniedException');
    expect(d.cause).toContain('is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Other');
  });

  it('does not restrict a function without a role', async () => {
    const d = await call('free', { s3Key: 'elsewhere/three.txt', table: 'Other' });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '{}').key).toBe('test');
  });

  it('refuses to start when a function names a role that is not defined', async () => {
    await expect(startServer({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), requireAuth: false, functions: [fn('orphan', 'no-such-role')] }, { log: () => undefined })).rejects.toThrow(
      /function 'orphan': role arn:aws:iam::123456789012:role\/no-such-role is not defined under roles/,
    );
  });
});
