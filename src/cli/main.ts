/** The `stepwise` command. */
import { ApiCallError } from './api-client.js';
import { clientCommand } from './client-commands.js';
import { parseArgs } from 'node:util';
import { runCommand, UsageError } from './run-command.js';
import { serveCommand } from './serve-command.js';

const USAGE = `usage:
  stepwise run <definition.json> [--input JSON|@file] [--json] [--history] [--handler Name=./file.js[#export]]... [--real-time]
  stepwise serve [--port 8083] [--host 127.0.0.1] [--data-dir DIR | --database-url postgres://…] [--require-auth]
                 [--handler Name=./file.js[#export]]...
  stepwise machines list|describe <name|arn>            [--endpoint URL] [--json]
  stepwise executions list <machine> [--status S] | describe <arn> | history <arn> | stop <arn>
  stepwise validate <definition.json>                   (through the server's ValidateStateMachineDefinition)

  run      runs one state machine definition in-process and prints its outcome.
           Exit codes: 0 succeeded, 1 failed / timed out / aborted, 2 invalid definition or usage.
           --handler answers Task states: Name is a Lambda function name (for function ARNs and
           arn:aws:states:::lambda:invoke) or a full resource ARN. Waits and retry back-offs take no
           real time unless --real-time.
  serve    serves the Step Functions API (AWS JSON 1.0, SigV4) and runs executions durably, with the
           embedded SQLite store under --data-dir (default ./.stepwise) or a shared PostgreSQL.
           On loopback the key pair test/test is accepted; --require-auth (and any non-loopback
           --host) needs STEPWISE_ACCESS_KEY_ID and STEPWISE_SECRET_ACCESS_KEY. Stops on SIGTERM/SIGINT.`;

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
          },
          out,
        );
      }
      case 'machines':
      case 'executions':
      case 'validate':
        return await clientCommand(command, rest, out);
      case 'serve': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            port: { type: 'string', default: '8083' },
            host: { type: 'string', default: '127.0.0.1' },
            'data-dir': { type: 'string' },
            'database-url': { type: 'string' },
            'require-auth': { type: 'boolean', default: false },
            handler: { type: 'string', multiple: true, default: [] },
          },
        });
        if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got '${positionals.join(' ')}'`);
        const port = Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got '${values.port}'`);
        if (values['data-dir'] !== undefined && values['database-url'] !== undefined) throw new UsageError('use either --data-dir or --database-url, not both');
        return await serveCommand(
          {
            port,
            host: values.host ?? '127.0.0.1',
            ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
            ...(values['database-url'] !== undefined ? { databaseUrl: values['database-url'] } : {}),
            requireAuth: values['require-auth'] ?? false,
            handlers: values.handler ?? [],
          },
          out,
        );
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
    if (e instanceof ApiCallError) {
      // The server's answer, as the AWS CLI prints it.
      err(`stepwise: ${e.code}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
