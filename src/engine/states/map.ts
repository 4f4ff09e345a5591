/** Map: runs its ItemProcessor once per item (inline, or as child executions when DISTRIBUTED). */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';
import type { StateNode } from '../../asl/graph.js';
import { compilePath, PathNotFoundError } from '../../asl/jsonpath.js';
import { resolvePath } from '../../asl/path-context.js';
import type { ErrorInfo } from '../../asl/retry.js';
import type { StateHandler, Stepper } from '../stepper.js';
import type { Fanout, Frame } from '../types.js';
import { closeMapRun, mapRunOf } from '../map-runs.js';
import { applyInputPath, applyTemplate, errorOutput, jsonataValue, pathContext } from '../dataflow.js';
import { completeFanout, completeWithResult } from './complete.js';
import { itemsFromRead, readerSpec, resultFiles } from './item-io.js';
import { memo } from '../../asl/graph.js';
import { exprText, jsonType } from './choice.js';

const PUT_OBJECT = 'arn:aws:states:::s3:putObject';

/** The ItemReader's Parameters (JSONPath) or Arguments (JSONata): what the read task is given. */
async function readerParameters(s: Stepper, frame: Frame, node: StateNode, reader: JsonObject, effective: Json): Promise<Json> {
  if (node.ql === 'JSONata') return 'Arguments' in reader ? await jsonataValue(s, frame, node, 'Arguments', reader['Arguments'] as Json, { input: frame.input }) : {};
  if (!('Parameters' in reader)) return {};
  const readerNode = memo(node, 'readerNode', () => ({ ...node, def: { ReaderParameters: reader['Parameters'] } }) as StateNode);
  return applyTemplate(s, frame, readerNode, 'ReaderParameters', effective);
}

/** A read or write of the Map's own: a task without history events of its own. */
function issueIo(s: Stepper, frame: Frame, node: StateNode, resource: string, input: Json): void {
  frame.token++;
  frame.waiting = 'task';
  const m = s.snap.meta;
  s.commands.push({
    kind: 'invokeTask',
    request: { frameId: frame.id, token: frame.token, stateName: node.name, resource, input, timeoutSeconds: undefined, heartbeatSeconds: undefined, taskToken: undefined, credentials: undefined, executionArn: m.executionArn, roleArn: m.roleArn },
  });
}

export const mapState: StateHandler = {
  async run(s, frame, node) {
    const d = node.def;
    const proc = (isObject(d['ItemProcessor']) ? d['ItemProcessor'] : isObject(d['Iterator']) ? d['Iterator'] : {}) as JsonObject;
    const config = isObject(proc['ProcessorConfig']) ? proc['ProcessorConfig'] : {};
    const distributed = config['Mode'] === 'DISTRIBUTED';
    let effective: Json;
    let items: Json[];
    if (isObject(d['ItemReader'])) {
      // The items come from S3: read them first (a task of the Map's own), then fan out.
      effective = node.ql === 'JSONata' ? frame.input : applyInputPath(s, frame, node, frame.input);
      const reader = d['ItemReader'];
      const params = await readerParameters(s, frame, node, reader, effective);
      const readerConfig = isObject(reader['ReaderConfig']) ? reader['ReaderConfig'] : {};
      const configNode = memo(node, 'readerConfigNode', () => ({ ...node, def: readerConfig }) as StateNode);
      const maxItems = 'MaxItems' in readerConfig || 'MaxItemsPath' in readerConfig ? await intField(s, frame, configNode, 'MaxItems', effective, 0) : 0;
      frame.mapIo = { phase: 'read', spec: readerSpec(reader, maxItems), effective };
      issueIo(s, frame, node, String(reader['Resource']), params);
      return;
    }
    if (node.ql === 'JSONata') {
      effective = frame.input;
      if ('Items' in d) {
        const v = await jsonataValue(s, frame, node, 'Items', d['Items'] as Json, { input: frame.input });
        if (!Array.isArray(v)) throw unexpected(s, frame, d['Items'], 'Items', 'array', v);
        items = v;
      } else items = asArray(s, frame, frame.input, 'States.QueryEvaluationError');
    } else {
      effective = applyInputPath(s, frame, node, frame.input);
      let v = effective;
      if (typeof d['ItemsPath'] === 'string') v = readPath(s, frame, node, 'ItemsPath', d['ItemsPath'], effective);
      items = asArray(s, frame, v, 'States.Runtime');
    }
    await startFanout(s, frame, node, distributed, effective, items);
  },

  async onTaskSucceeded(s, frame, node, output) {
    const io = frame.mapIo;
    frame.mapIo = undefined;
    if (!io) return;
    try {
      if (io.phase === 'read') {
        const proc = (isObject(node.def['ItemProcessor']) ? node.def['ItemProcessor'] : {}) as JsonObject;
        const distributed = isObject(proc['ProcessorConfig']) && proc['ProcessorConfig']['Mode'] === 'DISTRIBUTED';
        await startFanout(s, frame, node, distributed, io.effective, itemsFromRead(io.spec, output));
        return;
      }
      const rest = io.files.slice(1);
      if (rest.length > 0) {
        frame.mapIo = { phase: 'write', files: rest, output: io.output };
        issueIo(s, frame, node, PUT_OBJECT, rest[0] as unknown as Json);
        return;
      }
      await completeWithResult(s, frame, node, io.output);
    } catch (err) {
      if (!(err instanceof StatesError)) throw err;
      s.stateError(frame, node, err);
    }
  },

  async onTaskFailed(s, frame, node, err) {
    const io = frame.mapIo;
    frame.mapIo = undefined;
    const error = io?.phase === 'write' ? 'States.ResultWriterFailed' : 'States.ItemReaderFailed';
    s.stateError(frame, node, new StatesError(error, err.cause ?? err.error));
  },

  async onChildSucceeded(s, frame, node, child, output) {
    const fan = frame.fanout;
    if (!fan || frame.waiting !== 'children') return;
    fan.results[child.index] = output;
    fan.running--;
    fan.succeeded++;
    fan.children = fan.children.filter((id) => id !== child.id);
    const run = mapRunOf(s, fan);
    if (run) {
      run.running--;
      run.succeeded++;
    }
    if (!fan.distributed) s.emit(frame, 'MapIterationSucceeded', { name: node.name, index: child.index });
    await continueMap(s, frame, node);
  },

  async onChildFailed(s, frame, node, child, err) {
    const fan = frame.fanout;
    if (!fan || frame.waiting !== 'children') return;
    fan.running--;
    fan.failures++;
    fan.children = fan.children.filter((id) => id !== child.id);
    const run = mapRunOf(s, fan);
    if (run) {
      run.running--;
      run.failed++;
    }
    if (!fan.distributed) s.emit(frame, 'MapIterationFailed', { name: node.name, index: child.index });
    if (fan.distributed && withinTolerance(fan)) {
      fan.results[child.index] = errorOutput(err);
      await continueMap(s, frame, node);
      return;
    }
    const failure: ErrorInfo = fan.distributed
      ? { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' }
      : err;
    failMap(s, frame, node, failure);
  },

  async onRedrive(s, frame, node) {
    const fan = frame.fanout;
    const run = fan ? mapRunOf(s, fan) : undefined;
    if (fan && run) {
      // The failed and aborted child workflows run again; the others keep their outcome.
      run.status = 'RUNNING';
      run.stopDate = undefined;
      run.failed = 0;
      run.aborted = 0;
      run.running = fan.running;
      run.redriveCount++;
      run.redriveDate = s.now;
    }
    await continueMap(s, frame, node);
  },

  async onUpdateMapRun(s, frame, node, update) {
    const fan = frame.fanout;
    if (!fan) return;
    const run = mapRunOf(s, fan);
    if (update.maxConcurrency !== undefined) fan.maxConcurrency = update.maxConcurrency;
    if (update.toleratedFailureCount !== undefined) fan.toleratedCount = update.toleratedFailureCount;
    if (update.toleratedFailurePercentage !== undefined) fan.toleratedPercentage = update.toleratedFailurePercentage;
    if (run) {
      run.maxConcurrency = fan.maxConcurrency;
      run.toleratedFailureCount = fan.toleratedCount ?? 0;
      run.toleratedFailurePercentage = fan.toleratedPercentage ?? 0;
    }
    await continueMap(s, frame, node);
  },
};

/** The Map's items are known: MapStateStarted, the map run of a Distributed Map, then its first children. */
async function startFanout(s: Stepper, frame: Frame, node: StateNode, distributed: boolean, effective: Json, initialItems: Json[]): Promise<void> {
  const d = node.def;
  let items = initialItems;
  const maxConcurrency = await intField(s, frame, node, 'MaxConcurrency', effective, 0);
  s.emit(frame, 'MapStateStarted', { length: items.length });
  const toleratedCount = await toleratedCountOf(s, frame, node, effective);
  const toleratedPercentage = await toleratedPercentageOf(s, frame, node, effective);
  let mapRunArn: string | undefined;
  if (distributed) {
    const m = s.snap.meta;
    const label = typeof d['Label'] === 'string' ? d['Label'] : node.name;
    mapRunArn = `arn:aws:states:${m.region}:${m.account}:mapRun:${m.stateMachineName}/${label}:${s.env.newId()}`;
    s.emit(frame, 'MapRunStarted', { mapRunArn });
  }
  if (isObject(d['ItemBatcher'])) items = await batch(s, frame, node, items, d['ItemBatcher'], effective);
  if (mapRunArn !== undefined) {
    (s.snap.mapRuns ??= {})[mapRunArn] = {
      mapRunArn,
      stateName: node.name,
      status: 'RUNNING',
      startDate: s.now,
      stopDate: undefined,
      maxConcurrency,
      toleratedFailurePercentage: toleratedPercentage ?? 0,
      toleratedFailureCount: toleratedCount ?? 0,
      total: items.length,
      running: 0,
      succeeded: 0,
      failed: 0,
      aborted: 0,
      redriveCount: 0,
      redriveDate: undefined,
    };
  }
  const fan: Fanout = {
    total: items.length,
    nextIndex: 0,
    running: 0,
    succeeded: 0,
    failures: 0,
    results: new Array<Json>(items.length).fill(null),
    items,
    maxConcurrency,
    toleratedCount,
    toleratedPercentage,
    effectiveInput: effective,
    children: [],
    distributed,
    mapRunArn,
  };
  frame.fanout = fan;
  frame.waiting = 'children';
  frame.token++;
  if (items.length === 0) {
    await finishMap(s, frame, node);
    return;
  }
  await startMore(s, frame, node);
}

function withinTolerance(fan: Fanout): boolean {
  if (fan.toleratedCount === undefined && fan.toleratedPercentage === undefined) return false;
  if (fan.toleratedCount !== undefined && fan.failures <= fan.toleratedCount) return true;
  if (fan.toleratedPercentage !== undefined && (fan.failures / fan.total) * 100 <= fan.toleratedPercentage) return true;
  return false;
}

function failMap(s: Stepper, frame: Frame, node: StateNode, err: ErrorInfo): void {
  const fan = frame.fanout;
  if (fan) closeMapRun(s, fan, 'FAILED');
  s.abortChildren(frame);
  frame.failedFanout = fan;
  frame.waiting = undefined;
  frame.fanout = undefined;
  s.handleStateError(frame, node, err, {
    onGiveUp: () => {
      if (fan?.distributed) s.emit(frame, 'MapRunFailed', { error: err.error, cause: err.cause });
      s.emit(frame, 'MapStateFailed', undefined);
    },
  });
}

async function continueMap(s: Stepper, frame: Frame, node: StateNode): Promise<void> {
  const fan = frame.fanout as Fanout;
  try {
    await startMore(s, frame, node);
  } catch (err) {
    if (!(err instanceof StatesError)) throw err;
    failMap(s, frame, node, { error: err.name, cause: err.cause });
    return;
  }
  if (fan.running === 0 && fan.nextIndex >= fan.total) await finishMap(s, frame, node);
}

async function finishMap(s: Stepper, frame: Frame, node: StateNode): Promise<void> {
  const fan = frame.fanout as Fanout;
  if (fan.distributed) s.emit(frame, 'MapRunSucceeded', undefined);
  closeMapRun(s, fan, 'SUCCEEDED');
  s.emit(frame, 'MapStateSucceeded', undefined);
  const writer = node.def['ResultWriter'];
  if (isObject(writer) && fan.mapRunArn !== undefined) {
    await writeResults(s, frame, node, writer, fan);
    return;
  }
  await completeFanout(s, frame, node, fan.results);
}

/** ResultWriter: the children's results go to S3 (results files, then the manifest); the Map's result says where. */
async function writeResults(s: Stepper, frame: Frame, node: StateNode, writer: JsonObject, fan: Fanout): Promise<void> {
  let target: Json;
  try {
    if (node.ql === 'JSONata') target = 'Arguments' in writer ? await jsonataValue(s, frame, node, 'Arguments', writer['Arguments'] as Json, { input: frame.input }) : {};
    else if ('Parameters' in writer) {
      const writerNode = memo(node, 'writerNode', () => ({ ...node, def: { WriterParameters: writer['Parameters'] } }) as StateNode);
      target = applyTemplate(s, frame, writerNode, 'WriterParameters', fan.effectiveInput);
    } else target = {};
  } catch (err) {
    if (!(err instanceof StatesError)) throw err;
    frame.fanout = undefined;
    frame.waiting = undefined;
    s.stateError(frame, node, err);
    return;
  }
  const t = isObject(target) ? target : {};
  const failedIdx = new Set((frame.failedChildren ?? []).map((c) => c.index));
  const entries = fan.results.map((result, i): JsonObject => ({ Input: JSON.stringify(fan.items?.[i] ?? null), Output: JSON.stringify(result), Status: failedIdx.has(i) ? 'FAILED' : 'SUCCEEDED' }));
  const { files, output } = resultFiles({ bucket: String(t['Bucket'] ?? ''), prefix: String(t['Prefix'] ?? '') }, fan.mapRunArn as string, {
    succeeded: entries.filter((e) => e['Status'] === 'SUCCEEDED'),
    failed: entries.filter((e) => e['Status'] === 'FAILED'),
  });
  frame.fanout = undefined;
  frame.mapIo = { phase: 'write', files, output };
  issueIo(s, frame, node, PUT_OBJECT, files[0] as unknown as Json);
}

async function startMore(s: Stepper, frame: Frame, node: StateNode): Promise<void> {
  const fan = frame.fanout as Fanout;
  const items = fan.items as Json[];
  const block = node.processor;
  if (!block) throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}Map state has no ItemProcessor.`);
  const d = node.def;
  while (fan.nextIndex < fan.total && (fan.maxConcurrency === 0 || fan.running < fan.maxConcurrency)) {
    // nextIndex moves on only once the item's input is built: an item whose ItemSelector fails is redriven.
    const index = fan.nextIndex;
    const value = items[index] as Json;
    const extras = { mapItem: { index, value } };
    let input: Json = value;
    if (node.ql === 'JSONata') {
      if ('ItemSelector' in d) input = await jsonataValue(s, frame, node, 'ItemSelector', d['ItemSelector'] as Json, { input: frame.input, extras });
    } else if ('ItemSelector' in d) input = applyTemplate(s, frame, node, 'ItemSelector', fan.effectiveInput, extras);
    else if ('Parameters' in d) input = applyTemplate(s, frame, node, 'Parameters', fan.effectiveInput, extras);
    fan.nextIndex++;
    if (!fan.distributed) s.emit(frame, 'MapIterationStarted', { name: node.name, index });
    const child = s.newFrame(frame, 'iteration', index, fan.distributed, fan.distributed);
    fan.children.push(child.id);
    fan.running++;
    const run = mapRunOf(s, fan);
    if (run) run.running++;
    s.enterState(child, block.startAt, input);
  }
}

function asArray(s: Stepper, frame: Frame, v: Json, errorName: string): Json[] {
  if (Array.isArray(v)) return v;
  throw new StatesError(errorName, `${s.errorPrefix(frame)}Map state input must be an array but was: ${JSON.stringify(v)}`);
}

function unexpected(s: Stepper, frame: Frame, expr: unknown, field: string, expected: string, v: Json): StatesError {
  return new StatesError(
    'States.QueryEvaluationError',
    `${s.errorPrefix(frame)}The JSONata expression '${exprText(expr)}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${jsonType(v)}' for value: ${JSON.stringify(v)}`,
  );
}

function readPath(s: Stepper, frame: Frame, node: StateNode, field: string, text: string, input: Json): Json {
  try {
    return resolvePath(compilePath(text), pathContext(s, frame, node, input));
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}Invalid path '${text}' : No results for path: ${err.normalized}`);
    }
    throw err;
  }
}

/** Paths may name integers as JSON numbers or as numeric strings ("1"), as AWS's Java parser allows. */
function intLike(v: Json): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function floatLike(v: Json): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function quoted(v: Json): string {
  return `"${typeof v === 'string' ? v : JSON.stringify(v)}"`;
}

/** An integer field given literally, by `<field>Path`, or as JSONata. */
async function intField(s: Stepper, frame: Frame, node: StateNode, field: string, effective: Json, dflt: number): Promise<number> {
  const d = node.def;
  const raw = d[field];
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const v = await jsonataValue(s, frame, node, field, raw, { input: frame.input });
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw unexpected(s, frame, raw, field, 'integer', v);
    return v;
  }
  const p = d[`${field}Path`];
  if (typeof p === 'string') {
    const v = readPath(s, frame, node, `${field}Path`, p, effective);
    const n = intLike(v);
    if (n === undefined) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The ${field}Path field refers to value ${quoted(v)} which is not a valid integer: ${p}`);
    }
    return n;
  }
  return dflt;
}

async function toleratedCountOf(s: Stepper, frame: Frame, node: StateNode, effective: Json): Promise<number | undefined> {
  const d = node.def;
  if (!('ToleratedFailureCount' in d) && !('ToleratedFailureCountPath' in d)) return undefined;
  const v = await intFieldAllowNegative(s, frame, node, 'ToleratedFailureCount', effective);
  if (v < 0) throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}ToleratedFailureCount cannot be negative.`);
  return v;
}

async function intFieldAllowNegative(s: Stepper, frame: Frame, node: StateNode, field: string, effective: Json): Promise<number> {
  const d = node.def;
  const raw = d[field];
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    const v = await jsonataValue(s, frame, node, field, raw, { input: frame.input });
    if (typeof v !== 'number' || !Number.isInteger(v)) throw unexpected(s, frame, raw, field, 'integer', v);
    return v;
  }
  const p = d[`${field}Path`] as string;
  const v = readPath(s, frame, node, `${field}Path`, p, effective);
  const n = intLike(v);
  if (n === undefined) {
    throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The ${field}Path field refers to value ${quoted(v)} which is not a valid integer: ${p}`);
  }
  return n;
}

async function toleratedPercentageOf(s: Stepper, frame: Frame, node: StateNode, effective: Json): Promise<number | undefined> {
  const d = node.def;
  let v: number;
  const raw = d['ToleratedFailurePercentage'];
  if (typeof raw === 'number') v = raw;
  else if (typeof raw === 'string') {
    const got = await jsonataValue(s, frame, node, 'ToleratedFailurePercentage', raw, { input: frame.input });
    if (typeof got !== 'number') throw unexpected(s, frame, raw, 'ToleratedFailurePercentage', 'number', got);
    v = got;
  } else if (typeof d['ToleratedFailurePercentagePath'] === 'string') {
    const p = d['ToleratedFailurePercentagePath'];
    const read = readPath(s, frame, node, 'ToleratedFailurePercentagePath', p, effective);
    const n = floatLike(read);
    if (n === undefined) {
      throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}The ToleratedFailurePercentagePath field refers to value ${quoted(read)} which is not a valid float: ${p}`);
    }
    v = n;
  } else return undefined;
  if (v < 0 || v > 100) throw new StatesError('States.Runtime', `${s.errorPrefix(frame)}ToleratedFailurePercentage must be between 0 and 100.`);
  return v;
}

async function batch(s: Stepper, frame: Frame, node: StateNode, items: Json[], batcher: JsonObject, effective: Json): Promise<Json[]> {
  const fake = { ...node, def: batcher } as StateNode;
  const maxItems = 'MaxItemsPerBatch' in batcher || 'MaxItemsPerBatchPath' in batcher ? await intField(s, frame, fake, 'MaxItemsPerBatch', effective, 0) : 0;
  const maxBytes =
    'MaxInputBytesPerBatch' in batcher || 'MaxInputBytesPerBatchPath' in batcher ? await intField(s, frame, fake, 'MaxInputBytesPerBatch', effective, 0) : 0;
  let batchInput: Json | undefined;
  if ('BatchInput' in batcher) {
    batchInput =
      node.ql === 'JSONata'
        ? await jsonataValue(s, frame, node, 'BatchInput', batcher['BatchInput'] as Json, { input: frame.input })
        : applyTemplate(s, frame, fake, 'BatchInput', effective);
  }
  const out: Json[] = [];
  let current: Json[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length === 0) return;
    const b: JsonObject = batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current };
    out.push(b);
    current = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = maxBytes ? Buffer.byteLength(JSON.stringify(item)) : 0;
    if ((maxItems && current.length >= maxItems) || (maxBytes && current.length > 0 && bytes + size > maxBytes)) flush();
    current.push(item);
    bytes += size;
  }
  flush();
  return out;
}
