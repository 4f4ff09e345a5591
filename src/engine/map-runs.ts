/** Distributed Map runs as the API reports them: a summary per run kept on the execution snapshot. */
import type { Fanout, MapRunSummary, Snapshot } from './types.js';

export function mapRunOf(s: { snap: Snapshot }, fan: Fanout): MapRunSummary | undefined {
  return fan.mapRunArn === undefined ? undefined : s.snap.mapRuns?.[fan.mapRunArn];
}

/** The map run ends: its children still running count as aborted. */
export function closeMapRun(s: { snap: Snapshot; now: number }, fan: Fanout, status: MapRunSummary['status']): void {
  const run = mapRunOf(s, fan);
  if (!run || run.status !== 'RUNNING') return;
  run.status = status;
  run.stopDate = s.now;
  run.aborted += run.running;
  run.running = 0;
}
