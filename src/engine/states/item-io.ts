/**
 * A Distributed Map's ItemReader and ResultWriter. Reading and writing are tasks the Map state
 * issues itself (no history events of their own): `arn:aws:states:::s3:getObject` answers the
 * object `{Body, ...}`, `arn:aws:states:::s3:listObjectsV2` the listing, and
 * `arn:aws:states:::s3:putObject` writes `{Bucket, Key, Body}`. This module turns what was read
 * into items (JSON, JSON Lines, CSV, an object listing) and the results into the files AWS writes.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { StatesError } from '../../asl/errors.js';

export interface ReaderSpec {
  resource: string;
  inputType: 'JSON' | 'JSONL' | 'CSV' | 'MANIFEST' | undefined;
  csvHeaderLocation: 'FIRST_ROW' | 'GIVEN';
  csvHeaders: string[] | undefined;
  csvDelimiter: string;
  itemsPointer: string | undefined;
  maxItems: number;
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

export function readerSpec(reader: JsonObject, maxItems: number): ReaderSpec {
  const config = isObject(reader['ReaderConfig']) ? reader['ReaderConfig'] : {};
  const inputType = typeof config['InputType'] === 'string' ? (config['InputType'] as ReaderSpec['inputType']) : undefined;
  return {
    resource: String(reader['Resource'] ?? ''),
    inputType,
    csvHeaderLocation: config['CSVHeaderLocation'] === 'GIVEN' ? 'GIVEN' : 'FIRST_ROW',
    csvHeaders: Array.isArray(config['CSVHeaders']) ? config['CSVHeaders'].map(String) : undefined,
    csvDelimiter: DELIMITERS[String(config['CSVDelimiter'] ?? 'COMMA')] ?? ',',
    itemsPointer: typeof config['ItemsPointer'] === 'string' ? config['ItemsPointer'] : undefined,
    maxItems,
  };
}

function failed(cause: string): StatesError {
  return new StatesError('States.ItemReaderFailed', cause);
}

/** The items a reader's answer holds, at most `maxItems` (0: all). */
export function itemsFromRead(spec: ReaderSpec, answer: Json): Json[] {
  let items: Json[];
  if (spec.resource.endsWith(':s3:listObjectsV2')) {
    const contents = isObject(answer) && Array.isArray(answer['Contents']) ? answer['Contents'] : [];
    items = contents.map((o) => {
      const obj = isObject(o) ? o : {};
      return { Etag: obj['ETag'] ?? obj['Etag'] ?? null, Key: obj['Key'] ?? null, LastModified: obj['LastModified'] ?? null, Size: obj['Size'] ?? null, StorageClass: obj['StorageClass'] ?? 'STANDARD' };
    });
  } else {
    const body = isObject(answer) ? answer['Body'] : undefined;
    if (typeof body !== 'string') throw failed('The object read by the ItemReader has no body.');
    items = parseBody(spec, body);
  }
  return spec.maxItems > 0 ? items.slice(0, spec.maxItems) : items;
}

function parseBody(spec: ReaderSpec, body: string): Json[] {
  switch (spec.inputType ?? 'JSON') {
    case 'JSON': {
      let doc: Json;
      try {
        doc = JSON.parse(body) as Json;
      } catch {
        throw failed('Attempting to map over non-iterable node.');
      }
      if (spec.itemsPointer !== undefined) doc = pointer(doc, spec.itemsPointer);
      if (!Array.isArray(doc)) throw failed('Attempting to map over non-iterable node.');
      return doc;
    }
    case 'JSONL':
      return body
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as Json;
          } catch {
            throw failed(`The line '${line.slice(0, 80)}' of the JSON Lines object is not valid JSON.`);
          }
        });
    case 'CSV':
      return csvItems(spec, body);
    default:
      throw failed(`InputType ${String(spec.inputType)} is not supported by Stepwise yet (JSON, JSONL and CSV are).`);
  }
}

function csvItems(spec: ReaderSpec, body: string): Json[] {
  let rows: string[][];
  try {
    rows = parseCsv(body, { delimiter: spec.csvDelimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    throw failed(`The CSV object could not be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const headers = spec.csvHeaderLocation === 'GIVEN' ? spec.csvHeaders : rows.shift();
  if (!headers || headers.length === 0) throw failed('The CSV object has no header row.');
  return rows.map((row) => {
    const item: JsonObject = {};
    headers.forEach((h, i) => {
      item[h] = row[i] ?? '';
    });
    return item;
  });
}

/** RFC 6901 JSON pointer (ItemsPointer). */
function pointer(doc: Json, ptr: string): Json {
  if (ptr === '' || ptr === '/') return doc;
  let cur: Json = doc;
  for (const raw of ptr.replace(/^\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = (cur[Number(key)] ?? null) as Json;
    else if (isObject(cur) && key in cur) cur = cur[key] as Json;
    else throw failed(`The ItemsPointer '${ptr}' names nothing in the object.`);
  }
  return cur;
}

/** The files a ResultWriter puts under `<Prefix>/<map run id>/`: the results, then the manifest. */
export function resultFiles(
  target: { bucket: string; prefix: string },
  mapRunArn: string,
  results: { succeeded: JsonObject[]; failed: JsonObject[] },
): { files: { Bucket: string; Key: string; Body: string }[]; output: JsonObject } {
  const runId = mapRunArn.split(':').at(-1) ?? 'run';
  const base = `${target.prefix ? `${target.prefix.replace(/\/$/, '')}/` : ''}${runId}`;
  const files: { Bucket: string; Key: string; Body: string }[] = [];
  const listed: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const [status, entries] of [['SUCCEEDED', results.succeeded], ['FAILED', results.failed]] as const) {
    if (entries.length === 0) continue;
    const key = `${base}/${status}_0.json`;
    const body = JSON.stringify(entries);
    files.push({ Bucket: target.bucket, Key: key, Body: body });
    (listed[status] as { Key: string; Size: number }[]).push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${base}/manifest.json`;
  files.push({ Bucket: target.bucket, Key: manifestKey, Body: JSON.stringify({ DestinationBucket: target.bucket, MapRunArn: mapRunArn, ResultFiles: listed }) });
  return { files, output: { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: target.bucket, Key: manifestKey } } };
}
