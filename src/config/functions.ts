/**
 * The `functions` section: local Lambda functions declared as AWS Lambda declares them, a `code`
 * folder (relative to the configuration file) and a `handler` `<file without extension>.<export>`,
 * resolved here to the module file. The module is imported later, when the server starts.
 */
import { isScalar } from 'yaml';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULTS, type FunctionConfig } from './types.js';
import { entries, fail, int, str, type Source, type YamlNode } from './yaml-nodes.js';

/** Tried in this order, as Lambda's Node.js runtime does (it knows no .ts). */
export const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts'] as const;

const FUNCTION_KEYS = ['code', 'handler', 'timeout', 'memorySize', 'concurrency', 'environment', 'role'] as const;
/** Lambda's rule for environment variable names; its reserved names are the runtime's. */
const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const RESERVED_ENV = /^(AWS_REGION|AWS_DEFAULT_REGION|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_LAMBDA_.*|_HANDLER|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)$/;
/** Lambda's rule for a function name (the name alone, not an ARN). */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** `dir/index.handler` → file `dir/index`, export `handler`; undefined when it is not of that form. */
export function splitHandler(handler: string): { file: string; exportName: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const dirs = slash < 0 ? [] : handler.slice(0, slash).split('/');
  const base = handler.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot <= 0) return undefined;
  const exportName = base.slice(dot + 1);
  if (!EXPORT_NAME.test(exportName) || base.includes('\\')) return undefined;
  // No absolute paths and no way out of the code folder.
  if (dirs.some((d) => d === '' || d === '.' || d === '..' || d.includes('\\'))) return undefined;
  return { file: [...dirs, base.slice(0, dot)].join('/'), exportName };
}

export function readFunctions(src: Source, node: YamlNode, baseDir: string): FunctionConfig[] {
  const out: FunctionConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'functions')) {
    const path = `functions.${name}`;
    if (!FUNCTION_NAME.test(name)) fail(src, key, `function name '${name}' must be 1 to 64 letters, digits, '-' or '_' (as AWS Lambda's)`);
    const fields = entries(src, value, path, FUNCTION_KEYS);
    const code = fields.get('code');
    const handler = fields.get('handler');
    if (!code || !handler) {
      const missing = [code ? '' : "'code' (a folder, relative to this file)", handler ? '' : "'handler' (<file without extension>.<export>)"];
      fail(src, key, `${path} needs ${missing.filter(Boolean).join(' and ')}`);
    }

    const codeText = str(src, code.value, `${path}.code`);
    const codeDir = resolve(baseDir, codeText);
    if (!isDir(codeDir)) fail(src, code.value, `${path}.code: no folder ${codeText} next to ${src.file}`);

    const handlerText = str(src, handler.value, `${path}.handler`);
    const parts = splitHandler(handlerText);
    if (!parts) fail(src, handler.value, `${path}.handler must be <file without extension>.<export> inside the code folder, e.g. index.handler`);
    const module = MODULE_EXTENSIONS.map((ext) => join(codeDir, parts.file + ext)).find(isFile);
    if (!module) fail(src, handler.value, `${path}.handler: no ${parts.file}${MODULE_EXTENSIONS.join(`, ${parts.file}`)} in ${codeText}`);

    const timeout = fields.get('timeout');
    const memorySize = fields.get('memorySize');
    const concurrency = fields.get('concurrency');
    const envField = fields.get('environment');
    const environment: Record<string, string> = {};
    if (envField) {
      for (const [k, { key: kNode, value: v }] of entries(src, envField.value, `${path}.environment`)) {
        if (!ENV_NAME.test(k)) fail(src, kNode, `${path}.environment: '${k}' is not a valid variable name (a letter, then letters, digits and '_', as Lambda's)`);
        if (RESERVED_ENV.test(k)) fail(src, kNode, `${path}.environment: '${k}' is reserved by the Lambda runtime`);
        const value = isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean') ? String(v.value) : undefined;
        if (value === undefined) fail(src, v, `${path}.environment.${k} must be a string, number or boolean`);
        environment[k] = value;
      }
    }
    out.push({
      name,
      codeDir,
      handler: handlerText,
      module,
      exportName: parts.exportName,
      timeout: timeout ? int(src, timeout.value, `${path}.timeout`, 1, DEFAULTS.maxFunctionTimeout) : DEFAULTS.functionTimeout,
      ...(memorySize ? { memorySize: int(src, memorySize.value, `${path}.memorySize`, DEFAULTS.minFunctionMemory, DEFAULTS.maxFunctionMemory) } : {}),
      ...(concurrency ? { concurrency: int(src, concurrency.value, `${path}.concurrency`, 1) } : {}),
      ...(envField ? { environment } : {}),
      ...(fields.get('role') ? { role: str(src, (fields.get('role') as { value: YamlNode }).value, `${path}.role`) } : {}),
    });
  }
  return out;
}
