/**
 * Client commands that talk to a running server (`--endpoint`, default http://127.0.0.1:8083,
 * with the usual AWS_* credentials, default test/test): `machines list|describe`,
 * `executions list|describe|history|stop|redrive`, `validate <file>`. Tables for people, `--json` for
 * scripts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { clientOptionsFromEnv, StepwiseApiClient } from './api-client.js';
import { UsageError } from './run-command.js';

type Out = (line: string) => void;
type Row = Record<string, unknown>;

function table(rows: Row[], columns: string[], out: Out): void {
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' && v > 1e9 && v < 1e11 ? new Date(v * 1000).toISOString() : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  out(columns.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd());
  for (const r of rows) out(columns.map((c, i) => cell(r[c]).padEnd(widths[i] as number)).join('  ').trimEnd());
}

const machineArn = (ref: string) => (ref.startsWith('arn:') ? ref : `arn:aws:states:us-east-1:123456789012:stateMachine:${ref}`);

export async function clientCommand(command: string, argv: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, json: { type: 'boolean', default: false }, status: { type: 'string' }, error: { type: 'string' }, cause: { type: 'string' } },
  });
  const api = new StepwiseApiClient(clientOptionsFromEnv(values.endpoint));
  const [sub, ref] = positionals;
  const show = (result: Row, render: () => void) => (values.json ? out(JSON.stringify(result)) : render());
  const need = (what: string): string => {
    if (!ref) throw new UsageError(`${command} ${sub ?? ''} needs ${what}`);
    return ref;
  };

  if (command === 'validate') {
    const file = sub;
    if (!file) throw new UsageError('validate needs a definition file');
    const r = await api.call<{ result: string; diagnostics: Row[] }>('ValidateStateMachineDefinition', { definition: readFileSync(file, 'utf8') });
    show(r, () => {
      out(`result: ${r.result}`);
      if (r.diagnostics.length) table(r.diagnostics, ['severity', 'code', 'location', 'message'], out);
    });
    return r.result === 'OK' ? 0 : 2;
  }
  if (command === 'machines' && sub === 'list') {
    const r = await api.call<{ stateMachines: Row[] }>('ListStateMachines', { maxResults: 1000 });
    show(r, () => table(r.stateMachines, ['name', 'type', 'creationDate', 'stateMachineArn'], out));
    return 0;
  }
  if (command === 'machines' && sub === 'describe') {
    const r = await api.call('DescribeStateMachine', { stateMachineArn: machineArn(need('a state machine name or ARN')) });
    show(r, () => table([r], ['name', 'type', 'status', 'creationDate', 'roleArn'], out));
    return 0;
  }
  if (command === 'executions' && sub === 'list') {
    const input: Row = { stateMachineArn: machineArn(need('a state machine name or ARN')), maxResults: 1000 };
    if (values.status) input['statusFilter'] = values.status;
    const r = await api.call<{ executions: Row[] }>('ListExecutions', input);
    show(r, () => table(r.executions, ['name', 'status', 'startDate', 'stopDate'], out));
    return 0;
  }
  if (command === 'executions' && sub === 'describe') {
    const r = await api.call('DescribeExecution', { executionArn: need('an execution ARN') });
    show(r, () => {
      table([r], ['name', 'status', 'startDate', 'stopDate'], out);
      for (const k of ['input', 'output', 'error', 'cause']) if (r[k] !== undefined) out(`${k}: ${String(r[k])}`);
    });
    return 0;
  }
  if (command === 'executions' && sub === 'history') {
    const r = await api.call<{ events: Row[] }>('GetExecutionHistory', { executionArn: need('an execution ARN'), maxResults: 1000 });
    show(r, () =>
      table(
        r.events.map((e) => ({ ...e, name: (e['stateEnteredEventDetails'] as Row | undefined)?.['name'] ?? (e['stateExitedEventDetails'] as Row | undefined)?.['name'] })),
        ['id', 'timestamp', 'type', 'name'],
        out,
      ),
    );
    return 0;
  }
  if (command === 'executions' && sub === 'stop') {
    const input: Row = { executionArn: need('an execution ARN') };
    if (values.error) input['error'] = values.error;
    if (values.cause) input['cause'] = values.cause;
    const r = await api.call('StopExecution', input);
    show(r, () => out(`stopped at ${new Date(Number(r['stopDate']) * 1000).toISOString()}`));
    return 0;
  }
  if (command === 'executions' && sub === 'redrive') {
    const r = await api.call('RedriveExecution', { executionArn: need('an execution ARN') });
    show(r, () => out(`redriven at ${new Date(Number(r['redriveDate']) * 1000).toISOString()}`));
    return 0;
  }
  throw new UsageError(`unknown command '${command} ${sub ?? ''}'`);
}

/** The table printer, shared with the other client commands (topics-commands.ts). */
export { table };
