/** From the resolved configuration (src/config) to the arguments of `stepwise serve`. */
import type { FunctionConfig, StepwiseConfig } from '../config/types.js';
import type { ModuleFunction } from '../integrations/lambda-runtime.js';
import type { ServeArgs } from './serve-command.js';
import { stateMachineRef } from '../scheduler/rules.js';

/** A configured function as the isolated runtime runs it, with its timeout, memory and concurrency. */
export function moduleFunction(fn: FunctionConfig): ModuleFunction {
  return {
    name: fn.name,
    module: fn.module,
    exportName: fn.exportName,
    handler: fn.handler,
    codeDir: fn.codeDir,
    timeout: fn.timeout,
    ...(fn.memorySize !== undefined ? { memorySize: fn.memorySize } : {}),
    ...(fn.concurrency !== undefined ? { concurrency: fn.concurrency } : {}),
    ...(fn.environment !== undefined ? { environment: fn.environment } : {}),
    ...(fn.role !== undefined ? { role: fn.role } : {}),
  };
}

/** `handlerFlags` (--handler) are read after the configured functions, so a flag overrides a function of the same name. */
export function serveArgsFromConfig(config: StepwiseConfig, handlerFlags: string[] = []): ServeArgs {
  return {
    host: config.server.host,
    port: config.server.port,
    requireAuth: config.server.requireAuth,
    credentials: config.server.credentials,
    ...config.store,
    limits: config.limits,
    functions: config.functions.map(moduleFunction),
    handlers: handlerFlags,
    ...(config.topics ? { topics: config.topics } : {}),
    ...(config.smtp ? { smtp: config.smtp } : {}),
    ...(config.roles ? { roles: config.roles } : {}),
    ...(config.strictIam ? { strictIam: true } : {}),
    ...(config.connections ? { connections: config.connections } : {}),
    ...(config.buckets ? { buckets: config.buckets } : {}),
    ...(config.tables ? { tables: config.tables } : {}),
    ...(config.passthrough?.dynamodb ? { dynamodb: config.passthrough.dynamodb } : {}),
    ...(config.passthrough?.s3 ? { s3: config.passthrough.s3 } : {}),
    ...(config.logging ? { logExportDir: config.logging.exportDir } : {}),
    ...(config.rules
      ? {
          rules: config.rules.map((r) => ({
            name: r.name,
            ...(r.scheduleExpression !== undefined && { scheduleExpression: r.scheduleExpression }),
            ...(r.eventPattern !== undefined && { eventPattern: r.eventPattern }),
            state: r.state,
            ...(r.description !== undefined ? { description: r.description } : {}),
            ...(r.timeZone !== undefined && { timeZone: r.timeZone }),
            ...(r.startDate !== undefined && { startDate: r.startDate }),
            ...(r.endDate !== undefined && { endDate: r.endDate }),
            ...(r.flexibleWindowMinutes !== undefined && { flexibleWindowMinutes: r.flexibleWindowMinutes }),
            ...(r.catchUp !== undefined && { catchUp: r.catchUp }),
            ...(r.overlap !== undefined && { overlap: r.overlap }),
            targets: r.targets.map((t) => ({
              id: t.id,
              stateMachineArn: stateMachineRef(t.stateMachine),
              ...(t.input !== undefined ? { input: t.input } : {}),
              ...(t.inputPath !== undefined ? { inputPath: t.inputPath } : {}),
              ...(t.inputTransformer !== undefined ? { inputTransformer: t.inputTransformer } : {}),
            })),
            where: r.where,
          })),
        }
      : {}),
  };
}
