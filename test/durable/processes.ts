/** Start and kill runner processes for crash and cluster tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./runner-process.ts', import.meta.url));

export interface RunnerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
}

export async function startRunner(url: string, owner: string, leaseMs: number, delayMs: number): Promise<RunnerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, owner, String(leaseMs), String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`runner ${owner} exited with ${code} before it was ready`)));
  });
  return { child, exited };
}

export async function kill(p: RunnerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  await p.exited;
}

/** A small seeded PRNG so kill moments are random but reproducible. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
