/**
 * `stepwise render <machine name|arn> [--execution <name|arn>] --out <file.svg|file.png> [--scale N]
 * [--endpoint URL]`: a state machine's diagram, from a running server, as SVG or PNG (by the file's
 * extension). With --execution it is coloured by what happened to each state of that execution,
 * read from its whole history, and drawn from the definition the execution ran (the machine may
 * have been updated since).
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { renderDiagramSvg, summarizeExecution, svgToPng, type StateStatus, type WireHistoryEvent } from '../console/diagram/index.js';
import { clientOptionsFromEnv, StepwiseApiClient } from './api-client.js';
import { UsageError } from './run-command.js';

const ACCOUNT = '123456789012';
const FORMATS = { '.svg': 'svg', '.png': 'png' } as const;
type Format = (typeof FORMATS)[keyof typeof FORMATS];

interface Machine {
  name: string;
  stateMachineArn: string;
  definition: string;
}

interface Execution {
  name: string;
  status: string;
  stateMachineArn: string;
}

function formatOf(file: string): Format {
  const ext = extname(file).toLowerCase();
  if (!Object.hasOwn(FORMATS, ext)) throw new UsageError(`--out must name a .svg or .png file, got '${file}'`);
  return FORMATS[ext as keyof typeof FORMATS];
}

function scaleOf(text: string | undefined, format: Format): number | undefined {
  if (text === undefined) return undefined;
  if (format !== 'png') throw new UsageError('--scale applies to a PNG (--out file.png) only');
  const scale = Number(text);
  if (!(text.trim() !== '' && scale > 0 && scale <= 16)) throw new UsageError(`--scale must be a number above 0 and at most 16, got '${text}'`);
  return scale;
}

/** `arn:partition:states:region:account:stateMachine:name`, without a version or alias qualifier. */
const unqualified = (arn: string): string => arn.split(':').slice(0, 7).join(':');

/** An execution's ARN from its name: the machine's, with `execution` for `stateMachine`. */
function executionArnOf(machineArn: string, name: string): string {
  const [arn, partition, service, region, account, , machine] = unqualified(machineArn).split(':');
  return [arn, partition, service, region, account, 'execution', machine, name].join(':');
}

/** The execution's whole history: every page of GetExecutionHistory. */
async function historyOf(api: StepwiseApiClient, executionArn: string): Promise<WireHistoryEvent[]> {
  const events: WireHistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page: { events?: WireHistoryEvent[]; nextToken?: string } = await api.call('GetExecutionHistory', { executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export async function renderCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { execution: { type: 'string' }, out: { type: 'string' }, scale: { type: 'string' }, endpoint: { type: 'string' } },
  });
  const [ref, ...extra] = positionals;
  if (!ref || extra.length > 0) throw new UsageError('render needs exactly one state machine (name or ARN)');
  const file = values.out;
  if (!file) throw new UsageError('render needs --out <file.svg|file.png>');
  const format = formatOf(file);
  const scale = scaleOf(values.scale, format);

  const options = clientOptionsFromEnv(values.endpoint);
  const api = new StepwiseApiClient(options);
  const machine = await api.call<Machine>('DescribeStateMachine', { stateMachineArn: ref.startsWith('arn:') ? ref : `arn:aws:states:${options.region}:${ACCOUNT}:stateMachine:${ref}` });
  let definition = machine.definition;
  let title = machine.name;
  let status: Record<string, StateStatus> | undefined;
  if (values.execution !== undefined) {
    const executionArn = values.execution.startsWith('arn:') ? values.execution : executionArnOf(machine.stateMachineArn, values.execution);
    const execution = await api.call<Execution>('DescribeExecution', { executionArn });
    if (unqualified(execution.stateMachineArn) !== unqualified(machine.stateMachineArn)) {
      throw new UsageError(`execution '${execution.name}' belongs to ${execution.stateMachineArn}, not to state machine '${machine.name}'`);
    }
    definition = (await api.call<{ definition: string }>('DescribeStateMachineForExecution', { executionArn })).definition;
    status = summarizeExecution(await historyOf(api, executionArn), definition).states;
    title = `${machine.name} · ${execution.name} · ${execution.status}`;
  }

  const svg = renderDiagramSvg(definition, { title, ...(status ? { status } : {}) });
  try {
    writeFileSync(file, format === 'png' ? svgToPng(svg, scale === undefined ? {} : { scale }) : svg);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
  }
  out(`wrote ${file}`);
  return 0;
}
