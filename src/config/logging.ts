/**
 * The `logging` section: where execution logs are exported as JSON lines besides the store.
 *   logging:
 *     exportDir: ./logs      # relative to this file; false: keep them in the store only
 * Default: `<dataDir>/logs` with the embedded store, none with PostgreSQL.
 */
import { resolve } from 'node:path';
import { isScalar } from 'yaml';
import { entries, fail, str, type Source, type YamlNode } from './yaml-nodes.js';

const LOGGING_KEYS = ['exportDir'] as const;

export function readLogging(src: Source, node: YamlNode, baseDir: string): { exportDir: string | false } | undefined {
  const fields = entries(src, node, 'logging', LOGGING_KEYS);
  const dir = fields.get('exportDir');
  if (!dir) return undefined;
  if (isScalar(dir.value) && dir.value.value === false) return { exportDir: false };
  if (isScalar(dir.value) && typeof dir.value.value !== 'string') fail(src, dir.value, 'logging.exportDir must be a folder, or false');
  return { exportDir: resolve(baseDir, str(src, dir.value, 'logging.exportDir')) };
}
