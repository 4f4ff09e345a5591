/** The `stepwise` command. */
import { parseArgs } from 'node:util';
import { runCommand, UsageError } from './run-command.js';

const USAGE = `usage:
  stepwise run <definition.json> [--input JSON|@file] [--json] [--history] [--handler Name=./file.js[#export]]... [--real-time]

  run      runs one state machine definition in-process and prints its outcome.
           Exit codes: 0 succeeded, 1 failed / timed out / aborted, 2 invalid definition or usage.
           --handler answers Task states: Name is a Lambda function name (for function ARNs and
           arn:aws:states:::lambda:invoke) or a full resource ARN. Waits and retry back-offs take no
           real time unless --real-time.`;

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
    throw e;
  }
}
