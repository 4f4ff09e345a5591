/** The wire around the operations: SigV4, targets, bodies, Host headers, /health. */
import { SFN_OPERATIONS } from '../../src/api/operations.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { FakeClock } from '../../src/engine/clock.js';
import { createApi } from '../../src/api/app.js';
import { ExecutionQueries } from '../../src/service/execution-queries.js';
import { ExecutionService } from '../../src/service/executions.js';
import { StateMachineService } from '../../src/service/state-machines.js';
import { startServer } from '../../src/cli/serve-command.js';
import { ROLE, signedPost, startHarness, type Harness } from './harness.js';
import { sqliteStore, type TestStore } from '../durable/stores.js';

const LIST = 'AWSStepFunctions.ListStateMachines';

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

describe('a server on loopback with the default credentials', () => {
  let h: Harness;
  let sfn: SFNClient;
  beforeAll(async () => {
    h = await startHarness();
    sfn = h.client();
  });
  afterAll(async () => h.stop());

  it('answers /health with 200 JSON', async () => {
    const res = await fetch(`${h.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('accepts test/test and refuses a wrong secret, an unknown key and a missing signature', async () => {
    await expect(sfn.send(new ListStateMachinesCommand({}))).resolves.toHaveProperty('stateMachines');
    expect(await errorName(h.client({ accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new ListStateMachinesCommand({})))).toBe('InvalidSignatureException');
    expect(await errorName(h.client({ accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' }).send(new ListStateMachinesCommand({})))).toBe('UnrecognizedClientException');
    const unsigned = await signedPost(h.url, { target: LIST, body: '{}', sign: false });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body['__type']).toBe('com.amazonaws.sfn#MissingAuthenticationTokenException');
  });

  it('refuses a body changed after signing and a replayed request signed 20 minutes ago', async () => {
    const create = (name: string) => JSON.stringify({ name, definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', roleArn: ROLE });
    const tampered = await signedPost(h.url, { target: 'AWSStepFunctions.CreateStateMachine', body: create('Original'), tamper: () => create('Changed!') });
    expect(tampered.body['__type']).toBe('com.amazonaws.sfn#InvalidSignatureException');
    const old = await signedPost(h.url, { target: LIST, body: '{}', signingDate: new Date(Date.now() - 20 * 60_000) });
    expect(old.body).toMatchObject({ __type: 'com.amazonaws.sfn#InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) });
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((s) => s.name)).not.toContain('Changed!');
  });

  it('refuses an oversized body with 413 before reading the operation', async () => {
    const big = JSON.stringify({ definition: 'x'.repeat(1024 * 1024 + 10) });
    const r = await signedPost(h.url, { target: 'AWSStepFunctions.ValidateStateMachineDefinition', body: big });
    expect(r.status).toBe(413);
    expect(r.body['__type']).toBe('com.amazonaws.sfn#RequestEntityTooLargeException');
  });

  it('answers UnknownOperationException for an unknown or missing target', async () => {
    for (const target of ['AWSStepFunctions.DoSomethingElse', 'AmazonSQS.SendMessage', undefined]) {
      const r = await signedPost(h.url, { ...(target ? { target } : {}), body: '{}' });
      expect(r.status, String(target)).toBe(400);
      expect(r.body['__type']).toBe('com.amazonaws.sfn#UnknownOperationException');
    }
  });

  it('serves every operation of the API: none answers UnsupportedOperation or UnknownOperationException', async () => {
    for (const op of SFN_OPERATIONS) {
      const r = await signedPost(h.url, { target: `AWSStepFunctions.${op}`, body: '{}' });
      expect([op, r.body['__type']]).not.toEqual([op, 'com.amazonaws.sfn#UnsupportedOperation']);
      expect([op, r.body['__type']]).not.toEqual([op, 'com.amazonaws.sfn#UnknownOperationException']);
      expect([op, r.status < 500]).toEqual([op, true]);
    }
  });

  it('answers SerializationException for malformed JSON and for mistyped members, ValidationException for missing ones', async () => {
    const malformed = await signedPost(h.url, { target: LIST, body: '{"maxResults": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body['__type']).toBe('com.amazonaws.sfn#SerializationException');
    const mistyped = await signedPost(h.url, { target: LIST, body: '{"maxResults":"ten"}' });
    expect(mistyped.body['__type']).toBe('com.amazonaws.sfn#SerializationException');
    const missing = await signedPost(h.url, { target: 'AWSStepFunctions.DescribeStateMachine', body: '{}' });
    expect(missing.body).toEqual({
      __type: 'com.amazonaws.sfn#ValidationException',
      message: "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    });
  });

  it('accepts any Host header, such as the sync- prefix SDKs add for StartSyncExecution', async () => {
    const port = new URL(h.url).port;
    const r = await signedPost(h.url, { target: LIST, body: '{}', host: `sync-127.0.0.1:${port}` });
    expect(r.status).toBe(200);
    expect(r.body).toHaveProperty('stateMachines');
  });

  it('answers dates as epoch seconds', async () => {
    const r = await signedPost(h.url, {
      target: 'AWSStepFunctions.CreateStateMachine',
      body: JSON.stringify({ name: 'Dated', definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', roleArn: ROLE }),
    });
    const creationDate = r.body['creationDate'] as number;
    expect(typeof creationDate).toBe('number');
    expect(Math.abs(creationDate - Date.now() / 1000)).toBeLessThan(60);
  });
});

describe('--require-auth', () => {
  it('refuses to start without configured credentials', async () => {
    await expect(startServer({ port: 0, host: '127.0.0.1', requireAuth: true, databaseUrl: 'sqlite::memory:' }, { log: () => undefined })).rejects.toThrow(/needs configured credentials/);
  });

  it('accepts only the configured key, not test/test', async () => {
    const h = await startHarness({ args: { requireAuth: true, credentials: [{ accessKeyId: 'AKIDLOCAL', secretAccessKey: 's3cret' }] } });
    try {
      await expect(h.client({ accessKeyId: 'AKIDLOCAL', secretAccessKey: 's3cret' }).send(new ListStateMachinesCommand({}))).resolves.toBeDefined();
      expect(await errorName(h.client().send(new ListStateMachinesCommand({})))).toBe('UnrecognizedClientException');
    } finally {
      await h.stop();
    }
  });
});

describe('the API app in-process (app.request, no socket)', () => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await sqliteStore();
  });
  afterAll(async () => ts.cleanup());

  it('checks signatures against the API clock', async () => {
    const clock = new FakeClock(Date.UTC(2020, 0, 1));
    const stateMachines = new StateMachineService({ store: ts.store, clock });
    const executions = new ExecutionService({ store: ts.store, clock });
    const app = createApi({ stateMachines, executions, queries: new ExecutionQueries({ store: ts.store, clock, stateMachines }), clock });
    const health = await app.request('/health');
    expect(health.status).toBe(200);
    // Signed now, but the API's clock says 2020: the signature is from the future.
    const res = await app.request('/', {
      method: 'POST',
      headers: {
        host: 'localhost',
        'x-amz-target': LIST,
        'x-amz-date': '20260101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/states/aws4_request, SignedHeaders=host;x-amz-date, Signature=00',
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await res.json()).toMatchObject({ __type: 'com.amazonaws.sfn#InvalidSignatureException', message: expect.stringMatching(/^Signature not yet current/) });
  });
});
