/**
 * Composition root of `npm start`: Stepwise with the InfraMonitoring pipeline deployed, one
 * execution at once, then the hourly schedule (src/pipeline/run.ts).
 *   npm start                                  serve, run once now, keep the schedule
 *   npm start -- --once                        run one execution and exit with its status
 *   npm start -- --simulate collector-failure  the collector fails: retries, then the failure route
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './config/errors.js';
import { PipelineSettingsError } from './cli/pipeline-settings.js';
import { runPipeline } from './cli/pipeline-run.js';

export async function main(argv: string[]): Promise<number> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { once: { type: 'boolean', default: false }, simulate: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, config: { type: 'string' } } }));
  } catch (err) {
    console.error(`stepwise: ${(err as Error).message}\nusage: npm start -- [--once] [--simulate collector-failure] [--port 8083] [--data-dir DIR] [--config FILE]`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    console.error(`stepwise: --port must be a port number, got '${values.port}'`);
    return 2;
  }
  try {
    const run = await runPipeline({
      once: values.once ?? false,
      ...(values.simulate !== undefined && { simulate: values.simulate }),
      ...(port !== undefined && { port }),
      ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] }),
      ...(values.config !== undefined && { configFile: values.config }),
    });
    const code = run.status === 'SUCCEEDED' ? 0 : 1;
    if (values.once) {
      await run.stop();
      return code;
    }
    console.log('\nStepwise keeps running the schedule; each run is reported here when it ends. Ctrl-C stops it.');
    run.watch();
    await new Promise<void>((done) => {
      const stop = () => void run.stop().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PipelineSettingsError) {
      console.error(`stepwise: ${err.message}`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`stepwise: the port is in use (another Stepwise?); pass --port N, or stop the other one`);
      return 2;
    }
    throw err;
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Worker threads and sockets of a stopped server must not keep --once alive.
    if (process.argv.includes('--once')) setTimeout(() => process.exit(code), 200).unref();
  });
}
