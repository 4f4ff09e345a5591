/** From the resolved configuration (src/config) to the arguments of `stepwise serve`. */
import { ConfigError } from '../config/errors.js';
import type { FunctionConfig, StepwiseConfig } from '../config/types.js';
import type { ServeArgs } from './serve-command.js';

/** A configured function as the `Name=./file.js#export` spec that --handler takes. */
export function handlerSpec(fn: FunctionConfig): string {
  // The spec splits at '#': a module path holding one cannot be passed through it.
  if (fn.module.includes('#')) throw new ConfigError(`functions.${fn.name}: the module path ${fn.module} contains '#', which Stepwise cannot load yet`);
  return `${fn.name}=${fn.module}#${fn.exportName}`;
}

/**
 * `handlerFlags` (--handler) come after the configured functions, so a flag overrides a function
 * of the same name. Each function's timeout and concurrency stay in the configuration: the local
 * invoker does not enforce them yet.
 */
export function serveArgsFromConfig(config: StepwiseConfig, handlerFlags: string[] = []): ServeArgs {
  return {
    host: config.server.host,
    port: config.server.port,
    requireAuth: config.server.requireAuth,
    credentials: config.server.credentials,
    ...config.store,
    limits: config.limits,
    handlers: [...config.functions.map(handlerSpec), ...handlerFlags],
  };
}
