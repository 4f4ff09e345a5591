/**
 * `stepwise schedules …`: the schedule rules of a running server (`--endpoint`, the usual AWS_*
 * credentials), through EventBridge's rule API and Stepwise's own schedule operations.
 * - `list`: rules with their expression, state and next fire time;
 * - `describe <rule>`: a rule, its policies, targets and recent ticks;
 * - `next <rule> [--count N]`: the next fire times (default 5), as the scheduler computes them;
 * - `pause <rule> [--note TEXT]` / `resume <rule>`;
 * - `create <name> --expression EXPR --target MACHINE [--input JSON] [--time-zone ZONE]
 *   [--start ISO] [--end ISO] [--flexible-window MIN] [--catch-up skip|latest|all]
 *   [--catch-up-window SECONDS] [--overlap allow|skip] [--disabled]`: a Stepwise schedule
 *   (EventBridge Scheduler's options); `delete <name>`.
 * Tables for people, `--json` for scripts.
 */
import { parseArgs } from 'node:util';
import { clientOptionsFromEnv, Json11Client } from './api-client.js';
import { table } from './client-commands.js';
import { UsageError } from './run-command.js';

type Out = (line: string) => void;
type Row = Record<string, unknown>;

export async function schedulesCommand(argv: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      json: { type: 'boolean', default: false },
      count: { type: 'string' },
      note: { type: 'string' },
      expression: { type: 'string' },
      target: { type: 'string' },
      input: { type: 'string' },
      'time-zone': { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      'flexible-window': { type: 'string' },
      'catch-up': { type: 'string' },
      'catch-up-window': { type: 'string' },
      overlap: { type: 'string' },
      disabled: { type: 'boolean', default: false },
    },
  });
  const events = new Json11Client(clientOptionsFromEnv(values.endpoint), 'events');
  const show = (result: unknown, render: () => void) => (values.json ? out(JSON.stringify(result)) : render());
  const [sub, name] = positionals;
  const needName = () => {
    if (!name) throw new UsageError(`schedules ${sub ?? ''} needs a rule name`);
    return name;
  };

  switch (sub) {
    case 'list': {
      const rules: Row[] = [];
      for (let token: string | undefined; ; ) {
        const page = await events.call('AWSEvents.ListRules', token ? { NextToken: token } : {});
        rules.push(...((page['Rules'] as Row[] | undefined) ?? []));
        token = page['NextToken'] as string | undefined;
        if (!token) break;
      }
      const rows: Row[] = [];
      for (const r of rules) {
        const d = await events.call('Stepwise.DescribeSchedule', { Name: r['Name'], Count: 1 });
        rows.push({ name: r['Name'], schedule: r['ScheduleExpression'] ?? r['EventPattern'], state: d['Paused'] ? 'PAUSED' : r['State'], next: (d['NextFireTimes'] as string[])[0] ?? '-', catchUp: (d['CatchUp'] as Row)['Policy'], overlap: d['Overlap'] });
      }
      show({ rules: rows }, () => table(rows, ['name', 'schedule', 'state', 'next', 'catchUp', 'overlap'], out));
      return 0;
    }
    case 'describe': {
      const d = await events.call('Stepwise.DescribeSchedule', { Name: needName(), Count: 5 });
      show(d, () => {
        out(`${String(d['Name'])}  ${String(d['ScheduleExpression'])}  ${String(d['State'])}${d['Paused'] ? `  PAUSED since ${String((d['Paused'] as Row)['Since'])}` : ''}`);
        out(`catch-up: ${String((d['CatchUp'] as Row)['Policy'])}   overlap: ${String(d['Overlap'])}${d['TimeZone'] ? `   time zone: ${String(d['TimeZone'])}` : ''}`);
        out(`targets: ${(d['Targets'] as Row[]).map((t) => `${String(t['Id'])} → ${String(t['Arn'])}`).join(', ') || '(none)'}`);
        out(`next: ${(d['NextFireTimes'] as string[]).join(', ') || '(none)'}`);
        const ticks = (d['RecentTicks'] as Row[]).map((t) => ({ tick: t['Tick'], status: t['Status'], catchUp: t['CatchUp'] ? 'yes' : '', executions: (t['Targets'] as Row[]).map((x) => x['Skipped'] ? `${String(x['Id'])}: skipped (${String(x['Skipped'])})` : x['Error'] ? `${String(x['Id'])}: ${String(x['Error'])}` : String(x['ExecutionName'])).join(', ') }));
        if (ticks.length) table(ticks, ['tick', 'status', 'catchUp', 'executions'], out);
      });
      return 0;
    }
    case 'next': {
      const count = values.count === undefined ? 5 : Number(values.count);
      if (!Number.isInteger(count) || count < 1 || count > 100) throw new UsageError(`--count must be a number from 1 to 100, got '${values.count}'`);
      const d = await events.call('Stepwise.DescribeSchedule', { Name: needName(), Count: count });
      const times = d['NextFireTimes'] as string[];
      show({ Name: d['Name'], ScheduleExpression: d['ScheduleExpression'], State: d['State'], NextFireTimes: times }, () => {
        if (d['State'] !== 'ENABLED' || d['Paused']) out(`note: rule ${String(d['Name'])} is ${d['Paused'] ? 'paused' : 'disabled'}; these are the times it would fire`);
        for (const t of times) out(t);
      });
      return 0;
    }
    case 'pause': {
      const d = await events.call('Stepwise.PauseSchedule', { Name: needName(), ...(values.note !== undefined && { Note: values.note }) });
      show(d, () => out(`paused ${String(d['Name'])}`));
      return 0;
    }
    case 'resume': {
      const d = await events.call('Stepwise.ResumeSchedule', { Name: needName() });
      show(d, () => out(`resumed ${String(d['Name'])}; next: ${(d['NextFireTimes'] as string[])[0] ?? '(none)'}`));
      return 0;
    }
    case 'create': {
      const scheduleName = needName();
      if (!values.expression || !values.target) throw new UsageError('schedules create needs --expression (rate(...), cron(...) or at(...)) and --target (a state machine name or ARN)');
      const region = clientOptionsFromEnv(values.endpoint).region;
      const arn = values.target.startsWith('arn:') ? values.target : `arn:aws:states:${region}:123456789012:stateMachine:${values.target}`;
      const num = (text: string | undefined, flag: string): number | undefined => {
        if (text === undefined) return undefined;
        const v = Number(text);
        if (!Number.isFinite(v)) throw new UsageError(`${flag} must be a number, got '${text}'`);
        return v;
      };
      const flexible = num(values['flexible-window'], '--flexible-window');
      const window = num(values['catch-up-window'], '--catch-up-window');
      const d = await events.call('Stepwise.PutSchedule', {
        Name: scheduleName,
        ScheduleExpression: values.expression,
        Target: { Arn: arn, ...(values.input !== undefined && { Input: values.input }) },
        State: values.disabled ? 'DISABLED' : 'ENABLED',
        ...(values['time-zone'] !== undefined && { TimeZone: values['time-zone'] }),
        ...(values.start !== undefined && { StartDate: values.start }),
        ...(values.end !== undefined && { EndDate: values.end }),
        ...(flexible !== undefined && { FlexibleWindowMinutes: flexible }),
        ...(values['catch-up'] !== undefined && { CatchUp: { Policy: values['catch-up'], ...(window !== undefined && { WindowSeconds: window }) } }),
        ...(values.overlap !== undefined && { Overlap: values.overlap }),
      });
      show(d, () => out(`schedule ${String(d['Name'])}: ${String(d['ScheduleExpression'])}${d['TimeZone'] ? ` (${String(d['TimeZone'])})` : ''}; next: ${(d['NextFireTimes'] as string[])[0] ?? '(none)'}`));
      return 0;
    }
    case 'delete': {
      await events.call('Stepwise.DeleteSchedule', { Name: needName() });
      show({}, () => out(`deleted ${name ?? ''}`));
      return 0;
    }
    default:
      throw new UsageError(`unknown command 'schedules ${sub ?? ''}'`);
  }
}
