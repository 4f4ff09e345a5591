/** The `stepwise` command. */
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import { ApiCallError } from './api-client.js';
import { clientCommand } from './client-commands.js';
import { parseArgs } from 'node:util';
import { runCommand, UsageError } from './run-command.js';
import { loadMockConfigOption } from './mock-config-option.js';
import { serveCommand } from './serve-command.js';
import { serveArgsFromConfig } from './serve-config.js';
import { topicsCommand } from './topics-commands.js';
import { schedulesCommand } from './schedules-commands.js';
import { logsCommand } from './logs-commands.js';
import { reportCommand } from './report-commands.js';
import { exportCommand } from './export-command.js';
import { renderCommand } from './render-command.js';

const USAGE = `usage:
  stepwise run <definition.json> [--input JSON|@file] [--json] [--history] [--handler Name=./file.js[#export]]... [--real-time]
               [--mock-config FILE --test-case NAME [--state-machine-name NAME]]
  stepwise serve [--config FILE] [--port 8083] [--host 127.0.0.1] [--data-dir DIR | --database-url postgres://…]
                 [--require-auth] [--handler Name=./file.js[#export]]...
                 [--strict-iam]
                 [--mock-config FILE]
  stepwise machines list|describe <name|arn>            [--endpoint URL] [--json]
  stepwise executions list <machine> [--status S] | describe <arn> | history <arn> | stop <arn> | redrive <arn>
  stepwise validate <definition.json>                   (through the server's ValidateStateMachineDefinition)
  stepwise topics list | subscriptions [<topic>] | publish <topic> <message> [--subject S]
                  | deliveries [--topic T] [--status pending|delivered|failed] [--limit N]   (SNS, by name or ARN)
  stepwise cost [machine] [--days 30]                   (billed transitions, projected month, AWS prices)
  stepwise stats [machine] [--days 7] [--last N] [--alert-failure-rate R] [--alert-p95 SECONDS] [--publish TOPIC]
  stepwise render <machine> [--execution NAME|ARN] --out FILE.svg|FILE.png [--scale N]   (diagram, or an execution coloured by outcome)
  stepwise export cloudformation [--out FILE]           (the InfraMonitoring system as a CloudFormation template)
  stepwise logs tail <machine | /log/group> [--follow] [--since 1h] [--execution NAME] [--json]
  stepwise schedules list | describe <rule> | next <rule> [--count N] | pause <rule> [--note TEXT] | resume <rule>
                  | create <name> --expression EXPR --target MACHINE [--input JSON] [--time-zone ZONE] [--start ISO] [--end ISO]
                           [--flexible-window MIN] [--catch-up skip|latest|all] [--catch-up-window SECONDS] [--overlap allow|skip] [--disabled]
                  | delete <name>

  run      runs one state machine definition in-process and prints its outcome.
           Exit codes: 0 succeeded, 1 failed / timed out / aborted, 2 invalid definition or usage.
           --handler answers Task states: Name is a Lambda function name (for function ARNs and
           arn:aws:states:::lambda:invoke) or a full resource ARN. Waits and retry back-offs take no
           real time unless --real-time.
  serve    serves the Step Functions API (AWS JSON 1.0, SigV4) and runs executions durably, with the
           embedded SQLite store under --data-dir (default ./.stepwise) or a shared PostgreSQL.
           Settings come from --config FILE (or ./stepwise.yaml when present; see docs/configuration.md),
           then STEPWISE_* environment variables, then flags. On loopback the key pair test/test is
           accepted; --require-auth (and any non-loopback --host) needs configured credentials
           (server.credentials, or STEPWISE_ACCESS_KEY_ID and STEPWISE_SECRET_ACCESS_KEY). An invalid
           configuration exits 2 with its line and reason. Local functions (functions: in the file,
           --handler) run isolated in worker threads, with Lambda's timeout, memory and concurrency.
           A state machine whose role is defined under roles: may make only the calls its policies
           allow; a role that is not defined may call everything (with a warning), unless
           --strict-iam (or STEPWISE_STRICT_IAM=true), which fails its tasks.
           The web console is served at /console/ on the same port (behind the same credentials when
           --require-auth or off loopback). Stops on SIGTERM/SIGINT.
  mocks    --mock-config FILE (or SFN_MOCK_CONFIG) loads a Step Functions Local mock configuration file
           (MockConfigFile.json). Executions started as arn:…:stateMachine:Name#TestCase (serve), or run
           with --test-case TestCase (run; the machine's name is the file's unless --state-machine-name),
           have the Task states that test case names answered by its mocked responses.`;

export async function main(argv: string[], out: (line: string) => void = (l) => console.log(l), err: (line: string) => void = (l) => console.error(l)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            input: { type: 'string' },
            json: { type: 'boolean', default: false },
            history: { type: 'boolean', default: false },
            handler: { type: 'string', multiple: true, default: [] },
            'real-time': { type: 'boolean', default: false },
            'mock-config': { type: 'string' },
            'test-case': { type: 'string' },
            'state-machine-name': { type: 'string' },
          },
        });
        if (positionals.length !== 1) throw new UsageError('run needs exactly one definition file');
        return await runCommand(
          {
            definitionFile: positionals[0] as string,
            input: values.input,
            json: values.json ?? false,
            history: values.history ?? false,
            handlers: values.handler ?? [],
            realTime: values['real-time'] ?? false,
            mockConfig: values['mock-config'],
            testCase: values['test-case'],
            stateMachineName: values['state-machine-name'],
          },
          out,
        );
      }
      case 'machines':
      case 'executions':
      case 'validate':
        return await clientCommand(command, rest, out);
      case 'topics':
        return await topicsCommand(rest, out);
      case 'schedules':
        return await schedulesCommand(rest, out);
      case 'logs':
        return await logsCommand(rest, out);
      case 'cost':
      case 'stats':
        return await reportCommand(command, rest, out);
      case 'export':
        return exportCommand(rest, out);
      case 'render':
        return await renderCommand(rest, out);
      case 'serve': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            config: { type: 'string' },
            port: { type: 'string' },
            host: { type: 'string' },
            'data-dir': { type: 'string' },
            'database-url': { type: 'string' },
            'require-auth': { type: 'boolean' },
            'strict-iam': { type: 'boolean' },
            handler: { type: 'string', multiple: true, default: [] },
            'mock-config': { type: 'string' },
          },
        });
        if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got '${positionals.join(' ')}'`);
        const port = values.port === undefined ? undefined : Number(values.port);
        if (port !== undefined && (!/^\d+$/.test(values.port ?? '') || port > 65535)) throw new UsageError(`--port must be a port number, got '${values.port}'`);
        const config = loadConfig({
          ...(values.config !== undefined ? { configFile: values.config } : {}),
          flags: { port, host: values.host, dataDir: values['data-dir'], databaseUrl: values['database-url'], requireAuth: values['require-auth'], strictIam: values['strict-iam'] },
        });
        if (config.file) out(`Stepwise: configuration from ${config.file}`);
        const mockConfig = loadMockConfigOption(values['mock-config']);
        return await serveCommand({ ...serveArgsFromConfig(config, values.handler ?? []), ...(mockConfig ? { mockConfig } : {}) }, out);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      err(`stepwise: ${e.message}`);
      err(USAGE);
      return 2;
    }
    if (e instanceof ConfigError) {
      err(`stepwise: ${e.message}`);
      return 2;
    }
    if (e instanceof ApiCallError) {
      // The server's answer, as the AWS CLI prints it.
      err(`stepwise: ${e.code}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
