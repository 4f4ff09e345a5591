/**
 * Parallel and Map states: their nested blocks (checked by the block walker through
 * `ctx.validateBlock`) and the Map's own fields, Inline and Distributed (asl-surface.md §1.7-1.8).
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { checkArguments, checkTemplateField, checkValueOrPath } from './common.js';
import { checkFields, checkRequired, type FieldSpec } from './fields.js';
import { at, describeType, has, type Ctx, type QueryLanguage, type Reporter } from './report.js';
import {
  checkEnum,
  checkInteger,
  checkJsonataField,
  checkJsonataValue,
  checkNumber,
  checkPath,
  checkString,
  isJsonataString,
} from './values.js';

export function checkParallel(ctx: Ctx, state: JsonObject, location: string): void {
  const { r } = ctx;
  if (!checkRequired(r, state, ['Branches'], location)) return;
  const branches = state['Branches'];
  const loc = at(location, 'Branches');
  if (!Array.isArray(branches)) {
    r.schema(`The value for the field 'Branches' must be an ARRAY but was ${describeType(branches)}`, loc);
    return;
  }
  if (branches.length === 0) r.schema('Value cannot be empty', loc);
  branches.forEach((branch, i) => ctx.validateBlock(branch, at(loc, i), []));
}

/** Fields that only a Distributed Map may carry. */
const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'Label'];

export function checkMap(ctx: Ctx, state: JsonObject, location: string, ql: QueryLanguage): void {
  const { r } = ctx;
  const mode = checkProcessor(ctx, state, location);
  if (mode === 'INLINE') {
    for (const f of DISTRIBUTED_ONLY) {
      if (has(state, f)) r.schema(`Field '${f}' is only supported for a Map state in DISTRIBUTED mode`, at(location, f));
    }
  }
  if (has(state, 'ItemsPath') && ql === 'JSONPath') checkPath(r, state['ItemsPath'] as Json, at(location, 'ItemsPath'), { reference: true });
  if (has(state, 'Items') && ql === 'JSONata') {
    const items = state['Items'] as Json;
    if (isJsonataString(items)) checkJsonataField(r, items, at(location, 'Items'));
    else if (Array.isArray(items) || isObject(items)) checkJsonataValue(r, items, at(location, 'Items'));
    else r.schema(`The value for the field 'Items' must be an ARRAY or a JSONata expression but was ${describeType(items)}`, at(location, 'Items'));
  }
  if (has(state, 'Parameters') && has(state, 'ItemSelector')) {
    r.schema('There should only be one of the following fields: [ItemSelector, Parameters]', location);
  }
  if (has(state, 'ItemSelector')) {
    const selector = state['ItemSelector'] as Json;
    if (ql === 'JSONPath') checkTemplateField(r, selector, at(location, 'ItemSelector'));
    else checkArguments(r, selector, at(location, 'ItemSelector'));
  }
  checkValueOrPath(r, state, 'MaxConcurrency', location, ql, (v, l) => checkInteger(r, v, l, { min: 0 }, ql));
  checkValueOrPath(r, state, 'ToleratedFailurePercentage', location, ql, (v, l) => checkNumber(r, v, l, { min: 0, max: 100 }, ql));
  checkValueOrPath(r, state, 'ToleratedFailureCount', location, ql, (v, l) => checkInteger(r, v, l, { min: 0 }, ql));
  if (has(state, 'ItemReader')) checkItemReader(r, state['ItemReader'] as Json, at(location, 'ItemReader'), ql);
  if (has(state, 'ItemBatcher')) checkItemBatcher(r, state['ItemBatcher'] as Json, at(location, 'ItemBatcher'), ql);
  if (has(state, 'ResultWriter')) checkResultWriter(r, state['ResultWriter'] as Json, at(location, 'ResultWriter'), ql);
  if (has(state, 'Label')) checkString(r, state['Label'] as Json, at(location, 'Label'), { nonEmpty: true, maxLength: 40 });
}

/** ItemProcessor (or its deprecated synonym Iterator); returns the processor mode. */
function checkProcessor(ctx: Ctx, state: JsonObject, location: string): 'INLINE' | 'DISTRIBUTED' {
  const { r } = ctx;
  const keys = ['ItemProcessor', 'Iterator'].filter((k) => has(state, k));
  if (keys.length === 0) {
    r.schema('These fields are required: [ItemProcessor]', location);
    return 'INLINE';
  }
  if (keys.length > 1) r.schema('There should only be one of the following fields: [ItemProcessor, Iterator]', location);
  const key = keys[0] as string;
  const processor = state[key] as Json;
  const loc = at(location, key);
  let mode: 'INLINE' | 'DISTRIBUTED' = 'INLINE';
  if (isObject(processor) && has(processor, 'ProcessorConfig')) {
    mode = checkProcessorConfig(ctx, processor['ProcessorConfig'] as Json, at(loc, 'ProcessorConfig'));
  }
  ctx.validateBlock(processor, loc, ['ProcessorConfig']);
  return mode;
}

function checkProcessorConfig(ctx: Ctx, config: Json, location: string): 'INLINE' | 'DISTRIBUTED' {
  const { r } = ctx;
  if (!isObject(config)) {
    r.schema(`The value for the field 'ProcessorConfig' must be an OBJECT but was ${describeType(config)}`, location);
    return 'INLINE';
  }
  checkFields(r, config, { Mode: 'any', ExecutionType: 'any' }, 'JSONPath', location);
  if (has(config, 'Mode')) checkEnum(r, config['Mode'] as Json, ['INLINE', 'DISTRIBUTED'], at(location, 'Mode'));
  const mode = config['Mode'] === 'DISTRIBUTED' ? 'DISTRIBUTED' : 'INLINE';
  if (mode === 'DISTRIBUTED') {
    if (checkRequired(r, config, ['ExecutionType'], location)) {
      checkEnum(r, config['ExecutionType'] as Json, ['STANDARD', 'EXPRESS'], at(location, 'ExecutionType'));
    }
    if (ctx.machineType === 'EXPRESS') {
      r.schema("The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' state machines", at(location, 'Mode'));
    }
  } else if (has(config, 'ExecutionType')) {
    r.schema("Field 'ExecutionType' is not supported", at(location, 'ExecutionType'));
  }
  return mode;
}

const READER_FIELDS: FieldSpec = { Resource: 'any', Parameters: 'JSONPath', Arguments: 'JSONata', ReaderConfig: 'any' };
const READER_CONFIG_FIELDS: FieldSpec = {
  InputType: 'any', CSVHeaderLocation: 'any', CSVHeaders: 'any', CSVDelimiter: 'any', MaxItems: 'any',
  MaxItemsPath: 'JSONPath', Transformation: 'any', ManifestType: 'any', ItemsPointer: 'any',
};
const READER_RESOURCES = /^arn:[a-z-]+:states:::s3:(getObject|listObjectsV2)$/;

function checkItemReader(r: Reporter, reader: Json, location: string, ql: QueryLanguage): void {
  if (!isObject(reader)) {
    r.schema(`The value for the field 'ItemReader' must be an OBJECT but was ${describeType(reader)}`, location);
    return;
  }
  checkFields(r, reader, READER_FIELDS, ql, location);
  checkConnector(r, reader, location, ql, READER_RESOURCES);
  if (!has(reader, 'ReaderConfig')) return;
  const config = reader['ReaderConfig'] as Json;
  const loc = at(location, 'ReaderConfig');
  if (!isObject(config)) {
    r.schema(`The value for the field 'ReaderConfig' must be an OBJECT but was ${describeType(config)}`, loc);
    return;
  }
  checkFields(r, config, READER_CONFIG_FIELDS, ql, loc);
  const enums: [string, string[]][] = [
    ['InputType', ['CSV', 'JSON', 'JSONL', 'PARQUET', 'MANIFEST']],
    ['CSVHeaderLocation', ['FIRST_ROW', 'GIVEN']],
    ['CSVDelimiter', ['COMMA', 'PIPE', 'SEMICOLON', 'SPACE', 'TAB']],
    ['Transformation', ['NONE', 'LOAD_AND_FLATTEN']],
    ['ManifestType', ['ATHENA_DATA', 'S3_INVENTORY']],
  ];
  for (const [field, values] of enums) if (has(config, field)) checkEnum(r, config[field] as Json, values, at(loc, field));
  if (config['CSVHeaderLocation'] === 'GIVEN') {
    const headers = config['CSVHeaders'];
    if (!has(config, 'CSVHeaders')) r.schema('These fields are required: [CSVHeaders]', loc);
    else if (!Array.isArray(headers) || headers.length === 0 || headers.some((h) => typeof h !== 'string')) {
      r.schema("The value for the field 'CSVHeaders' must be a non-empty array of STRINGS", at(loc, 'CSVHeaders'));
    }
  } else if (has(config, 'CSVHeaders')) {
    r.schema("Field 'CSVHeaders' is only supported when 'CSVHeaderLocation' is 'GIVEN'", at(loc, 'CSVHeaders'));
  }
  if (has(config, 'ItemsPointer')) checkString(r, config['ItemsPointer'] as Json, at(loc, 'ItemsPointer'));
  checkValueOrPath(r, config, 'MaxItems', loc, ql, (v, l) => checkInteger(r, v, l, { min: 0, max: 100_000_000 }, ql));
}

const BATCHER_FIELDS: FieldSpec = {
  MaxItemsPerBatch: 'any', MaxItemsPerBatchPath: 'JSONPath', MaxInputBytesPerBatch: 'any',
  MaxInputBytesPerBatchPath: 'JSONPath', BatchInput: 'any',
};

function checkItemBatcher(r: Reporter, batcher: Json, location: string, ql: QueryLanguage): void {
  if (!isObject(batcher)) {
    r.schema(`The value for the field 'ItemBatcher' must be an OBJECT but was ${describeType(batcher)}`, location);
    return;
  }
  checkFields(r, batcher, BATCHER_FIELDS, ql, location);
  const limits = ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'];
  if (!limits.some((f) => has(batcher, f))) {
    r.schema(`At least one of the following fields is required: [${limits.join(', ')}]`, location);
  }
  checkValueOrPath(r, batcher, 'MaxItemsPerBatch', location, ql, (v, l) => checkInteger(r, v, l, { min: 1 }, ql));
  checkValueOrPath(r, batcher, 'MaxInputBytesPerBatch', location, ql, (v, l) => checkInteger(r, v, l, { min: 1, max: 262_144 }, ql));
  if (has(batcher, 'BatchInput')) {
    const input = batcher['BatchInput'] as Json;
    if (ql === 'JSONPath') checkTemplateField(r, input, at(location, 'BatchInput'));
    else checkArguments(r, input, at(location, 'BatchInput'));
  }
}

const WRITER_FIELDS: FieldSpec = { Resource: 'any', Parameters: 'JSONPath', Arguments: 'JSONata', WriterConfig: 'any' };

function checkResultWriter(r: Reporter, writer: Json, location: string, ql: QueryLanguage): void {
  if (!isObject(writer)) {
    r.schema(`The value for the field 'ResultWriter' must be an OBJECT but was ${describeType(writer)}`, location);
    return;
  }
  checkFields(r, writer, WRITER_FIELDS, ql, location);
  if (has(writer, 'Resource') || !has(writer, 'WriterConfig')) checkConnector(r, writer, location, ql, /^arn:[a-z-]+:states:::s3:putObject$/);
  if (!has(writer, 'WriterConfig')) return;
  const config = writer['WriterConfig'] as Json;
  const loc = at(location, 'WriterConfig');
  if (!isObject(config)) {
    r.schema(`The value for the field 'WriterConfig' must be an OBJECT but was ${describeType(config)}`, loc);
    return;
  }
  checkFields(r, config, { Transformation: 'any', OutputType: 'any' }, ql, loc);
  if (has(config, 'Transformation')) checkEnum(r, config['Transformation'] as Json, ['NONE', 'COMPACT', 'FLATTEN'], at(loc, 'Transformation'));
  if (has(config, 'OutputType')) checkEnum(r, config['OutputType'] as Json, ['JSON', 'JSONL'], at(loc, 'OutputType'));
}

/** ItemReader/ResultWriter: a fixed S3 resource plus Parameters (JSONPath) or Arguments (JSONata). */
function checkConnector(r: Reporter, obj: JsonObject, location: string, ql: QueryLanguage, resources: RegExp): void {
  if (checkRequired(r, obj, ['Resource'], location)) {
    const resource = obj['Resource'] as Json;
    if (typeof resource !== 'string' || !resources.test(resource)) {
      r.schema("The field 'Resource' does not match any of the allowed values", at(location, 'Resource'));
    }
  }
  if (has(obj, 'Parameters') && ql === 'JSONPath') checkTemplateField(r, obj['Parameters'] as Json, at(location, 'Parameters'));
  if (has(obj, 'Arguments') && ql === 'JSONata') checkArguments(r, obj['Arguments'] as Json, at(location, 'Arguments'));
}
