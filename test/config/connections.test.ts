/**
 * stepwise.yaml `connections`: EventBridge connections for HTTP Tasks, with API_KEY, BASIC or
 * OAUTH_CLIENT_CREDENTIALS authorization and invocation parameters; what EventBridge would refuse
 * is refused with its line and column, and no message repeats a secret.
 */
import { describe, expect, it } from 'vitest';
import { serveArgsFromConfig } from '../../src/cli/serve-config.js';
import { configFixture } from './fixture.js';

const { load, refusal } = configFixture('connections');

describe('stepwise.yaml connections', () => {
  it('reads each authorization type with its invocation parameters, and hands them to the server', () => {
    const config = load(`connections:
  stripe:
    authorization:
      type: API_KEY
      name: Authorization
      value: Bearer sk_test_123
    invocationHttpParameters:
      headers:
        Stripe-Version: "2024-06-20"
      queryString:
        limit: 10
      body:
        livemode: false
  partner:
    authorization:
      type: BASIC
      username: stepwise
      password: hunter2
  crm:
    authorization:
      type: OAUTH_CLIENT_CREDENTIALS
      authorizationEndpoint: https://auth.example.com/oauth2/token
      clientId: stepwise
      clientSecret: change-me
      httpParameters:
        body:
          scope: orders:read
`);
    expect(config.connections).toEqual([
      {
        name: 'stripe',
        authorization: { type: 'API_KEY', name: 'Authorization', value: 'Bearer sk_test_123' },
        invocationHttpParameters: { headers: { 'Stripe-Version': '2024-06-20' }, queryString: { limit: '10' }, body: { livemode: 'false' } },
      },
      { name: 'partner', authorization: { type: 'BASIC', username: 'stepwise', password: 'hunter2' } },
      {
        name: 'crm',
        authorization: { type: 'OAUTH_CLIENT_CREDENTIALS', authorizationEndpoint: 'https://auth.example.com/oauth2/token', clientId: 'stepwise', clientSecret: 'change-me', httpMethod: 'POST', httpParameters: { body: { scope: 'orders:read' } } },
      },
    ]);
    expect(serveArgsFromConfig(config).connections).toEqual(config.connections);
  });

  it('has no connections when the section is absent', () => {
    expect(load('server:\n  port: 9000\n').connections).toBeUndefined();
  });

  it('refuses a connection name EventBridge would refuse, at its line', () => {
    expect(refusal('connections:\n  "bad name":\n    authorization: {type: BASIC, username: u, password: p}\n')).toMatch(/^stepwise\.yaml:2:3: connection name 'bad name' must be 1 to 64/);
  });

  it('refuses an unknown authorization type, and a key that belongs to another type', () => {
    expect(refusal('connections:\n  c:\n    authorization:\n      type: DIGEST\n')).toMatch(/^stepwise\.yaml:4:13: connections\.c\.authorization\.type must be one of API_KEY, BASIC, OAUTH_CLIENT_CREDENTIALS/);
    expect(refusal('connections:\n  c:\n    authorization:\n      type: BASIC\n      username: u\n      password: p\n      clientId: x\n')).toMatch(/^stepwise\.yaml:7:7: unknown key 'clientId'/);
  });

  it('refuses missing credentials without repeating the ones given', () => {
    const message = refusal('connections:\n  c:\n    authorization:\n      type: API_KEY\n      value: super-secret-key\n');
    expect(message).toMatch(/^stepwise\.yaml:4:7: connections\.c\.authorization of type API_KEY needs name, value/);
    expect(message).not.toContain('super-secret-key');
  });

  it('refuses a header AWS does not allow in an HTTP Task among the invocation headers', () => {
    expect(refusal('connections:\n  c:\n    authorization: {type: BASIC, username: u, password: p}\n    invocationHttpParameters:\n      headers:\n        Host: example.com\n')).toMatch(
      /^stepwise\.yaml:6:9: connections\.c\.invocationHttpParameters\.headers: the header 'Host' cannot be set/,
    );
  });

  it('refuses an OAuth endpoint that is not an http(s) URL, and an HTTP method EventBridge does not take', () => {
    const oauth = (extra: string) => `connections:\n  c:\n    authorization:\n      type: OAUTH_CLIENT_CREDENTIALS\n      clientId: id\n      clientSecret: s\n${extra}`;
    expect(refusal(oauth('      authorizationEndpoint: ftp://auth.example.com\n'))).toMatch(/^stepwise\.yaml:7:30: connections\.c\.authorization\.authorizationEndpoint must be an https:\/\//);
    expect(refusal(oauth('      authorizationEndpoint: https://auth.example.com\n      httpMethod: DELETE\n'))).toMatch(/^stepwise\.yaml:8:19: connections\.c\.authorization\.httpMethod must be one of GET, POST, PUT/);
  });
});
