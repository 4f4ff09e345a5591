/**
 * The web console as a Hono app to mount under `/console` (its `basePath`): server-rendered
 * pages, the diagram as inline SVG, one small script, and the JSON a running execution's page
 * polls under `/console/api/`. It reads and acts through the services, never over HTTP.
 *
 *   app.route('/console', consoleRoutes({ stateMachines, executions, queries, requireAuth: strict, credentials }));
 *
 * registered before any catch-all route (S3's REST API answers every other path).
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { parseStateMachineArn } from '../../service/arns.js';
import { ServiceError } from '../../service/errors.js';
import { redriveExecution, startExecution, stopExecution } from './actions.js';
import {
  anonymousCsrf,
  checkCsrf,
  checkSameOrigin,
  clearSessionCookie,
  ConsoleHttpError,
  CSRF_COOKIE,
  CSRF_FIELD,
  CSRF_HEADER,
  matchCredential,
  safeNext,
  sessionOf,
  setSessionCookie,
  type CookieScope,
} from './auth.js';
import { CONSOLE_JS } from './client-script.js';
import type { ConsoleDeps } from './deps.js';
import { executionPage, pollAnswer } from './execution-page.js';
import { STATUS_FILTERS, type ExecutionFilter } from './executions-list.js';
import { links, messagePage, type PageContext } from './layout.js';
import { loginPage } from './login-page.js';
import { CostCache, costFragment, machineCost } from './machine-cost.js';
import { machineArnOf, machineCostPage, machinePage, type StartFormState } from './machine-page.js';
import { machinesPage } from './machines-page.js';
import { SessionStore } from './session.js';
import { SignInThrottle } from './sign-in-throttle.js';
import type { StateMachine } from '../../service/state-machines.js';
import { CONSOLE_CSS } from './style.js';

export type { ConsoleCredential, ConsoleDeps, ConsoleLogEntry, ConsoleSchedule, ScheduleQuery } from './deps.js';
export type { MachineCost } from './machine-cost.js';

export const DEFAULT_SESSION_TTL_MS = 8 * 3600 * 1000;
/** The largest form the console accepts (an execution input is at most 256 KiB). */
const MAX_FORM_BYTES = 1024 * 1024;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

type Env = { Variables: { page: PageContext } };

export function consoleRoutes(deps: ConsoleDeps): Hono<Env> {
  const base = (deps.basePath ?? '/console').replace(/\/+$/, '');
  const ttlMs = deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const throttle = new SignInThrottle(deps.now ?? Date.now);
  const sessions = new SessionStore(ttlMs, deps.now ?? Date.now, 10_000, deps.sessions);
  const scope: CookieScope = { path: base || '/', ttlMs };
  const l = links(base);
  const onError = deps.onError ?? ((err: unknown) => console.error('stepwise console: unexpected error:', err));
  const isApi = (c: Context) => c.req.path.startsWith(`${base}/api/`);
  const costs = new CostCache(deps.now ?? Date.now);
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', CSP);
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('x-frame-options', 'DENY');
    c.res.headers.set('referrer-policy', 'same-origin');
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  app.use('*', bodyLimit({ maxSize: MAX_FORM_BYTES, onError: () => { throw new ConsoleHttpError(413, `The request is larger than ${MAX_FORM_BYTES} bytes.`); } }));

  // Open to all: the assets (no data in them) and the sign-in page.
  app.get('/assets/console.css', () => asset(CONSOLE_CSS, 'text/css; charset=utf-8'));
  app.get('/assets/console.js', () => asset(CONSOLE_JS, 'text/javascript; charset=utf-8'));

  app.get('/login', async (c) => {
    const next = safeNext(c.req.query('next'), base);
    if (!deps.requireAuth || (await sessionOf(c, sessions))) return c.redirect(next, 303);
    return c.html(loginPage(anonymousContext(c), next));
  });

  app.post('/login', async (c) => {
    checkSameOrigin(c);
    const form = await readForm(c);
    checkCsrf(getCookie(c, CSRF_COOKIE), form.get(CSRF_FIELD) ?? undefined);
    const next = safeNext(form.get('next') ?? undefined, base);
    if (!deps.requireAuth) return c.redirect(next, 303);
    const attempted = (form.get('accessKeyId') ?? '').slice(0, 128);
    const wait = throttle.retryAfter(attempted);
    if (wait > 0) {
      c.header('retry-after', String(Math.ceil(wait / 1000)));
      return c.html(loginPage(anonymousContext(c), next, `Too many failed sign-ins for this access key: try again in ${Math.ceil(wait / 1000)} s.`), 429);
    }
    const key = matchCredential(deps.credentials, attempted, form.get('secretAccessKey') ?? '');
    if (!key) {
      throttle.failed(attempted);
      return c.html(loginPage(anonymousContext(c), next, 'Sign-in failed: that access key id and secret access key are not configured on this server.'), 401);
    }
    throttle.succeeded(attempted);
    setSessionCookie(c, await sessions.create(key.accessKeyId), scope);
    return c.redirect(next, 303);
  });

  // Everything below needs a session when sign-in is required.
  app.use('*', async (c, next) => {
    if (!deps.requireAuth) {
      c.set('page', anonymousContext(c));
      return next();
    }
    const session = await sessionOf(c, sessions);
    if (!session) {
      if (isApi(c)) return c.json({ error: 'Unauthorized', message: 'Sign in to the console first.' }, 401);
      const wanted = c.req.method === 'GET' ? `${c.req.path}${new URL(c.req.url).search}` : `${base}/`;
      return c.redirect(`${l.login}?next=${encodeURIComponent(safeNext(wanted, base))}`, c.req.method === 'GET' ? 302 : 303);
    }
    c.set('page', { base, csrf: session.csrf, user: session.accessKeyId, requireAuth: true });
    return next();
  });

  // Every other POST changes something: same origin and the page's CSRF token, or nothing.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    checkSameOrigin(c);
    return next();
  });

  app.post('/logout', async (c) => {
    await readCheckedForm(c);
    const session = await sessionOf(c, sessions);
    if (session) await sessions.delete(session.id);
    clearSessionCookie(c, scope);
    return c.redirect(deps.requireAuth ? l.login : l.home, 303);
  });

  app.get('/', (c) => (c.req.path.endsWith('/') ? indexPage(c) : c.redirect(l.home, 301)));

  app.get('/machines/:name', async (c) => {
    const filter: ExecutionFilter = {
      status: (STATUS_FILTERS as readonly string[]).includes(c.req.query('status') ?? '') ? c.req.query('status') : undefined,
      search: c.req.query('q')?.trim() || undefined,
      nextToken: c.req.query('next') || undefined,
      startedAfter: c.req.query('startedAfter')?.trim() || undefined,
      startedBefore: c.req.query('startedBefore')?.trim() || undefined,
    };
    return c.html(await machinePage(deps, c.get('page'), c.req.param('name'), filter));
  });

  app.get('/machines/:name/cost', async (c) => c.html(machineCostPage(c.get('page'), c.req.param('name'), await costOf(c.req.param('name')))));

  app.get('/api/machines/:name/cost', async (c) => {
    const cost = await costOf(c.req.param('name'));
    return c.json({ ...cost, html: costFragment(cost).value });
  });

  app.get('/executions/:arn', async (c) => c.html(await executionPage(deps, c.get('page'), c.req.param('arn'))));

  app.get('/api/executions/:arn', async (c) => {
    const after = Number(c.req.query('after') ?? '0');
    const answer = await pollAnswer(deps, c.get('page'), c.req.param('arn'), Number.isSafeInteger(after) && after >= 0 ? after : 0, c.req.query('status') || undefined);
    return c.json(answer);
  });

  app.post('/actions/start', async (c) => {
    const form = await readCheckedForm(c);
    const stateMachineArn = form.get('stateMachineArn') ?? '';
    const start = { stateMachineArn, qualifier: form.get('qualifier') ?? '', name: form.get('name') ?? '', input: form.get('input') ?? '' };
    const outcome = await startExecution(deps, start);
    const name = parseStateMachineArn(stateMachineArn).name;
    const again = (state: StartFormState, status: 200 | 400) => machinePage(deps, c.get('page'), name, { status: undefined, search: undefined, nextToken: undefined }, state).then((body) => c.html(body, status));
    if (outcome.kind === 'refused') return again({ error: outcome.message, name: start.name, input: start.input, qualifier: start.qualifier }, 400);
    if (outcome.express) return again({ notice: `Started Express execution ${outcome.executionArn}. Express executions are not kept (as on AWS): their history goes to the logs.` }, 200);
    return c.redirect(l.execution(outcome.executionArn), 303);
  });

  app.post('/actions/stop', async (c) => {
    const form = await readCheckedForm(c);
    const arn = form.get('executionArn') ?? '';
    return actOn(c, arn, () => stopExecution(deps, arn, form.get('error') ?? undefined, form.get('cause') ?? undefined));
  });

  app.post('/actions/redrive', async (c) => {
    const form = await readCheckedForm(c);
    const arn = form.get('executionArn') ?? '';
    return actOn(c, arn, () => redriveExecution(deps, arn));
  });

  // The index when mounted with a trailing slash; otherwise nothing here.
  app.all('*', (c) => {
    if (c.req.method === 'GET' && c.req.path === l.home) return indexPage(c);
    throw new ConsoleHttpError(404, `Nothing at ${c.req.path}.`);
  });

  app.onError((err, c) => {
    const { status, message } = describeError(err);
    if (status === 500) onError(err);
    if (isApi(c)) return c.json({ error: err instanceof ServiceError ? err.code : statusName(status), message }, status);
    const ctx = c.get('page') ?? anonymousContext(c);
    return c.html(messagePage(ctx, statusName(status), message), status);
  });

  /** A machine's cost estimate, computed at most once a minute per machine. */
  async function costOf(name: string) {
    const arn = machineArnOf(deps, name);
    const machine = (await deps.stateMachines.describe(arn)) as StateMachine;
    return costs.get(arn, () => machineCost(deps, machine));
  }

  function anonymousContext(c: Context): PageContext {
    return { base, csrf: anonymousCsrf(c, scope), user: undefined, requireAuth: deps.requireAuth };
  }

  async function indexPage(c: Context<Env>): Promise<Response> {
    return c.html(await machinesPage(deps, c.get('page'), c.req.query('next') || undefined));
  }

  /** A form whose CSRF token (field or header) is this page's. */
  async function readCheckedForm(c: Context<Env>): Promise<URLSearchParams> {
    const form = await readForm(c);
    checkCsrf(c.get('page').csrf, form.get(CSRF_FIELD) ?? c.req.header(CSRF_HEADER));
    return form;
  }

  /** Stop or Redrive, then back to the execution's page; a refusal is shown on that page. */
  async function actOn(c: Context<Env>, executionArn: string, act: () => Promise<void>): Promise<Response> {
    try {
      await act();
    } catch (err) {
      const { status, message } = describeError(err);
      if (status === 500 || status === 404) throw err;
      return c.html(await executionPage(deps, c.get('page'), executionArn, message), status);
    }
    return c.redirect(l.execution(executionArn), 303);
  }

  return app;
}

function asset(body: string, type: string): Response {
  return new Response(body, { headers: { 'content-type': type, 'cache-control': 'no-cache' } });
}

async function readForm(c: Context): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) throw new ConsoleHttpError(415, 'Expected a form (application/x-www-form-urlencoded).');
  return new URLSearchParams(await c.req.text());
}

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 500;

function describeError(err: unknown): { status: ErrorStatus; message: string } {
  if (err instanceof ConsoleHttpError) return { status: err.status, message: err.message };
  if (err instanceof ServiceError) {
    const status: ErrorStatus = err.code.endsWith('DoesNotExist') || err.code === 'InvalidArn' ? 404 : err.code === 'ExecutionNotRedrivable' ? 409 : 400;
    return { status, message: `${err.code}: ${err.message}` };
  }
  return { status: 500, message: 'Something went wrong in the console; the server log has the details.' };
}

function statusName(status: ErrorStatus): string {
  return { 400: 'Invalid request', 401: 'Sign-in required', 403: 'Refused', 404: 'Not found', 409: 'Conflict', 413: 'Too large', 415: 'Unsupported', 500: 'Internal error' }[status];
}
