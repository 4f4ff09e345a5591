/**
 * arn:aws:states:::http:invoke through runLocal against a real HTTP server on 127.0.0.1: the
 * request AWS documents (method, query, JSON or URL-encoded body, the headers Step Functions sets),
 * the connection's authorization and invocation parameters merged as AWS merges them, the result
 * shape, and the errors (States.Http.StatusCode.<code>, States.Http.Socket, connection errors).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../../src/lib/json.js';
import { runLocal, type TaskInvoker } from '../../../src/engine/local-run.js';
import { httpInvoker, type HttpConnection, type HttpInvokerOptions } from '../../../src/integrations/http/index.js';
import { closedPort, json, startServer, type TestServer } from './server.js';

const none: TaskInvoker = { invoke: () => Promise.reject(new Error('not this resource')) };
const ACCOUNT_ARN = (name: string) => `arn:aws:events:us-east-1:123456789012:connection/${name}/81210c42-8af1-456b-9c4a-6ff02fc664ac`;

const CONNECTIONS: HttpConnection[] = [
  { name: 'apikey', authorization: { type: 'API_KEY', name: 'x-api-key', value: 'key-123' } },
  { name: 'basic', authorization: { type: 'BASIC', username: 'myUsername', password: 'myPassword' } },
  {
    name: 'merged',
    authorization: { type: 'API_KEY', name: 'ApiKey', value: 'key_value' },
    invocationHttpParameters: { headers: { 'Header-Param': 'connection_header_param' }, queryString: { QueryParam: 'connection_query_param' }, body: { BodyParam: 'connection_body_param' } },
  },
];

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/missing') return json(res, 404, { message: 'no such customer' });
    if (path === '/text') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Multi': ['a', 'b'] });
      return res.end('plain words');
    }
    if (path === '/image') {
      res.writeHead(200, { 'Content-Type': 'image/png' });
      return res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    }
    if (path === '/huge') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return res.end('x'.repeat(300 * 1024));
    }
    if (path === '/never') return; // no answer at all
    json(res, 200, { echoed: true, method: req.method });
  });
});
afterAll(() => server.close());

function task(parameters: JsonObject): JsonObject {
  return { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: parameters, End: true } } };
}

function run(definition: JsonObject, input: Json = {}, connections: HttpConnection[] = CONNECTIONS, opts: Partial<HttpInvokerOptions> = {}) {
  const invoker = httpInvoker(connections, { region: 'eu-west-1', ...opts }, none);
  return runLocal(definition, input, { invoker, region: 'eu-west-1' });
}

function last() {
  const r = server.received.at(-1);
  if (!r) throw new Error('the server received nothing');
  return r;
}

describe('http:invoke requests', () => {
  it('GETs with the query parameters URL-encoded after the endpoint’s own, Step Functions’ User-Agent and Range, and answers {Headers, ResponseBody, StatusCode, StatusText}', async () => {
    const r = await run(task({ ApiEndpoint: `${server.url}/v1/customers?limit=2`, Method: 'GET', Authentication: { ConnectionArn: ACCOUNT_ARN('apikey') }, QueryParameters: { currency: 'usd', q: 'a b&c', tags: ['x', 'y'] } }));
    expect(r.status).toBe('SUCCEEDED');
    const got = last();
    expect(got.method).toBe('GET');
    expect(got.url).toBe('/v1/customers?limit=2&currency=usd&q=a%20b%26c&tags=x&tags=y');
    expect(got.headers['user-agent']).toBe('Amazon|StepFunctions|HttpInvoke|eu-west-1');
    expect(got.headers['range']).toBe('bytes=0-262144');
    expect(got.headers['x-api-key']).toBe('key-123');
    expect(got.headers['content-type']).toBeUndefined();
    const out = JSON.parse(r.output!) as { Headers: Record<string, string[]>; ResponseBody: unknown; StatusCode: number; StatusText: string };
    expect(Object.keys(out)).toEqual(['Headers', 'ResponseBody', 'StatusCode', 'StatusText']);
    expect(out.ResponseBody).toEqual({ echoed: true, method: 'GET' });
    expect(out.StatusCode).toBe(200);
    expect(out.StatusText).toBe('OK');
    expect(out.Headers['content-type']).toEqual(['application/json']);
  });

  it('POSTs a JSON RequestBody (paths resolved) as application/json; charset=UTF-8; a text response stays text and repeated headers are listed', async () => {
    const def = task({
      ApiEndpoint: `${server.url}/text`,
      Method: 'POST',
      Authentication: { ConnectionArn: ACCOUNT_ARN('apikey') },
      Headers: { 'Request-Id': 'r-1' },
      RequestBody: { Card: { 'Number.$': '$.CardNumber', Name: 'John Doe' }, Count: 2 },
    });
    const r = await run(def, { CardNumber: '1234567890' });
    expect(r.status).toBe('SUCCEEDED');
    const got = last();
    expect(got.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(got.headers['request-id']).toBe('r-1');
    expect(JSON.parse(got.body)).toEqual({ Card: { Number: '1234567890', Name: 'John Doe' }, Count: 2 });
    const out = JSON.parse(r.output!) as { Headers: Record<string, string[]>; ResponseBody: unknown };
    expect(out.ResponseBody).toBe('plain words');
    expect(out.Headers['x-multi']).toEqual(['a', 'b']);
  });

  const BODY = { description: 'Monthly subscription', array: ['a', 'b', 'c', 'd'], metadata: { order_details: 'monthly report data' } };
  const COMMON = 'description=Monthly%20subscription&';
  const META = '&metadata%5Border_details%5D=monthly%20report%20data';
  it.each([
    ['INDICES', `${COMMON}array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c&array%5B3%5D=d${META}`],
    ['REPEAT', `${COMMON}array=a&array=b&array=c&array=d${META}`],
    ['COMMAS', `${COMMON}array=a,b,c,d${META}`],
    ['BRACKETS', `${COMMON}array%5B%5D=a&array%5B%5D=b&array%5B%5D=c&array%5B%5D=d${META}`],
  ])('URL-encodes the RequestBody with ArrayFormat %s', async (format, expected) => {
    const r = await run(
      task({
        ApiEndpoint: `${server.url}/form`,
        Method: 'POST',
        Authentication: { ConnectionArn: ACCOUNT_ARN('basic') },
        Headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        RequestBody: BODY,
        Transform: { RequestBodyEncoding: 'URL_ENCODED', RequestEncodingOptions: { ArrayFormat: format } },
      }),
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(last().body).toBe(expected);
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('uses INDICES when Transform names no ArrayFormat, as AWS does', async () => {
    await run(task({ ApiEndpoint: `${server.url}/form`, Method: 'PUT', Authentication: { ConnectionArn: 'basic' }, RequestBody: { a: [1, true] }, Transform: { RequestBodyEncoding: 'URL_ENCODED' } }));
    expect(last().body).toBe('a%5B0%5D=1&a%5B1%5D=true');
    expect(last().headers['content-type']).toBe('application/x-www-form-urlencoded');
  });
});

describe('http:invoke connections', () => {
  it('sends a BASIC connection’s credentials as Authorization: Basic', async () => {
    const r = await run(task({ ApiEndpoint: `${server.url}/b`, Method: 'DELETE', Authentication: { ConnectionArn: ACCOUNT_ARN('basic') } }));
    expect(r.status).toBe('SUCCEEDED');
    expect(last().headers['authorization']).toBe(`Basic ${Buffer.from('myUsername:myPassword').toString('base64')}`);
  });

  it('merges the connection’s invocation parameters over the task’s, as AWS’s data-merging example shows', async () => {
    const r = await run(
      task({
        Authentication: { ConnectionArn: ACCOUNT_ARN('merged') },
        ApiEndpoint: `${server.url}/path`,
        Method: 'POST',
        Headers: { 'Request-Id': 'my_request_id', 'Header-Param': 'state_machine_header_param' },
        RequestBody: { Job: 'Software Engineer', Company: 'AnyCompany', BodyParam: 'state_machine_body_param' },
        QueryParameters: { QueryParam: 'state_machine_query_param' },
      }),
    );
    expect(r.status).toBe('SUCCEEDED');
    const got = last();
    expect(got.url).toBe('/path?QueryParam=connection_query_param');
    expect(got.headers['apikey']).toBe('key_value');
    expect(got.headers['header-param']).toBe('connection_header_param');
    expect(got.headers['request-id']).toBe('my_request_id');
    expect(got.body).toBe('{"Job":"Software Engineer","Company":"AnyCompany","BodyParam":"connection_body_param"}');
  });

  it('cannot merge body parameters into a string RequestBody: States.Runtime', async () => {
    const r = await run(task({ Authentication: { ConnectionArn: ACCOUNT_ARN('merged') }, ApiEndpoint: `${server.url}/path`, Method: 'POST', RequestBody: 'raw text' }));
    expect(r.error).toBe('States.Runtime');
  });

  it('finds a connection by the name in its ARN, whatever the ARN’s region, account and uuid; InvocationConfig works as Authentication does', async () => {
    const r = await run(task({ ApiEndpoint: `${server.url}/x`, Method: 'GET', InvocationConfig: { ConnectionArn: 'arn:aws:events:us-east-2:999999999999:connection/apikey/00000000-0000-0000-0000-000000000000' } }));
    expect(r.status).toBe('SUCCEEDED');
    expect(last().headers['x-api-key']).toBe('key-123');
  });

  it('fails an unknown connection with Events.ConnectionResource.ResourceNotFound, calling nothing', async () => {
    const before = server.received.length;
    const r = await run(task({ ApiEndpoint: `${server.url}/x`, Method: 'GET', Authentication: { ConnectionArn: ACCOUNT_ARN('Stripe') } }));
    expect(r.error).toBe('Events.ConnectionResource.ResourceNotFound');
    expect(r.cause).toBe("Failed to describe the connection(s). Connection 'Stripe' does not exist.");
    expect(server.received.length).toBe(before);
  });
});

describe('http:invoke OAuth client credentials', () => {
  let api: TestServer;
  let tokens = 0;
  let clock = Date.UTC(2026, 0, 1);
  const oauth = (): HttpConnection => ({
    name: 'crm',
    authorization: {
      type: 'OAUTH_CLIENT_CREDENTIALS',
      authorizationEndpoint: `${api.url}/oauth2/token`,
      clientId: 'client-1',
      clientSecret: 's3cret',
      httpMethod: 'POST',
      httpParameters: { body: { scope: 'orders:read' }, headers: { 'X-Tenant': 't1' } },
    },
  });
  beforeAll(async () => {
    api = await startServer((req, res) => {
      if (req.url.startsWith('/oauth2/token')) {
        const ok = req.headers['authorization'] === `Basic ${Buffer.from('client-1:s3cret').toString('base64')}` && req.headers['x-tenant'] === 't1';
        if (!ok) return json(res, 401, { error: 'invalid_client' });
        tokens++;
        return json(res, 200, { access_token: `tok-${tokens}`, token_type: 'Bearer', expires_in: 3600 });
      }
      if (req.url.startsWith('/refuse')) return json(res, 401, { error: 'expired' });
      json(res, 200, { ok: true });
    });
  });
  afterAll(() => api.close());
  const call = (invoker: TaskInvoker, path = '/orders') => runLocal(task({ ApiEndpoint: `${api.url}${path}`, Method: 'GET', Authentication: { ConnectionArn: 'crm' } }), {}, { invoker });

  it('fetches a token with the client credentials and the connection’s OAuth parameters, reuses it until 60 s before it expires, then fetches another', async () => {
    const invoker = httpInvoker([oauth()], { region: 'us-east-1', now: () => clock }, none);
    expect((await call(invoker)).status).toBe('SUCCEEDED');
    const tokenRequest = api.received.find((r) => r.url.startsWith('/oauth2/token'));
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(tokenRequest?.body)).toEqual(new URLSearchParams({ scope: 'orders:read', grant_type: 'client_credentials' }));
    await call(invoker);
    clock += 3540_000 - 1;
    await call(invoker);
    const bearers = () => api.received.filter((r) => r.url === '/orders').map((r) => r.headers['authorization']);
    expect(bearers()).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
    expect(tokens).toBe(1);
    clock += 1;
    await call(invoker);
    expect(bearers().at(-1)).toBe('Bearer tok-2');
    expect(tokens).toBe(2);
  });

  it('drops the token when the API answers 401, so that the next call fetches a new one', async () => {
    const invoker = httpInvoker([oauth()], { region: 'us-east-1', now: () => clock }, none);
    const before = tokens;
    const refused = await call(invoker, '/refuse');
    expect(refused.error).toBe('States.Http.StatusCode.401');
    await call(invoker);
    expect(tokens).toBe(before + 2);
  });

  it('fails the task with Events.ConnectionResource.InvalidConnectionState when the authorization endpoint refuses, without the secret in the cause', async () => {
    const bad: HttpConnection = { ...oauth(), authorization: { ...(oauth().authorization as Extract<HttpConnection['authorization'], { type: 'OAUTH_CLIENT_CREDENTIALS' }>), clientSecret: 'wrong' } };
    const r = await call(httpInvoker([bad], { region: 'us-east-1' }, none));
    expect(r.error).toBe('Events.ConnectionResource.InvalidConnectionState');
    expect(r.cause).toContain('401');
    expect(r.cause).not.toContain('wrong');
  });
});

describe('http:invoke errors', () => {
  const get = (path: string) => task({ ApiEndpoint: `${server.url}${path}`, Method: 'GET', Authentication: { ConnectionArn: ACCOUNT_ARN('apikey') } });

  it('fails a 404 with States.Http.StatusCode.404 and the status text as the cause', async () => {
    const r = await run(get('/missing'));
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Http.StatusCode.404');
    expect(r.cause).toBe('Not Found');
  });

  it('lets a Catch on States.Http.StatusCode.404 take the error', async () => {
    const def = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Parameters: { ApiEndpoint: `${server.url}/missing`, Method: 'GET', Authentication: { ConnectionArn: ACCOUNT_ARN('apikey') } },
          Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.error', Next: 'Recover' }],
          End: true,
        },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const r = await run(def, { id: 7 });
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output!)).toEqual({ id: 7, error: { Error: 'States.Http.StatusCode.404', Cause: 'Not Found' } });
  });

  it('fails a refused connection with States.Http.Socket', async () => {
    const port = await closedPort();
    const r = await run(task({ ApiEndpoint: `http://127.0.0.1:${port}/x`, Method: 'GET', Authentication: { ConnectionArn: 'apikey' } }));
    expect(r.error).toBe('States.Http.Socket');
    expect(r.cause).toBe(`Connection refused: 127.0.0.1:${port}`);
  });

  it('fails with States.Http.Socket when no answer comes in time (60 s on AWS)', async () => {
    const r = await run(get('/never'), {}, CONNECTIONS, { timeoutMs: 150 });
    expect(r.error).toBe('States.Http.Socket');
  });

  it('refuses a header AWS does not allow in Headers with States.Runtime, before calling', async () => {
    const before = server.received.length;
    const r = await run(task({ ApiEndpoint: `${server.url}/x`, Method: 'GET', Authentication: { ConnectionArn: 'apikey' }, Headers: { 'X-Amz-Date': 'now' } }));
    expect(r.error).toBe('States.Runtime');
    expect(server.received.length).toBe(before);
  });

  it('refuses a Method AWS does not list with States.Runtime', async () => {
    const r = await run(task({ ApiEndpoint: `${server.url}/x`, Method: 'TRACE', Authentication: { ConnectionArn: 'apikey' } }));
    expect(r.error).toBe('States.Runtime');
  });

  it('fails a binary response with States.Runtime (AWS reads text responses only)', async () => {
    const r = await run(get('/image'));
    expect(r.error).toBe('States.Runtime');
  });

  it('fails a response past the payload quota with States.DataLimitExceeded', async () => {
    const r = await run(get('/huge'));
    expect(r.error).toBe('States.DataLimitExceeded');
  });

  it('leaves other resources to the next invoker', async () => {
    const next: TaskInvoker = { invoke: async (req) => ({ passed: req.resource }) };
    const invoker = httpInvoker(CONNECTIONS, { region: 'us-east-1' }, next);
    const r = await runLocal({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', End: true } } }, {}, { invoker });
    expect(JSON.parse(r.output!)).toEqual({ passed: 'arn:aws:states:::events:putEvents' });
  });
});
