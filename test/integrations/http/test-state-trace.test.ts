/**
 * TestState's TRACE level on an HTTP Task reports the HTTP request and response (AWS's "Using
 * TRACE inspectionLevel and revealSecrets"): what the connection added only with revealSecrets,
 * nothing of it at DEBUG.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInvoker } from '../../../src/engine/local-run.js';
import { httpInvoker } from '../../../src/integrations/http/index.js';
import { TestStateService } from '../../../src/service/test-state.js';
import { json, startServer, type TestServer } from './server.js';

const none: TaskInvoker = { invoke: () => Promise.reject(new Error('not this resource')) };
const ROLE = 'arn:aws:iam::123456789012:role/myRole';

let server: TestServer;
let service: TestStateService;
beforeAll(async () => {
  server = await startServer((req, res) => (req.url.startsWith('/missing') ? json(res, 404, { message: 'gone' }) : json(res, 200, { args: req.url })));
  const invoker = httpInvoker(
    [{ name: 'MyConnection', authorization: { type: 'BASIC', username: 'u', password: 'p' }, invocationHttpParameters: { headers: { CustomHeader1: 'CustomHeaderValue1' }, queryString: { QueryParam1: 'QueryParamValue1' }, body: { BodyKey1: 'BodyValue1' } } }],
    { region: 'us-east-1' },
    none,
  );
  service = new TestStateService({ invoker });
});
afterAll(() => server.close());

const definition = (path: string) =>
  JSON.stringify({
    Type: 'Task',
    Resource: 'arn:aws:states:::http:invoke',
    Parameters: {
      Method: 'GET',
      Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/MyConnection/0000000-0000-0000-0000-000000000000' },
      ApiEndpoint: `${server.url}${path}`,
      Headers: { definitionHeader: 'h1' },
      RequestBody: { message: 'Hello from Step Functions!' },
      QueryParameters: { queryParam: 'q1' },
    },
    End: true,
  });

describe('TestState TRACE on an HTTP Task', () => {
  it('with revealSecrets reports the request as sent, the connection’s additions included, and the response', async () => {
    const r = await service.test({ definition: definition('/get'), roleArn: ROLE, inspectionLevel: 'TRACE', revealSecrets: true });
    expect(r.status).toBe('SUCCEEDED');
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(r.inspectionData?.request).toEqual({
      protocol: 'http',
      method: 'GET',
      url: `${server.url}/get?queryParam=q1&QueryParam1=QueryParamValue1`,
      headers: `[definitionHeader: h1, Authorization: ${basic}, CustomHeader1: CustomHeaderValue1, User-Agent: Amazon|StepFunctions|HttpInvoke|us-east-1, Range: bytes=0-262144, Content-Type: application/json; charset=UTF-8]`,
      body: '{"message":"Hello from Step Functions!","BodyKey1":"BodyValue1"}',
    });
    const response = r.inspectionData?.response;
    expect(response).toMatchObject({ protocol: 'http', statusCode: '200', statusMessage: 'OK', body: JSON.stringify({ args: '/get?queryParam=q1&QueryParam1=QueryParamValue1' }) });
    expect(response?.headers).toMatch(/^\[content-type: application\/json, .*\]$/);
    expect(JSON.parse(r.inspectionData?.result ?? '{}')).toMatchObject({ StatusCode: 200, StatusText: 'OK' });
  });

  it('without revealSecrets leaves out what the connection added', async () => {
    const r = await service.test({ definition: definition('/get'), roleArn: ROLE, inspectionLevel: 'TRACE' });
    const request = r.inspectionData?.request;
    expect(request?.url).toBe(`${server.url}/get?queryParam=q1`);
    expect(request?.headers).toBe('[definitionHeader: h1, User-Agent: Amazon|StepFunctions|HttpInvoke|us-east-1, Range: bytes=0-262144, Content-Type: application/json; charset=UTF-8]');
    expect(request?.body).toBe('{"message":"Hello from Step Functions!"}');
    expect(r.inspectionData?.response?.statusCode).toBe('200');
  });

  it('reports the exchange of a failed call too, and nothing of it at DEBUG', async () => {
    const traced = await service.test({ definition: definition('/missing'), roleArn: ROLE, inspectionLevel: 'TRACE' });
    expect(traced.status).toBe('FAILED');
    expect(traced.error).toBe('States.Http.StatusCode.404');
    expect(traced.inspectionData?.response).toMatchObject({ statusCode: '404', statusMessage: 'Not Found', body: '{"message":"gone"}' });
    const debug = await service.test({ definition: definition('/get'), roleArn: ROLE, inspectionLevel: 'DEBUG' });
    expect(debug.inspectionData?.request).toBeUndefined();
    expect(debug.inspectionData?.response).toBeUndefined();
  });
});
