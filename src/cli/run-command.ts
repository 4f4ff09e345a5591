/** `stepwise run <definition.json>`: one definition, in-process, start to end. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { tryParseJson, type Json } from '../lib/json.js';
import { validateDefinition } from '../asl/validate.js';
import { runLocal } from '../engine/local-run.js';
import { toAwsEvent } from '../engine/history-format.js';
import { loadHandlerSpec, localLambdaInvoker, type LambdaHandler } from '../integrations/lambda-local.js';
import { mockInvoker } from '../integrations/mocks.js';
import { nameProblem } from '../service/names.js';
import { loadMockConfigOption } from './mock-config-option.js';

export interface RunArgs {
  definitionFile: string;
  input: string | undefined;
  json: boolean;
  history: boolean;
  handlers: string[];
  realTime: boolean;
  /** --mock-config FILE (else SFN_MOCK_CONFIG): Step Functions Local's mock configuration file. */
  mockConfig?: string | undefined;
  /** --test-case NAME: the execution's tasks answer from that test case of the mock configuration. */
  testCase?: string | undefined;
  /** --state-machine-name: the name the mock configuration knows the machine by (default: the file's, with a test case). */
  stateMachineName?: string | undefined;
}

export class UsageError extends Error {}

export async function runCommand(args: RunArgs, out: (line: string) => void): Promise<number> {
  let text: string;
  try {
    text = readFileSync(args.definitionFile, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${args.definitionFile}: ${(err as Error).message}`);
  }
  const diagnostics = validateDefinition(text).filter((d) => d.severity === 'ERROR');
  if (diagnostics.length > 0) {
    for (const d of diagnostics) out(`${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ''}`);
    return 2;
  }
  let input: Json = {};
  if (args.input !== undefined) {
    const raw = args.input.startsWith('@') ? readFileSync(args.input.slice(1), 'utf8') : args.input;
    const parsed = tryParseJson(raw);
    if (!parsed.ok) throw new UsageError(`--input is not valid JSON: ${parsed.message}`);
    input = parsed.value;
  }
  const handlers = new Map<string, LambdaHandler>();
  for (const spec of args.handlers) {
    const [name, fn] = await loadHandlerSpec(spec);
    handlers.set(name, fn);
  }
  const mocks = loadMockConfigOption(args.mockConfig);
  const stateMachineName = args.stateMachineName ?? (args.testCase !== undefined ? machineNameOf(args.definitionFile) : undefined);
  if (stateMachineName !== undefined && nameProblem(stateMachineName)) {
    throw new UsageError(`'${stateMachineName}' is not a state machine name (${nameProblem(stateMachineName)}): name it with --state-machine-name`);
  }
  if (args.testCase !== undefined) {
    if (!mocks) throw new UsageError('--test-case needs a mock configuration file: --mock-config FILE, or SFN_MOCK_CONFIG');
    if (!mocks.has(stateMachineName as string, args.testCase)) {
      throw new UsageError(`the mock configuration file defines no test case '${args.testCase}' for state machine '${stateMachineName}' (the definition file's name, unless --state-machine-name)`);
    }
  }
  const lambdas = localLambdaInvoker(handlers);
  const result = await runLocal(text, input, {
    invoker: mocks ? mockInvoker(mocks, lambdas) : lambdas,
    clock: args.realTime ? 'real' : 'fake',
    ...(stateMachineName !== undefined ? { stateMachineName } : {}),
    ...(args.testCase !== undefined ? { mockTestCase: args.testCase } : {}),
  });
  if (args.history) for (const e of result.history) out(JSON.stringify(toAwsEvent(e)));
  if (args.json) {
    out(JSON.stringify({ status: result.status, output: result.output ?? null, error: result.error ?? null, cause: result.cause ?? null }));
  } else {
    out(`status: ${result.status}`);
    if (result.output !== undefined) out(`output: ${result.output}`);
    if (result.error !== undefined) out(`error: ${result.error}`);
    if (result.cause !== undefined) out(`cause: ${result.cause}`);
  }
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

/** `LambdaSQSIntegration.asl.json` → `LambdaSQSIntegration`. */
function machineNameOf(file: string): string {
  return basename(file).replace(/(\.asl)?\.json$/i, '');
}
