/**
 * Many closed executions of one machine, written straight to the store (no runner work), to
 * measure the console against a long history: each succeeded or failed, a second apart.
 */
import type { ExecutionRecord, Store } from '../../../src/engine/store.js';

export async function seedExecutions(store: Store, machineArn: string, definition: string, count: number, start = Date.UTC(2025, 0, 1)): Promise<void> {
  const machine = machineArn.split(':')[6] ?? 'machine';
  for (let i = 0; i < count; i++) {
    const failed = i % 10 === 9;
    const startTime = start + i * 1000;
    const record: ExecutionRecord = {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:${machine}:bulk-${String(i).padStart(5, '0')}`,
      stateMachineArn: machineArn,
      name: `bulk-${String(i).padStart(5, '0')}`,
      type: 'STANDARD',
      status: failed ? 'FAILED' : 'SUCCEEDED',
      startTime,
      stopTime: startTime + 250,
      input: '{}',
      output: failed ? undefined : '{}',
      error: failed ? 'Bulk.Failure' : undefined,
      cause: failed ? 'every tenth one fails' : undefined,
      definition,
      snapshot: undefined,
      version: 1,
      redriveCount: 0,
      redriveDate: undefined,
    };
    await store.createExecution(record, []);
  }
}
