/** Loads the conformance cases recorded against AWS and runs them through the engine. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLocal, type LocalRunResult } from '../../src/engine/local-run.js';
import { canonicalSketch, compareOutcome, type RecordedCase } from './compare.js';

const here = dirname(fileURLToPath(import.meta.url));

export function conformanceDir(): string {
  return process.env['STEPWISE_CONFORMANCE_DIR'] ?? resolve(here, '../../../shared/conformance');
}

export function loadCases(): RecordedCase[] | undefined {
  const file = resolve(conformanceDir(), 'cases.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RecordedCase[];
}

export function serviceFree(cases: RecordedCase[]): RecordedCase[] {
  return cases.filter((c) => c.needs.length === 0);
}

export interface CaseResult {
  id: string;
  area: string;
  ok: boolean;
  reason: string | undefined;
  sketchOk: boolean | undefined;
  sketchReason: string | undefined;
}

const TIMEOUT_MS = 10_000;

export async function runCase(c: RecordedCase): Promise<CaseResult> {
  let run: LocalRunResult;
  try {
    run = await Promise.race([
      runLocal(c.definition, c.input, { type: c.stateMachineType, stateMachineName: 'ConformanceMachine', name: 'conformance-execution' }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no outcome within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref()),
    ]);
  } catch (err) {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { id: c.id, area: c.area, ok: false, reason: `engine error: ${msg}`, sketchOk: undefined, sketchReason: undefined };
  }
  const diffs = compareOutcome(c, run);
  let sketchOk: boolean | undefined;
  let sketchReason: string | undefined;
  if (c.historySketch) {
    const ours = canonicalSketch(sketchOf(run));
    const theirs = canonicalSketch(c.historySketch);
    sketchOk = ours.length === theirs.length && ours.every((e, i) => e === theirs[i]);
    if (!sketchOk) {
      const i = ours.findIndex((e, k) => e !== theirs[k]);
      sketchReason = `at #${i}: expected ${theirs[i] ?? '(end)'} got ${ours[i] ?? '(end)'}`;
    }
  }
  return { id: c.id, area: c.area, ok: diffs.length === 0, reason: diffs[0], sketchOk, sketchReason };
}

/** Our history as a sketch: event types, with the state name for state entered/exited events. */
export function sketchOf(run: LocalRunResult): string[] {
  return run.history.map((e) => {
    const name = (e.details as { name?: unknown } | undefined)?.name;
    return /State(Entered|Exited)$/.test(e.type) && typeof name === 'string' ? `${e.type}:${name}` : e.type;
  });
}
