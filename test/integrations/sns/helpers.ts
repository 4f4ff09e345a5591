/** Real local receivers for SNS deliveries (an HTTP server, an SMTP server) and a store to keep topics in. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Store } from '../../../src/engine/store.js';
import type { Scheduler } from '../../../src/integrations/sns/index.js';
import { openSqliteStore } from '../../../src/stores/sqlite/index.js';

export async function memoryStore(): Promise<Store> {
  const store = openSqliteStore({ path: ':memory:' });
  await store.migrate();
  return store;
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `statuses` in turn (then 200). */
export async function httpReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sns`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Mail {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
  headers: Record<string, string>;
  body: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1, plain text, with optional login. */
export async function smtpReceiver(login?: { user: string; pass: string }) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    disabledCommands: login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !login,
    logger: false,
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.pass) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.indexOf('\r\n\r\n');
        const headers: Record<string, string> = {};
        for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw,
          headers,
          body: raw.slice(split + 4).replace(/\r\n$/, ''),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Runs retries at once, remembering the delays asked for. */
export function instantScheduler(): { schedule: Scheduler; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    schedule: (run, delayMs) => {
      delays.push(delayMs);
      const t = setImmediate(run);
      return () => clearImmediate(t);
    },
  };
}

/** Never runs anything: retries stay pending (as when a process stops). */
export const frozenScheduler: Scheduler = () => () => undefined;
