/**
 * stepwise.yaml `buckets`: local S3 buckets and the notifications that invoke functions; what S3
 * would refuse in PutBucketNotificationConfiguration is refused with its line and column.
 */
import { describe, expect, it } from 'vitest';
import { serveArgsFromConfig } from '../../src/cli/serve-config.js';
import { configFixture } from './fixture.js';

const { load, refusal } = configFixture('buckets');

describe('the buckets section', () => {
  it("declares the pipeline's bucket, whose new objects invoke the processor", () => {
    const config = load(`buckets:
  raw-metrics:
    notifications:
      - id: process-raw
        events: [s3:ObjectCreated:*]
        function: metrics-processor
        prefix: runs/
        suffix: .json
      - events: s3:ObjectRemoved:Delete
        function: arn:aws:lambda:us-east-1:123456789012:function:cleanup
  archive:
`);
    expect(config.buckets).toEqual([
      {
        name: 'raw-metrics',
        notifications: [
          { id: 'process-raw', events: ['s3:ObjectCreated:*'], function: 'metrics-processor', prefix: 'runs/', suffix: '.json' },
          { events: ['s3:ObjectRemoved:Delete'], function: 'arn:aws:lambda:us-east-1:123456789012:function:cleanup' },
        ],
      },
      { name: 'archive', notifications: [] },
    ]);
    expect(serveArgsFromConfig(config).buckets).toEqual(config.buckets);
  });

  it('refuses what S3 refuses, at its line', () => {
    expect(refusal('buckets:\n  Raw_Metrics: {}\n')).toMatch(/^stepwise\.yaml:2:3: bucket name 'Raw_Metrics': a bucket name may hold only lowercase letters/);
    expect(refusal('buckets:\n  raw:\n    notifications:\n      - events: [s3:ObjectCreated:Everything]\n        function: f\n')).toMatch(/^stepwise\.yaml:4:18: buckets\.raw\.notifications\[0\]\.events\[0\] is not an S3 event type/);
    expect(refusal('buckets:\n  raw:\n    notifications:\n      - events: [s3:ObjectCreated:*]\n')).toMatch(/^stepwise\.yaml:4:9: buckets\.raw\.notifications\[0\] needs events .* and a function/);
    expect(refusal('buckets:\n  raw:\n    notifications:\n      - events: [s3:ObjectCreated:*]\n        function: not a name\n')).toMatch(/^stepwise\.yaml:5:19: .*function must be a function name or a Lambda function ARN/);
    const overlap = 'buckets:\n  raw:\n    notifications:\n      - events: [s3:ObjectCreated:*]\n        function: a\n        prefix: runs/\n      - events: [s3:ObjectCreated:Put]\n        function: b\n        prefix: runs/2026/\n';
    expect(refusal(overlap)).toMatch(/^stepwise\.yaml:7:9: buckets\.raw\.notifications\[1\] overlaps notifications\[0\]/);
    expect(refusal('buckets:\n  raw:\n    lifecycle: {}\n')).toMatch(/^stepwise\.yaml:3:5: unknown key 'lifecycle' in buckets\.raw/);
  });

  it('takes rules that do not overlap: other events, or prefixes neither of which starts the other', () => {
    const config = load(`buckets:
  raw:
    notifications:
      - {events: [s3:ObjectCreated:*], function: a, prefix: runs/}
      - {events: [s3:ObjectCreated:*], function: b, prefix: logs/}
      - {events: [s3:ObjectRemoved:*], function: c, prefix: runs/}
`);
    expect(config.buckets?.[0]?.notifications.map((x) => x.function)).toEqual(['a', 'b', 'c']);
  });
});
