/**
 * Shared fixtures: the pipeline's definition, run in-process with the pipeline's stand-ins
 * (src/pipeline/stand-ins.ts) scripted to succeed, retry, recheck or fail; histories on the wire.
 */
import { readFileSync } from 'node:fs';
import { StatesError } from '../../../src/asl/errors.js';
import { isObject, type JsonObject } from '../../../src/lib/json.js';
import { runLocal, type LocalHandler, type LocalRunResult } from '../../../src/engine/local-run.js';
import { toAwsEvent } from '../../../src/engine/history-format.js';
import { collectMetrics, getItem, newWorld, publish, type HostReadings, type StandInWorld } from '../../../src/pipeline/stand-ins.js';
import type { WireHistoryEvent } from '../../../src/console/diagram/index.js';

export const PIPELINE_TEXT = readFileSync(new URL('../../../src/pipeline/infra-monitoring.asl.json', import.meta.url), 'utf8');
export const PIPELINE = JSON.parse(PIPELINE_TEXT) as Record<string, unknown>;
export const PIPELINE_STATES = [
  'CollectMetrics',
  'WaitForS3Processing',
  'CheckProcessingComplete',
  'IsProcessed',
  'CountRecheck',
  'RecordInvalidMetrics',
  'RecordNotProcessed',
  'NotifySuccess',
  'NotifyFailure',
  'PipelineFailed',
];

const INVOKE = 'arn:aws:states:::lambda:invoke';
const GET_ITEM = 'arn:aws:states:::dynamodb:getItem';
const PUBLISH = 'arn:aws:states:::sns:publish';

/** Fixed figures, so that runs are the same on every host. */
export const READINGS: HostReadings = { cpuCount: 4, load1: 0.42, memoryPercent: 37.5, uptimeSeconds: 90_061 };
/** The error data-collector throws when it can collect nothing. */
export const COLLECTOR_ERROR = { error: 'CollectorFailure', cause: 'No metrics could be collected; nothing was written.' } as const;

export interface PipelineScript {
  /** How many collector calls fail before one succeeds (Infinity: all fail). */
  collectorFailures?: number;
  /** How many getItem calls find nothing before the processor's item is there (Infinity: the processor never writes it). */
  missingReads?: number;
  /** What the collector reads; figures the processor rejects make the run INVALID. */
  readings?: HostReadings;
}

export interface PipelineRun extends LocalRunResult {
  /** The stand-ins' bucket, table and notifications after the run. */
  world: StandInWorld;
}

/** The pipeline run in-process with its stand-ins, scripted to succeed, retry, recheck or fail. */
export async function runPipeline(script: PipelineScript = {}): Promise<PipelineRun> {
  const readings = script.readings ?? READINGS;
  const world = newWorld(() => readings);
  let collects = 0;
  let reads = 0;
  const handlers: Record<string, LocalHandler> = {
    [INVOKE]: (input) => {
      if (collects++ < (script.collectorFailures ?? 0)) throw new StatesError(COLLECTOR_ERROR.error, COLLECTOR_ERROR.cause);
      const payload = isObject(input) && isObject(input['Payload']) ? input['Payload'] : {};
      return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: collectMetrics(world, payload) };
    },
    [GET_ITEM]: (input) => (reads++ < (script.missingReads ?? 0) ? {} : getItem(world, input as JsonObject)),
    [PUBLISH]: (input) => publish(world, input as JsonObject),
  };
  return { ...(await runLocal(PIPELINE, {}, { handlers })), world };
}

/** History events as GetExecutionHistory puts them on the wire (JSON: dates become text). */
export function wire(result: LocalRunResult): WireHistoryEvent[] {
  return JSON.parse(JSON.stringify(result.history.map((e) => toAwsEvent(e)))) as WireHistoryEvent[];
}

/** The elements of one class, in document order (the renderer writes each on a line of its own). */
export function elements(svg: string, cls: string): string[] {
  return svg.split('\n').filter((line) => line.startsWith(`<g class="${cls}"`));
}

export function attr(element: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(element)?.[1];
}

/** The text of an attribute value or text node, unescaped. */
export function unescapeXml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
