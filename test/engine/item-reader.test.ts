/**
 * A Distributed Map's ItemReader and ResultWriter: the Map reads its items from S3 (JSON, JSON
 * Lines, CSV, an object listing) before MapStateStarted, and writes its results to S3 with a
 * manifest, answering where they are.
 */
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/asl/errors.js';
import type { Json } from '../../src/lib/json.js';
import { outputOf, run, sketch } from './helpers.js';

const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };

function reading(readerConfig: Record<string, unknown>, resource = 'arn:aws:states:::s3:getObject') {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemReader: { Resource: resource, ReaderConfig: readerConfig, Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' } },
        ItemProcessor: processor,
        End: true,
      },
    },
  };
}

function s3(objects: Record<string, string>, calls: Json[] = []) {
  return {
    'arn:aws:states:::s3:getObject': (input: Json) => {
      calls.push(input);
      const { Bucket, Key } = input as { Bucket: string; Key: string };
      const body = objects[`${Bucket}/${Key}`];
      if (body === undefined) throw new StatesError('S3.NoSuchKeyException', 'The specified key does not exist.');
      return { Body: body, ContentType: 'application/octet-stream' };
    },
  };
}

describe('ItemReader', () => {
  it('reads a JSON array from S3 with the Parameters given, before MapStateStarted, and MaxItems limits it', async () => {
    const calls: Json[] = [];
    const r = await run(reading({ InputType: 'JSON', MaxItems: 2 }), { bucket: 'b', key: 'items.json' }, { handlers: s3({ 'b/items.json': '[{"n":1},{"n":2},{"n":3}]' }, calls) });
    expect(r.status).toBe('SUCCEEDED');
    expect(outputOf(r)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(calls).toEqual([{ Bucket: 'b', Key: 'items.json' }]);
    expect(sketch(r).slice(0, 4)).toEqual(['ExecutionStarted', 'MapStateEntered:Each', 'MapStateStarted', 'MapRunStarted']);
    expect(r.history.find((e) => e.type === 'MapStateStarted')?.details).toEqual({ length: 2 });
  });

  it('reads JSON Lines and CSV (header in the first row, or given; other delimiters), values as strings', async () => {
    const objects = { 'b/a.jsonl': '{"a":1}\n\n{"a":2}\n', 'b/a.csv': 'id,name\n1,"Smith, J"\n2,Lee\n', 'b/b.csv': '1|x\n2|y\n' };
    const jsonl = await run(reading({ InputType: 'JSONL' }), { bucket: 'b', key: 'a.jsonl' }, { handlers: s3(objects) });
    expect(outputOf(jsonl)).toEqual([{ a: 1 }, { a: 2 }]);
    const csv = await run(reading({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }), { bucket: 'b', key: 'a.csv' }, { handlers: s3(objects) });
    expect(outputOf(csv)).toEqual([{ id: '1', name: 'Smith, J' }, { id: '2', name: 'Lee' }]);
    const given = await run(reading({ InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['n', 'v'], CSVDelimiter: 'PIPE' }), { bucket: 'b', key: 'b.csv' }, { handlers: s3(objects) });
    expect(outputOf(given)).toEqual([{ n: '1', v: 'x' }, { n: '2', v: 'y' }]);
  });

  it('iterates over an object listing (listObjectsV2)', async () => {
    const handlers = {
      'arn:aws:states:::s3:listObjectsV2': () => ({ Contents: [{ Key: 'k1', ETag: '"e1"', Size: 3, LastModified: 1_700_000_000, StorageClass: 'STANDARD' }] }),
    };
    const r = await run(reading({}, 'arn:aws:states:::s3:listObjectsV2'), { bucket: 'b', key: 'ignored' }, { handlers });
    expect(outputOf(r)).toEqual([{ Etag: '"e1"', Key: 'k1', LastModified: 1_700_000_000, Size: 3, StorageClass: 'STANDARD' }]);
  });

  it('fails with States.ItemReaderFailed when the object cannot be read or is not a list, and a Catch takes it', async () => {
    const missing = await run(reading({ InputType: 'JSON' }), { bucket: 'b', key: 'nope.json' }, { handlers: s3({}) });
    expect([missing.status, missing.error]).toEqual(['FAILED', 'States.ItemReaderFailed']);
    expect(missing.cause).toBe('The specified key does not exist.');
    const def = reading({ InputType: 'JSON' });
    (def.States.Each as Record<string, unknown>)['Catch'] = [{ ErrorEquals: ['States.ItemReaderFailed'], Next: 'Handled' }];
    (def.States as Record<string, unknown>)['Handled'] = { Type: 'Pass', End: true };
    const caught = await run(def, { bucket: 'b', key: 'obj.json' }, { handlers: s3({ 'b/obj.json': '{"not":"a list"}' }) });
    expect(caught.status).toBe('SUCCEEDED');
    expect(outputOf(caught)).toEqual({ Error: 'States.ItemReaderFailed', Cause: 'Attempting to map over non-iterable node.' });
  });
});

describe('ResultWriter', () => {
  it('writes the results and a manifest under Prefix/<map run id>/ and answers where', async () => {
    const written: { Bucket: string; Key: string; Body: string }[] = [];
    const def = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', Label: 'Job', ItemProcessor: processor, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'runs' } }, End: true } },
    };
    const handlers = {
      'arn:aws:states:::s3:putObject': (input: Json) => {
        written.push(input as { Bucket: string; Key: string; Body: string });
        return { ETag: '"x"' };
      },
    };
    const r = await run(def, ['a', 'b'], { handlers });
    expect(r.status).toBe('SUCCEEDED');
    const out = outputOf(r) as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    const runId = out.MapRunArn.split(':').at(-1);
    expect(out.MapRunArn).toMatch(/:mapRun:[^/]+\/Job:/);
    expect(out.ResultWriterDetails).toEqual({ Bucket: 'results', Key: `runs/${runId}/manifest.json` });
    expect(written.map((f) => f.Key)).toEqual([`runs/${runId}/SUCCEEDED_0.json`, `runs/${runId}/manifest.json`]);
    expect(JSON.parse(written[0]!.Body)).toEqual([
      { Input: '"a"', Output: '"a"', Status: 'SUCCEEDED' },
      { Input: '"b"', Output: '"b"', Status: 'SUCCEEDED' },
    ]);
    expect(JSON.parse(written[1]!.Body)).toEqual({ DestinationBucket: 'results', MapRunArn: out.MapRunArn, ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: `runs/${runId}/SUCCEEDED_0.json`, Size: Buffer.byteLength(written[0]!.Body) }] } });
    expect(sketch(r)).toEqual(['ExecutionStarted', 'MapStateEntered:Each', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited:Each', 'ExecutionSucceeded']);
  });
});
