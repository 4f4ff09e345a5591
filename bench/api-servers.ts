/**
 * The servers of the API section, each a separate child process on a free 127.0.0.1 port:
 * `stepwise serve` from the compiled dist/ (embedded SQLite in a fresh temp dir), and moto_server.
 * Each handle reads its process's CPU time and peak RSS from /proc (Linux; elsewhere undefined).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Thrown when an engine cannot be started or measured; `message` is why. */
export class CannotRun extends Error {}

/** Thrown when an engine is absent from this machine; `message` is why. */
export class Skipped extends Error {}

export interface ProcessStats {
  cpuSeconds: number;
  peakRssKiB: number;
}

export interface ApiServer {
  readonly url: string;
  /** One line: what runs and how. */
  readonly description: string;
  /** Before each measurement: moto forgets everything and is told to execute again; Stepwise's store is fresh. */
  reset(): Promise<void>;
  /** The last error line the server logged, if any (moto logs a Python traceback per HTTP 500). */
  lastLoggedError(): string | undefined;
  stats(): ProcessStats | undefined;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node supports

function processStats(pid: number | undefined): ProcessStats | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds, peakRssKiB: hwm ? Number(hwm[1]) : 0 };
  } catch {
    return undefined;
  }
}

/** The last `max` characters a stream wrote, and a callback per complete line. */
function tail(stream: NodeJS.ReadableStream | null, max: number, onLine?: (line: string) => void): () => string {
  let text = '';
  let partial = '';
  stream?.on('data', (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    text = (text + s).slice(-max);
    if (!onLine) return;
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  return () => text;
}

function lastErrorLine(log: string): string | undefined {
  const lines = log.split('\n').map((l) => l.trim());
  return lines.reverse().find((l) => /^[\w.]*(Error|Exception)\b.*:/.test(l));
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function exitReason(child: ChildProcess, log: string): string {
  const last = lastErrorLine(log) ?? log.trim().split('\n').pop() ?? '';
  return `exited (${child.signalCode ?? `code ${child.exitCode}`})${last ? `: ${last}` : ''}`;
}

// --- Stepwise ------------------------------------------------------------------------------------

const STEPWISE_BIN = fileURLToPath(new URL('../bin/stepwise.js', import.meta.url));
const STEPWISE_MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export async function startStepwise(): Promise<ApiServer> {
  if (!existsSync(STEPWISE_MAIN)) throw new CannotRun('dist/ is not built (npm run build)');
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-api-'));
  // The working directory is the temp dir too, so no stepwise.yaml of the checkout is picked up.
  const child = spawn(process.execPath, [STEPWISE_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dir], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = tail(child.stderr, 8000);
  let stdoutText = '';
  const cleanup = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CannotRun(`stepwise serve did not listen within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutText = (stdoutText + chunk.toString('utf8')).slice(-8000);
      const m = /listening on (http:\/\/\S+)/.exec(stdoutText);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new CannotRun(`stepwise serve ${exitReason(child, stderr())}`));
    });
  }).catch(async (err: unknown) => {
    await cleanup();
    throw err;
  });
  return {
    url,
    description: '`stepwise serve` from dist/ in its own process, embedded SQLite store in a fresh temp dir',
    reset: async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new CannotRun(`stepwise serve ${exitReason(child, stderr())}`);
    },
    lastLoggedError: () => lastErrorLine(`${stdoutText}\n${stderr()}`),
    stats: () => processStats(child.pid),
    stop: cleanup,
  };
}

// --- moto ----------------------------------------------------------------------------------------

/**
 * Loaded by Python at start-up (a sitecustomize module on PYTHONPATH) in the moto_server we start.
 * It reports moto's version and, unless asked not to, applies moto's own upstream fix for
 * getmoto/moto#10077 (merged as #10093): StartExecution deep-copies the state machine, which
 * reaches every earlier execution's live thread lock, so as installed (5.2.1) every StartExecution
 * after the first answers HTTP 500 until a reset. The fix leaves the executions out of the copy.
 */
const MOTO_SITECUSTOMIZE = `
import os, sys
try:
    import moto
    version = getattr(moto, '__version__', '?')
except Exception as e:
    version = 'unknown (%r)' % (e,)
if os.environ.get('STEPWISE_BENCH_MOTO_FIX') == '1':
    try:
        import copy, types
        import moto.stepfunctions.parser.models as models
        def deepcopy(x, memo=None):
            memo = {} if memo is None else memo
            executions = getattr(x, 'executions', None)
            if isinstance(executions, list):
                memo.setdefault(id(executions), [])
            return copy.deepcopy(x, memo)
        models.copy = types.SimpleNamespace(deepcopy=deepcopy, copy=copy.copy)
        status = 'with the upstream fix of getmoto/moto#10077 applied'
    except Exception as e:
        status = 'fix NOT applied (%r)' % (e,)
else:
    status = 'as installed'
sys.stderr.write('stepwise-bench: moto %s, %s\\n' % (version, status))
sys.stderr.flush()
`;

const MOTO_EXECUTE = JSON.stringify({ stepfunctions: { execute_state_machine: true } });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function motoPost(url: string, path: string, body?: string): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  await res.arrayBuffer();
  if (res.status >= 300) throw new CannotRun(`POST ${path} answered HTTP ${res.status}`);
}

export async function startMoto(opts: { applyFix: boolean }): Promise<ApiServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-moto-'));
  writeFileSync(join(dir, 'sitecustomize.py'), MOTO_SITECUSTOMIZE);
  const pythonPath = [dir, process.env['PYTHONPATH']].filter(Boolean).join(':');
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: dir,
    env: { ...process.env, PYTHONPATH: pythonPath, STEPWISE_BENCH_MOTO_FIX: opts.applyFix ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let banner: string | undefined;
  // moto logs every request (and a traceback per HTTP 500) on stderr: keep only the tail.
  const stderr = tail(child.stderr, 16_000, (line) => {
    if (line.startsWith('stepwise-bench: ')) banner = line.slice('stepwise-bench: '.length);
  });
  child.stdout.resume();
  const cleanup = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new Skipped('moto_server is not installed (not on PATH)') : new CannotRun(`moto_server: ${err.message}`)),
    );
  });
  spawnError.catch(() => undefined);
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new CannotRun(`moto_server ${exitReason(child, stderr())}`);
      const up = await Promise.race([
        spawnError,
        fetch(`${url}/moto-api/config`).then(
          async (r) => (await r.arrayBuffer(), true),
          () => false,
        ),
      ]);
      if (up) break;
      if (Date.now() > deadline) throw new CannotRun(`moto_server did not answer within ${START_TIMEOUT_MS / 1000}s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    url,
    get description() {
      return `moto_server in its own process (${banner ?? 'version unknown'})`;
    },
    reset: async () => {
      if (child.exitCode !== null || child.signalCode !== null) throw new CannotRun(`moto_server ${exitReason(child, stderr())}`);
      await motoPost(url, '/moto-api/reset');
      await motoPost(url, '/moto-api/config', MOTO_EXECUTE);
    },
    lastLoggedError: () => lastErrorLine(stderr()),
    stats: () => processStats(child.pid),
    stop: cleanup,
  };
}
