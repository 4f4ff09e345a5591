/**
 * Console sign-ins live in the store: a session signed in on one process is valid on another
 * process of the same store and after a restart; signing out anywhere ends it everywhere; the
 * store keeps a hash of the session id, never the id itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/cli/serve-command.js';
import { ConsoleClient, overHttp } from './client.js';
import { KEY } from './world.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-console-sessions-'));
const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function server(): Promise<RunningServer> {
  const s = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, requireAuth: true, credentials: [KEY] }, { log: () => undefined });
  running.push(s);
  return s;
}

function clientOf(s: RunningServer, from?: ConsoleClient): ConsoleClient {
  const c = new ConsoleClient(overHttp(s.url));
  for (const [k, v] of from?.cookies ?? []) c.cookies.set(k, v);
  return c;
}

describe('console sessions', () => {
  it('are shared by the processes of a store, survive a restart, and end everywhere at sign-out', async () => {
    const a = await server();
    const b = await server();
    const onA = clientOf(a);
    expect((await onA.signIn(KEY)).status).toBe(303);
    expect((await onA.get('/console/')).status).toBe(200);
    // The same cookie on the other process.
    const onB = clientOf(b, onA);
    expect((await onB.get('/console/')).status).toBe(200);
    // The store holds a hash, not the cookie's value.
    const id = [...onA.cookies.entries()].find(([k]) => /session/i.test(k))?.[1] ?? '';
    expect(id.length).toBeGreaterThan(20);
    const records = await a.store.listResources('consoleSession', { limit: 10 });
    expect(records).toHaveLength(1);
    expect(records[0]?.arn).not.toContain(id);
    expect(JSON.stringify(records[0]?.doc)).not.toContain(id);
    // A restarted process knows it too.
    await a.stop();
    running.splice(running.indexOf(a), 1);
    const a2 = await server();
    const onA2 = clientOf(a2, onA);
    expect((await onA2.get('/console/')).status).toBe(200);
    // Signing out on B ends it on A2.
    expect((await onB.post('/console/logout', { _csrf: onB.csrf })).status).toBe(303);
    const after = await onA2.get('/console/');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/console\/login/);
  });
});
