/**
 * Composition root. `npm start` runs the InfraMonitoring pipeline's definition through the
 * engine with stand-in functions (until the server, integrations and pipeline issues land),
 * printing each state as it happens and the outcome.
 */
import { mkdirSync, appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isObject, type JsonObject } from './lib/json.js';
import { validateDefinition } from './asl/validate.js';
import { runLocal } from './engine/local-run.js';
import type { HistoryEvent } from './engine/types.js';
import { localLambdaInvoker } from './integrations/lambda-local.js';
import definition from './pipeline/infra-monitoring.asl.json' with { type: 'json' };
import { collectMetrics, getItem, newWorld, publish } from './pipeline/stand-ins.js';

export async function runPipelineOnce(opts: { realTime?: boolean; print?: (line: string) => void } = {}): Promise<number> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const errors = validateDefinition(definition).filter((d) => d.severity === 'ERROR');
  if (errors.length) {
    for (const d of errors) print(`invalid pipeline definition: ${d.code}: ${d.message} at ${d.location ?? ''}`);
    return 2;
  }
  const world = newWorld();
  const fallback = {
    async invoke(req: { resource: string; input: unknown }) {
      const input = (isObject(req.input) ? req.input : {}) as JsonObject;
      if (req.resource === 'arn:aws:states:::dynamodb:getItem') return getItem(world, input);
      if (req.resource === 'arn:aws:states:::sns:publish') return publish(world, input);
      throw new Error(`no stand-in for ${req.resource}`);
    },
  };
  const invoker = localLambdaInvoker(new Map([['data-collector', (event: unknown) => collectMetrics(world, event as JsonObject)]]), fallback as never);
  const started = Date.now();
  print(`Stepwise: running InfraMonitoring-Pipeline (stand-in functions; ${opts.realTime ? 'real time' : 'Waits and back-offs on a simulated clock'})`);
  const result = await runLocal(definition, {}, { invoker, stateMachineName: 'InfraMonitoring-Pipeline', clock: opts.realTime ? 'real' : 'fake' });
  for (const e of result.history) print(progressLine(e, result.history[0]?.timestamp ?? started));
  print(`outcome: ${result.status}${result.error ? ` (${result.error}: ${result.cause ?? ''})` : ''}`);
  const dir = resolve('.stepwise');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, 'notifications.jsonl');
  for (const n of world.notifications) appendFileSync(file, JSON.stringify(n) + '\n');
  for (const n of world.notifications) print(`notification: ${String(n['Subject'])} — ${String(n['Message'])}`);
  print(`notifications written to ${file}`);
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

function progressLine(e: HistoryEvent, t0: number): string {
  const name = (e.details as { name?: string } | undefined)?.name;
  const at = `+${((e.timestamp - t0) / 1000).toFixed(1)}s`.padStart(8);
  return `${at}  ${e.type}${name ? `  ${name}` : ''}`;
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  runPipelineOnce({ realTime: process.argv.includes('--real-time') }).then((code) => {
    process.exitCode = code;
  });
}
