/** Row shapes and their mapping to the Store port's records. BIGINT columns arrive as numbers (see pool.ts). */
import type { WorkItem } from '../../engine/store.js';

export { toExecutionRecord as toRecord, toHistoryEvent, toResourceRecord, toWorkItem, type ExecutionRow, type HistoryRow, type ResourceRow, type WorkRow } from '../rows.js';

export const executionColumns =
  'execution_arn, state_machine_arn, name, type, status, start_time, stop_time, input, output, error, cause, definition, snapshot, version, redrive_count, redrive_date, version_arn, alias_arn';

/** Column arrays for a multi-row INSERT ... SELECT FROM unnest(...) of work items. */
export function workColumns(items: readonly WorkItem[]): [string[], string[], string[], number[], string[]] {
  const ids: string[] = [];
  const arns: string[] = [];
  const kinds: string[] = [];
  const dues: number[] = [];
  const payloads: string[] = [];
  for (const item of items) {
    ids.push(item.id);
    arns.push(item.executionArn);
    kinds.push(item.kind);
    dues.push(item.dueAt);
    payloads.push(JSON.stringify(item.payload));
  }
  return [ids, arns, kinds, dues, payloads];
}

export const insertWorkFromUnnest = `
INSERT INTO work (id, execution_arn, kind, due_at, payload)
SELECT id, execution_arn, kind, due_at, payload
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS w(id, execution_arn, kind, due_at, payload)
ON CONFLICT (id) DO NOTHING`;

export function nullable<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

export const resourceColumns = 'kind, arn, name, doc, created_at, updated_at, revision';
