/**
 * `stepwise logs tail <machine | /log/group> [--follow] [--since 1h] [--execution NAME] [--json]`:
 * a state machine's execution logs (its loggingConfiguration's log group) from a running server,
 * through the CloudWatch Logs API subset it serves (FilterLogEvents), as `aws logs tail` reads
 * them. One line per record: time, stream, event type and the record; `--json` prints records.
 */
import { parseArgs } from 'node:util';
import { clientOptionsFromEnv, Json11Client, StepwiseApiClient } from './api-client.js';
import { UsageError } from './run-command.js';

type Out = (line: string) => void;
type Row = Record<string, unknown>;

const SINCE = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export async function logsCommand(argv: string[], out: Out, opts: { pollMs?: number; signal?: AbortSignal } = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { endpoint: { type: 'string' }, json: { type: 'boolean', default: false }, follow: { type: 'boolean', default: false }, since: { type: 'string' }, execution: { type: 'string' } },
  });
  const [sub, ref] = positionals;
  if (sub !== 'tail') throw new UsageError(`unknown command 'logs ${sub ?? ''}'`);
  if (!ref) throw new UsageError('logs tail needs a state machine (name or ARN) or a log group (/…)');
  const client = clientOptionsFromEnv(values.endpoint);
  const group = ref.startsWith('/') ? ref : await groupOf(new StepwiseApiClient(client), ref, client.region);
  let startTime: number | undefined;
  if (values.since !== undefined) {
    const m = SINCE.exec(values.since);
    if (!m) throw new UsageError(`--since must be like 30s, 10m, 2h or 7d, got '${values.since}'`);
    startTime = Date.now() - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  const logs = new Json11Client(client, 'logs');
  const call = (input: Row): Promise<Row> => logs.call('Logs_20140328.FilterLogEvents', input);
  let token: string | undefined;
  for (;;) {
    const page = await call({ logGroupName: group, ...(startTime !== undefined && { startTime }), ...(token !== undefined && { nextToken: token }) });
    for (const e of (page['events'] as Row[] | undefined) ?? []) {
      const message = String(e['message']);
      if (values.execution !== undefined && !String(e['logStreamName']).endsWith(`/${values.execution}`)) continue;
      if (values.json) {
        out(message);
        continue;
      }
      const rec = JSON.parse(message) as Row;
      out(`${new Date(Number(e['timestamp'])).toISOString()}  ${String(e['logStreamName'])}  ${String(rec['type'])}  ${summary(rec)}`);
    }
    token = (page['nextToken'] as string | undefined) ?? token;
    const more = ((page['events'] as Row[] | undefined) ?? []).length > 0;
    if (more) continue;
    if (!values.follow || opts.signal?.aborted) return 0;
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    if (opts.signal?.aborted) return 0;
  }
}

/** The log group a state machine logs to (DescribeStateMachine's loggingConfiguration). */
async function groupOf(api: StepwiseApiClient, ref: string, region: string): Promise<string> {
  const arn = ref.startsWith('arn:') ? ref : `arn:aws:states:${region}:123456789012:stateMachine:${ref}`;
  const m = await api.call<{ loggingConfiguration?: { level?: string; destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[] } }>('DescribeStateMachine', { stateMachineArn: arn });
  const groupArn = m.loggingConfiguration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  const group = groupArn ? /:log-group:(.+):\*$/.exec(groupArn)?.[1] : undefined;
  if (!group || m.loggingConfiguration?.level === 'OFF') throw new UsageError(`state machine ${ref} does not log (its loggingConfiguration level is ${m.loggingConfiguration?.level ?? 'OFF'})`);
  return group;
}

/** The interesting part of a record: state name, error, or the event's data. */
function summary(rec: Row): string {
  const d = (rec['details'] ?? {}) as Row;
  const parts: string[] = [];
  if (d['name'] !== undefined) parts.push(String(d['name']));
  if (d['error'] !== undefined) parts.push(`${String(d['error'])}: ${String(d['cause'] ?? '')}`);
  if (d['input'] !== undefined) parts.push(`input ${String(d['input'])}`);
  if (d['output'] !== undefined) parts.push(`output ${String(d['output'])}`);
  const text = parts.join('  ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
