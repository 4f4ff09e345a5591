/**
 * Who may use the console: with sign-in required (`--require-auth`, or off loopback) nothing but
 * the sign-in page and the static assets answers without a session; sessions come from the
 * configured access keys only, live in an HttpOnly SameSite=Strict cookie, expire, and end at
 * sign-out; every state-changing POST needs the session's CSRF token and the console's origin.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../../src/console/app/index.js';
import { matchCredential, safeNext } from '../../../src/console/app/auth.js';
import { ConsoleClient, executionPath } from './client.js';
import { KEY, PIPELINE, startWorld, type World } from './world.js';

let world: World;
let finished: string;

beforeAll(async () => {
  world = await startWorld({ requireAuth: true });
  finished = await world.startPipeline('auth-ok');
  await world.waitForStatus(finished, 'SUCCEEDED');
});
afterAll(async () => world?.stop());

const machinePath = `/console/machines/${PIPELINE}`;

describe('without a session, when sign-in is required', () => {
  it.each(['/console', '/console/', machinePath, '/console/machines/Nope', '/console/executions/x', '/console/anything/else'])('GET %s redirects to the sign-in page', async (path) => {
    const r = await new ConsoleClient(world.app).get(path);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toMatch(/^\/console\/login\?next=/);
    expect(r.text).not.toContain(PIPELINE);
  });

  it('keeps where the user was going, inside the console only', async () => {
    const r = await new ConsoleClient(world.app).get(`${machinePath}?status=FAILED`);
    expect(decodeURIComponent(r.headers.get('location') ?? '')).toBe(`/console/login?next=${machinePath}?status=FAILED`);
  });

  it('answers the JSON API with 401 and no data', async () => {
    const r = await new ConsoleClient(world.app).get(`/console/api/executions/${encodeURIComponent(finished)}`);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text)).toEqual({ error: 'Unauthorized', message: 'Sign in to the console first.' });
  });

  it('refuses to start, stop or redrive anything', async () => {
    const c = new ConsoleClient(world.app);
    const start = await c.post('/console/actions/start', { stateMachineArn: world.machineArn, name: 'sneaky', input: '{}' });
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toMatch(/^\/console\/login/);
    await expect(world.deps.queries.execution(`${world.machineArn.replace(':stateMachine:', ':execution:')}:sneaky`)).rejects.toThrow(/Does Not Exist/);
    const stop = await c.post('/console/actions/stop', { executionArn: finished });
    expect(stop.status).toBe(303);
    expect(stop.headers.get('location')).toMatch(/^\/console\/login/);
  });

  it('still serves the sign-in page and the assets', async () => {
    const c = new ConsoleClient(world.app);
    const login = await c.get('/console/login');
    expect(login.status).toBe(200);
    expect(login.text).toContain('data-login-form');
    expect((await c.get('/console/assets/console.css')).status).toBe(200);
    expect((await c.get('/console/assets/console.js')).status).toBe(200);
  });
});

describe('signing in', () => {
  it('refuses a wrong secret, an unknown key, and the loopback default test/test', async () => {
    for (const key of [
      { accessKeyId: KEY.accessKeyId, secretAccessKey: 'wrong' },
      { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: KEY.secretAccessKey },
      { accessKeyId: 'test', secretAccessKey: 'test' },
    ]) {
      const c = new ConsoleClient(world.app);
      const r = await c.signIn(key);
      expect(r.status).toBe(401);
      expect(r.text).toContain('Sign-in failed');
      expect(c.cookies.has('stepwise_session')).toBe(false);
      expect((await c.get('/console/')).status).toBe(302);
    }
  });

  it('accepts a configured key and keeps the session in an HttpOnly, SameSite=Strict cookie', async () => {
    const c = new ConsoleClient(world.app);
    await c.get('/console/login');
    const r = await c.post('/console/login', { _csrf: c.csrf, next: machinePath, ...KEY });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(machinePath);
    const cookie = r.headers.getSetCookie().find((s) => s.startsWith('stepwise_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie).not.toContain(KEY.secretAccessKey);
    const page = await c.get(machinePath);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Signed in as <span class="mono" data-user>${KEY.accessKeyId}</span>`);
  });

  it('needs the sign-in form’s CSRF token (login CSRF)', async () => {
    const c = new ConsoleClient(world.app);
    await c.get('/console/login');
    expect((await c.post('/console/login', { next: '/console/', ...KEY })).status).toBe(403);
    const fresh = new ConsoleClient(world.app);
    expect((await fresh.post('/console/login', { _csrf: c.csrf, next: '/console/', ...KEY })).status).toBe(403);
  });

  it('never sends the user off the console after signing in', async () => {
    const c = new ConsoleClient(world.app);
    await c.get('/console/login');
    const r = await c.post('/console/login', { _csrf: c.csrf, next: 'https://evil.example/console/', ...KEY });
    expect(r.headers.get('location')).toBe('/console/');
    expect(safeNext('//evil.example/x', '/console')).toBe('/console/');
    expect(safeNext('/console//evil.example', '/console')).toBe('/console/');
    expect(safeNext('/console/machines/A?status=FAILED', '/console')).toBe('/console/machines/A?status=FAILED');
  });

  it('matches credentials exactly', () => {
    const keys = [KEY, { accessKeyId: 'AKIA2', secretAccessKey: 's2' }];
    expect(matchCredential(keys, 'AKIA2', 's2')).toBe(keys[1]);
    expect(matchCredential(keys, 'AKIA2', KEY.secretAccessKey)).toBeUndefined();
    expect(matchCredential(keys, KEY.accessKeyId.toLowerCase(), KEY.secretAccessKey)).toBeUndefined();
    expect(matchCredential([], 'test', 'test')).toBeUndefined();
  });
});

describe('state-changing requests', () => {
  it('need the session’s CSRF token', async () => {
    const c = new ConsoleClient(world.app);
    await c.signIn(KEY);
    const page = await c.get(machinePath);
    expect(page.text).toContain('name="_csrf"');
    const without = await c.post('/console/actions/start', { stateMachineArn: world.machineArn, name: 'no-token', input: '{}' });
    expect(without.status).toBe(403);
    expect(without.text).toContain('no valid CSRF token');
    const wrong = await c.post('/console/actions/start', { _csrf: 'x'.repeat(43), stateMachineArn: world.machineArn, name: 'wrong-token', input: '{}' });
    expect(wrong.status).toBe(403);
    // Another session's token is no good either.
    const other = new ConsoleClient(world.app);
    await other.signIn(KEY);
    await other.get(machinePath);
    const stolen = await c.post('/console/actions/start', { _csrf: other.csrf, stateMachineArn: world.machineArn, name: 'other-token', input: '{}' });
    expect(stolen.status).toBe(403);
    for (const name of ['no-token', 'wrong-token', 'other-token']) {
      await expect(world.deps.queries.execution(`${world.machineArn.replace(':stateMachine:', ':execution:')}:${name}`)).rejects.toThrow(/Does Not Exist/);
    }
    await c.get(machinePath);
    const ok = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, name: 'with-token', input: '{}' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(executionPath(`${world.machineArn.replace(':stateMachine:', ':execution:')}:with-token`));
  });

  it('are refused from another origin, even with the token', async () => {
    const c = new ConsoleClient(world.app);
    await c.signIn(KEY);
    await c.get(machinePath);
    const form = { _csrf: c.csrf, executionArn: finished };
    expect((await c.post('/console/actions/stop', form, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await c.post('/console/actions/stop', form, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await c.post('/console/actions/stop', form, { origin: 'http://localhost' })).status).toBe(303);
  });

  it('are forms, nothing else', async () => {
    const c = new ConsoleClient(world.app);
    await c.signIn(KEY);
    await c.get(machinePath);
    const res = await world.app.request('/console/actions/stop', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `stepwise_session=${c.cookies.get('stepwise_session') ?? ''}`, 'x-csrf-token': c.csrf },
      body: JSON.stringify({ executionArn: finished }),
    });
    expect(res.status).toBe(415);
  });
});

describe('sessions', () => {
  it('end at sign-out (which needs the token too)', async () => {
    const c = new ConsoleClient(world.app);
    await c.signIn(KEY);
    const sid = c.cookies.get('stepwise_session');
    await c.get('/console/');
    expect((await c.post('/console/logout', {})).status).toBe(403);
    const out = await c.post('/console/logout', { _csrf: c.csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/login');
    // Even a copy of the old cookie no longer opens anything.
    const replay = await world.app.request('/console/', { headers: { cookie: `stepwise_session=${sid ?? ''}` } });
    expect(replay.status).toBe(302);
  });

  it('expire', async () => {
    let now = Date.UTC(2026, 0, 1);
    const app = new Hono();
    app.route('/console', consoleRoutes({ ...world.deps, sessionTtlMs: 60_000, now: () => now }));
    const c = new ConsoleClient(app);
    await c.signIn(KEY);
    expect((await c.get('/console/')).status).toBe(200);
    now += 59_000;
    expect((await c.get('/console/')).status).toBe(200);
    now += 2_000;
    expect((await c.get('/console/')).status).toBe(302);
  });

  it('slow down guessing: after 10 failures for a key within 5 minutes, even the right secret waits', async () => {
    let now = Date.UTC(2026, 0, 1);
    const app = new Hono();
    app.route('/console', consoleRoutes({ ...world.deps, now: () => now }));
    const c = new ConsoleClient(app);
    for (let i = 0; i < 10; i++) expect((await c.signIn({ accessKeyId: KEY.accessKeyId, secretAccessKey: `guess-${i}` })).status).toBe(401);
    const refused = await c.signIn(KEY);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(300);
    expect(refused.text).toContain('Too many failed sign-ins for this access key');
    // Another key is not held up by this one's failures.
    expect((await new ConsoleClient(app).signIn({ accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' })).status).toBe(401);
    now += 5 * 60_000 + 1;
    expect((await c.signIn(KEY)).status).toBe(303);
    expect((await c.get('/console/')).status).toBe(200);
  });

  it('are not shared between two consoles (another process signs in again)', async () => {
    const c = new ConsoleClient(world.app);
    await c.signIn(KEY);
    const other = new Hono();
    other.route('/console', consoleRoutes(world.deps));
    const r = await other.request('/console/', { headers: { cookie: `stepwise_session=${c.cookies.get('stepwise_session') ?? ''}` } });
    expect(r.status).toBe(302);
  });
});

describe('an open console (loopback without --require-auth)', () => {
  it('needs no sign-in, but still a CSRF token to change anything', async () => {
    const app = new Hono();
    app.route('/console', consoleRoutes({ ...world.deps, requireAuth: false }));
    const c = new ConsoleClient(app);
    const list = await c.get('/console/');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Open console (loopback)');
    expect((await c.get('/console/login')).status).toBe(303);
    await c.get(machinePath);
    expect(c.csrf).toMatch(/^[\w-]{43}$/);
    const arn = `${world.machineArn.replace(':stateMachine:', ':execution:')}:open-start`;
    expect((await c.post('/console/actions/start', { stateMachineArn: world.machineArn, name: 'open-start', input: '{}' })).status).toBe(403);
    // A forged form from another site carries no cookie of ours: its token cannot match.
    const forged = await app.request('/console/actions/start', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: c.csrf, stateMachineArn: world.machineArn, name: 'open-start', input: '{}' }).toString() });
    expect(forged.status).toBe(403);
    await expect(world.deps.queries.execution(arn)).rejects.toThrow(/Does Not Exist/);
    const ok = await c.post('/console/actions/start', { _csrf: c.csrf, stateMachineArn: world.machineArn, name: 'open-start', input: '{}' });
    expect(ok.status).toBe(303);
    await world.waitForStatus(arn, 'SUCCEEDED');
  });
});

describe('every answer', () => {
  it('forbids inline scripts, framing and sniffing', async () => {
    const r = await new ConsoleClient(world.app).get('/console/login');
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});
