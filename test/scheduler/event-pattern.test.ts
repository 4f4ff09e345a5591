/**
 * EventBridge event patterns, by hand from AWS's documentation:
 * - "Creating event patterns" and "Event pattern syntax" (eb-event-patterns.html, eb-create-pattern.html);
 * - "Content filtering in Amazon EventBridge event patterns" (eb-event-patterns-content-based-filtering.html)
 *   and "Comparison operators" (eb-create-pattern-operators.html);
 * - "Arrays in event patterns" (eb-event-patterns-arrays.html);
 * - "Matching events on null values and empty strings" (eb-event-patterns-null-values.html).
 * Where the pages are silent, rows follow cases localstack recorded against AWS
 * (tests/aws/services/events/event_pattern_templates, marked [recorded]) and aws/event-ruler,
 * the matcher behind EventBridge, whose refusal texts AWS returns verbatim.
 */
import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from '../../src/scheduler/event-pattern.js';
import { ServiceError } from '../../src/service/errors.js';

/** The EC2 state-change event AWS's pages use. */
const EC2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** An event with the usual envelope and this detail (and any top-level fields given). */
const ev = (detail: unknown, top: Record<string, unknown> = {}) => ({ ...EC2, detail, ...top });

/** The null-values page's Auto Scaling event. */
const ASG = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

/** The arrays page's pattern: three instance ARNs. */
const ARRAY_PATTERN = {
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f', 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'],
};

/** [what it shows, pattern, event, matches]. */
type Row = readonly [string, unknown, unknown, boolean];

const ROWS: readonly Row[] = [
  // --- Creating event patterns: exact values, AND across fields, OR within a list
  ['the page’s terminated-instance pattern', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, EC2, true],
  ['one field off fails the whole pattern', { source: ['aws.ec2'], detail: { state: ['running'] } }, EC2, false],
  ['a list is an OR of values', { source: ['aws.ec2', 'aws.fargate'] }, EC2, true],
  ['fields not in the pattern are ignored', { region: ['us-west-1'] }, EC2, true],
  ['values are case-sensitive', { source: ['AWS.EC2'] }, EC2, false],
  ['field names are case-sensitive [recorded]', { Source: ['aws.ec2'] }, EC2, false],
  ['a field the event lacks fails', { detail: { missing: ['x'] } }, EC2, false],
  ['matches account as a string', { account: ['111122223333'] }, EC2, true],
  ['a pattern string does not match a number', { detail: { n: ['300'] } }, ev({ n: 300 }), false],
  ['a pattern number does not match a string', { detail: { n: [300] } }, ev({ n: '300' }), false],
  ['numbers match by value: 300 matches 300.0 [recorded]', { number: [300] }, { ...EC2, number: 300.0 }, true],
  ['3.0e2 in the pattern matches 300', { detail: { n: [3.0e2] } }, ev({ n: 300 }), true],
  ['an exact number beyond the numeric range still matches itself', { detail: { n: [123456789012] } }, ev({ n: 123456789012 }), true],
  ['true matches true', { detail: { on: [true] } }, ev({ on: true }), true],
  ['true does not match "true"', { detail: { on: [true] } }, ev({ on: 'true' }), false],
  ['false does not match null', { detail: { on: [false] } }, ev({ on: null }), false],
  ['the pattern must follow the event’s nesting', { 'detail.state': ['terminated'] }, EC2, false],
  ['a dotted key does not reach into nested objects [recorded]', { detail: { 'state.status': { status: ['running'] } } }, ev({ state: { status: 'running' } }), false],
  ['a dotted event key is not nesting either [recorded]', { detail: { state: { status: ['running'] } } }, ev({ 'state.status': { status: 'running' } }), false],
  ['a detail given as JSON text is a string, not an object [recorded]', { detail: { 'my-key': ['my-value'] } }, ev('{"my-key": "my-value"}'), false],
  ['deep nesting', { detail: { a: { b: { c: ['d'] } } } }, ev({ a: { b: { c: 'd' } } }), true],
  ['a leaf pattern does not match an object value', { detail: { a: ['x'] } }, ev({ a: { b: 'x' } }), false],
  ['an object pattern does not match a scalar value', { detail: { a: { b: ['x'] } } }, ev({ a: 'x' }), false],

  // --- Arrays in event patterns
  ['arrays page, example 1: one resource in the list', ARRAY_PATTERN, ev({}, { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] }), true],
  ['arrays page, example 2: any overlap matches', ARRAY_PATTERN, ev({}, { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:000000000000:instance/i-other'] }), true],
  ['arrays page, example 3: no overlap', ARRAY_PATTERN, ev({}, { resources: ['arn:aws:ec2:us-east-1:000000000000:instance/i-other'] }), false],
  ['an empty event array matches no value', { resources: ['x'] }, ASG, false],
  ['nested event arrays are flattened', { detail: { tags: ['b'] } }, ev({ tags: [['a'], ['b', 'c']] }), true],
  ['an object pattern over an array of objects: one element suffices [recorded]', { detail: { automations: { id: [{ exists: true }] } } }, ev({ automations: [{ key1: 'v' }, { id: 'match-does-exist' }, { key2: 'v' }] }), true],
  ['fields under an array must match in the same element', { detail: { items: { a: [1], b: [2] } } }, ev({ items: [{ a: 1, b: 3 }, { a: 3, b: 2 }] }), false],
  ['… and do when one element has both', { detail: { items: { a: [1], b: [2] } } }, ev({ items: [{ a: 3, b: 3 }, { a: 1, b: 2 }] }), true],

  // --- Null values and empty strings
  ['an empty string matches [""]', { detail: { eventVersion: [''] } }, ASG, true],
  ['null matches [null]', { detail: { responseElements: [null] } }, ASG, true],
  ['null and "" are not interchangeable', { detail: { responseElements: [''] } }, ASG, false],
  ['… either way', { detail: { eventVersion: [null] } }, ASG, false],
  ['[null] does not match an absent field', { detail: { other: [null] } }, ASG, false],
  ['[null] does not match an empty array [recorded]', { resources: [null] }, ASG, false],

  // --- Prefix and suffix
  ['prefix on time (the page’s example)', { time: [{ prefix: '2017-12-22' }] }, EC2, true],
  ['prefix that does not fit', { time: [{ prefix: '2017-10-02' }] }, EC2, false],
  ['prefix is case-sensitive', { source: [{ prefix: 'AWS.' }] }, EC2, false],
  ['prefix ignores numbers', { detail: { n: [{ prefix: '30' }] } }, ev({ n: 300 }), false],
  ['an empty prefix matches any string', { detail: { state: [{ prefix: '' }] } }, EC2, true],
  ['prefix with equals-ignore-case: "EventB" matches "EVENTBRIDGE"', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, ev({ service: 'EVENTBRIDGE' }), true],
  ['prefix with equals-ignore-case is still a prefix', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, ev({ service: 'Amazon EventBridge' }), false],
  ['suffix ".png" (the page’s example)', { FileName: [{ suffix: '.png' }] }, { ...EC2, FileName: 'photo.png' }, true],
  ['suffix is case-sensitive', { FileName: [{ suffix: '.png' }] }, { ...EC2, FileName: 'photo.PNG' }, false],
  ['suffix with equals-ignore-case matches ".PNG"', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, ev({ FileName: 'photo.PNG' }), true],
  ['prefix on the resources array', { resources: [{ prefix: 'arn:aws:ec2:' }] }, EC2, true],

  // --- Anything-but
  ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ev({ state: 'running' }), true],
  ['anything-but excludes the value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ev({ state: 'initializing' }), false],
  ['anything-but matches null [recorded]', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ev({ state: null }), true],
  ['anything-but needs the field', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ev({}), false],
  ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ev({ 'x-limit': 456 }), true],
  ['anything-but a number excludes it', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ev({ 'x-limit': 123 }), false],
  ['anything-but 0 matches 789 [recorded]', { detail: { 'x-limit': [{ 'anything-but': 0 }] } }, ev({ 'x-limit': 789 }), true],
  ['anything-but a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ev({ state: 'running' }), true],
  ['anything-but a list of strings excludes each', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ev({ state: 'overloaded' }), false],
  ['anything-but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ev({ 'x-limit': 250 }), true],
  ['anything-but a list of numbers excludes 200.0', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ev({ 'x-limit': 200.0 }), false],
  ['anything-but a string still matches a string-typed number [recorded]', { dynamodb: { N: [{ 'anything-but': '101' }] } }, { ...EC2, dynamodb: { N: '42' } }, true],
  ['anything-but over an event array: one other value suffices', { detail: { codes: [{ 'anything-but': [100, 500] }] } }, ev({ codes: [100, 50] }), true],
  ['anything-but over an event array of excluded values', { detail: { codes: [{ 'anything-but': [100, 500] }] } }, ev({ codes: [100, 500] }), false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ev({ state: 'running' }), true],
  ['anything-but prefix excludes', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ev({ state: 'initializing' }), false],
  ['anything-but prefix matches a number [recorded]', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ev({ state: 12 }), true],
  ['anything-but a list of prefixes', { detail: { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] } }, ev({ Region: 'eu-west-1' }), false],
  ['anything-but suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, ev({ FileName: 'a.txt' }), true],
  ['anything-but suffix excludes', { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, ev({ FileName: 'a.png' }), false],
  ['anything-but equals-ignore-case excludes any casing', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } }, ev({ state: 'INITIALIZING' }), false],
  ['anything-but equals-ignore-case list', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'Overloaded'] } }] } }, ev({ state: 'running' }), true],
  ['anything-but wildcard (the operators table’s /lib/ example)', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, ev({ FilePath: '/usr/lib/libc.so' }), false],
  ['anything-but wildcard lets other paths through', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, ev({ FilePath: '/usr/bin/env' }), true],
  ['anything-but wildcard matches a number [recorded]', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/dir/*' } }] } }, ev({ FilePath: 123 }), true],
  ['anything-but an empty wildcard matches a non-empty string [recorded]', { detail: { FilePath: [{ 'anything-but': { wildcard: '' } }] } }, ev({ FilePath: 'dir/init/file' }), true],

  // --- Numeric matching
  ['the page’s numeric pattern, all true', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, ev({ 'c-count': 5, 'd-count': 9.5, 'x-limit': 301.8 }), true],
  ['> 0 excludes 0', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ev({ 'c-count': 0 }), false],
  ['<= 5 excludes 5.000001', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, ev({ 'c-count': 5.000001 }), false],
  ['< 10 excludes 10', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, ev({ 'd-count': 10 }), false],
  ['>= includes its bound', { detail: { n: [{ numeric: ['>=', 200, '<', 500] }] } }, ev({ n: 200 }), true],
  ['negative numbers', { detail: { n: [{ numeric: ['<', 0] }] } }, ev({ n: -0.5 }), true],
  ['numeric does not match a numeric string [recorded]', { number: [{ numeric: ['>', 100] }] }, { ...EC2, number: '300' }, false],
  ['numeric does not match null', { detail: { n: [{ numeric: ['>', 100] }] } }, ev({ n: null }), false],
  ['numeric beyond AWS’s range never matches', { detail: { n: [{ numeric: ['>', 0] }] } }, ev({ n: 6e9 }), false],
  ['numeric over an event array', { detail: { n: [{ numeric: ['>', 10] }] } }, ev({ n: [1, 2, 30] }), true],

  // --- IP address matching
  ['cidr 10.0.0.0/24 includes 10.0.0.255', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, ev({ sourceIPAddress: '10.0.0.255' }), true],
  ['cidr 10.0.0.0/24 excludes 10.0.1.0', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, ev({ sourceIPAddress: '10.0.1.0' }), false],
  ['cidr does not match a number [recorded]', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, ev({ sourceIPAddress: 123 }), false],
  ['cidr does not match a host name', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, ev({ sourceIPAddress: 'example.com' }), false],
  ['IPv6 cidr matches the long form [recorded]', { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } }, ev({ sourceIPAddress: '2001:0db8:1234:1a00:0000:0000:0000:0000' }), true],
  ['IPv6 cidr excludes the next /64', { detail: { sourceIPAddress: [{ cidr: '2001:db8:1234:1a00::/64' }] } }, ev({ sourceIPAddress: '2001:db8:1234:1a01::1' }), false],
  ['an IPv4 range does not match an IPv6 address', { detail: { ip: [{ cidr: '0.0.0.0/0' }] } }, ev({ ip: '::1' }), false],
  ['an exact IPv6 value matches another spelling of it', { detail: { ip: ['::1'] } }, ev({ ip: '0:0:0:0:0:0:0:1' }), true],
  ['an IPv4-mapped IPv6 address is read as IPv4 (Java’s InetAddress, under event-ruler)', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, ev({ ip: '::ffff:a00:1' }), true],
  ['the range starts at the address as written (event-ruler does not clear host bits)', { detail: { ip: [{ cidr: '10.0.0.5/24' }] } }, ev({ ip: '10.0.0.4' }), false],

  // --- Exists matching
  ['exists true: the page’s detail.state', { detail: { state: [{ exists: true }] } }, EC2, true],
  ['exists true fails without the field (the page’s counter-example)', { detail: { state: [{ exists: true }] } }, ev({ 'c-count': { c1: 100 } }), false],
  ['exists true only for leaves [recorded]', { dynamodb: { presentKey: [{ exists: true }] } }, { ...EC2, dynamodb: { presentKey: { S: 'test123' } } }, false],
  ['exists true matches null', { detail: { responseElements: [{ exists: true }] } }, ASG, true],
  ['exists true does not match an empty array [recorded]', { resources: [{ exists: true }] }, ASG, false],
  ['exists false matches an absent field', { detail: { 'c-count': [{ exists: false }] } }, EC2, true],
  ['exists false fails when the field is there [recorded]', { detail: { level1: { level2: { level3: { level4: [{ exists: false }] } } } } }, ev({ level1: { level2: { level3: { level4: 'l4 value' } } } }), false],
  ['exists false matches when a parent is absent [recorded]', { detail: { level1: { 'level2:': { level3: { level4: [{ exists: false }] } } } } }, ev({ level1: { level2: 'l2 value' } }), true],
  ['exists false matches an intermediate object (leaves only)', { detail: { 'c-count': [{ exists: false }] } }, ev({ 'c-count': { c1: 100 } }), true],
  ['exists false or anything-but: the absent field takes the exists branch [recorded]', { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } }, { ...EC2, dynamodb: { NewImage: { purchased: { N: '789' } } } }, true],

  // --- Equals-ignore-case and wildcard
  ['equals-ignore-case on detail-type', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, EC2, true],
  ['equals-ignore-case is still whole-value', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, EC2, false],
  ['equals-ignore-case "" matches "" [recorded]', { detail: { value: [{ 'equals-ignore-case': '' }] } }, ev({ value: '' }), true],
  ['wildcard over a bus ARN [recorded]', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, { ...EC2, EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' }, true],
  ['wildcard in the middle', { FileName: [{ wildcard: '/Users/*/doc.txt' }] }, { ...EC2, FileName: '/Users/ls_user/dir/dir/doc.txt' }, true],
  ['wildcard repeating text after the star [recorded]', { FileName: [{ wildcard: '/Users/*/dir/dir/dir/dir/dir/doc.txt' }] }, { ...EC2, FileName: '/Users/ls_user/dir/dir/dir/dir/dir/doc.txt' }, true],
  ['wildcard that does not fit', { FileName: [{ wildcard: '*.png' }] }, { ...EC2, FileName: 'a.png.txt' }, false],
  ['"*" matches the empty string', { detail: { s: [{ wildcard: '*' }] } }, ev({ s: '' }), true],
  ['an escaped star is literal', { detail: { s: [{ wildcard: 'a\\*b' }] } }, ev({ s: 'a*b' }), true],
  ['… and not a wildcard', { detail: { s: [{ wildcard: 'a\\*b' }] } }, ev({ s: 'axxb' }), false],
  ['wildcard does not match numbers', { detail: { n: [{ wildcard: '1*' }] } }, ev({ n: 12 }), false],

  // --- $or
  ['$or under detail (the page’s example): the second branch', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } }, ev({ 'c-count': 50, 'd-count': 3 }), true],
  ['$or with no branch true', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, ev({ 'c-count': 50, 'd-count': 30 }), false],
  ['$or across levels: source AND (detail-type OR detail.state)', { source: ['aws.ec2'], $or: [{ 'detail-type': ['Other'] }, { detail: { state: ['terminated'] } }] }, EC2, true],
  ['$or across levels, neither branch', { source: ['aws.ec2'], $or: [{ 'detail-type': ['Other'] }, { detail: { state: ['running'] } }] }, EC2, false],
  ['nested $or', { $or: [{ source: ['x'] }, { $or: [{ region: ['us-west-1'] }, { account: ['x'] }] }] }, EC2, true],
  ['two values of one field in different $or branches', { detail: { $or: [{ state: ['running'] }, { state: ['terminated'] }] } }, EC2, true],

  // --- The page’s complex example
  [
    'prefix, anything-but and numeric together',
    { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    ev({ state: 'running', 'c-count': 3, 'd-count': 2, 'x-limit': 150 }, { time: '2017-10-02T18:43:48Z' }),
    true,
  ],
  [
    '… one condition false',
    { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    ev({ state: 'running', 'x-limit': 300 }, { time: '2017-10-02T18:43:48Z' }),
    false,
  ],
  ['a repeated key: the last one counts', '{"detail": {"state": [{"prefix": "run"}], "state": [{"anything-but": "running"}]}}', EC2, true],
];

describe('matchesEventPattern', () => {
  it('has a table of at least 80 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(ROWS)('%s', (_name, pattern, event, expected) => {
    const compiled = parseEventPattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern));
    expect(matchesEventPattern(compiled, event)).toBe(expected);
  });

  it('only matches events that are JSON objects', () => {
    const compiled = parseEventPattern('{"detail": {"x": [{"exists": false}]}}');
    expect(matchesEventPattern(compiled, {})).toBe(true);
    for (const event of [null, 'text', 42, [EC2]]) expect(matchesEventPattern(compiled, event)).toBe(false);
  });
});

/** [pattern text, AWS's reason]. */
const INVALID: readonly (readonly [string, string])[] = [
  // Recorded against AWS by localstack (Message, without Jackson's location).
  ['["not", "a", "dict", "but valid json"]', 'Filter is not an object'],
  ['{"int": 42}', '"int" must be an object or an array'],
  ['{"string": "my-value"}', '"string" must be an object or an array'],
  ['{"resources": []}', 'Empty arrays are not allowed'],
  ['{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}', 'Unrecognized match type NUMERIC'],
  ['{"my_key": [{"EXISTS": true}]}', 'Unrecognized match type EXISTS'],
  ['{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}', 'Bad numeric range operator: >'],
  ['{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}', 'Value of < must be numeric'],
  ['{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}', 'Consecutive wildcard characters at pos 26'],
  ['{"detail-type": [{"equals-ignore-case": ["ec2 instance state-change notification"]}]}', 'equals-ignore-case match pattern must be a string'],
  ['{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}', 'equals-ignore-case match pattern must be a string'],
  ['{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0"}]}}', "Malformed CIDR, one '/' required"],
  ['{"detail": {"sourceIPAddress": [{"cidr": "10.0.0.0/xx"}]}}', 'Malformed CIDR, mask bits must be an integer'],
  ['{"detail": {"sourceIPAddress": [{"cidr": "xx.11.xx/24"}]}}', 'Nonstandard IP address: xx.11.xx'],
  ['{"detail": {"sourceIPAddress": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}}', 'Nonstandard IP address: xxxx:db8:1234:1a00::'],
  ['{"detail": {"sourceIPAddress": [{"cidr": ["bad-type"]}]}}', 'prefix match pattern must be a string'],
  ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
  ['{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
  ['{"EventBusArn": [{"wildcard": 123}]}', 'wildcard match pattern must be a string'],
  ['{"EventBusArn": [{"wildcard": ["arn:aws:events:*"]}]}', 'wildcard match pattern must be a string'],
  ['{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}', 'wildcard match pattern must be a string'],
  ['{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}', 'wildcard match pattern must be a string'],
  ['{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}', 'prefix/suffix match pattern must be a string'],
  ['{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}', 'prefix/suffix match pattern must be a string'],
  ['{"detail": {"state": [{"anything-but": {"prefix": [123, "test"]}}]}}', 'prefix/suffix match pattern must be a string'],
  ['{"detail": {"state": [{"anything-but": {"prefix": 123}}]}}', 'prefix/suffix match pattern must be a string'],
  ['{"time": [{"prefix": ["2022-07-13"]}]}', 'prefix match pattern must be a string'],
  ['{"time": [{"prefix": 123}]}', 'prefix match pattern must be a string'],
  ['{"FileName": [{"suffix": 123}]}', 'suffix match pattern must be a string'],
  ['{"FileName": [{"suffix": [".png"]}]}', 'suffix match pattern must be a string'],
  ['{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}', 'Value of anything-but must be an array or single string/number value.'],
  ['{"detail": {"FileName": [{"anything-but": {"suffix": {"equals-ignore-case": ".png"}}}]}}', 'Value of anything-but must be an array or single string/number value.'],
  // From event-ruler's compiler (the texts AWS passes through).
  ['{}', 'Empty objects are not allowed'],
  ['{"detail": {}}', 'Empty objects are not allowed'],
  ['null', 'Filter is not an object'],
  ['"source"', 'Filter is not an object'],
  ['{"source": [["aws.ec2"]]}', 'Match value must be String, number, true, false, or null'],
  ['{"source": [{}]}', 'Match expression name not found'],
  ['{"source": [{"contains": "ec2"}]}', 'Unrecognized match type contains'],
  ['{"source": [{"prefix": "aws.", "suffix": "ec2"}]}', 'Only one key allowed in match expression'],
  ['{"source": [{"exists": "true"}]}', 'exists match pattern must be either true or false.'],
  ['{"source": [{"prefix": {}}]}', 'Prefix expression name not found'],
  ['{"source": [{"prefix": {"wildcard": "a*"}}]}', 'Unsupported prefix pattern: wildcard'],
  ['{"source": [{"suffix": {"equals-ignore-case": 5}}]}', 'equals-ignore-case match pattern must be a string'],
  ['{"n": [{"numeric": 5}]}', 'Value of numeric must be an array.'],
  ['{"n": [{"numeric": []}]}', 'Invalid member in numeric match: ]'],
  ['{"n": [{"numeric": [5, "<"]}]}', 'Invalid member in numeric match: 5'],
  ['{"n": [{"numeric": ["!=", 5]}]}', 'Unrecognized numeric range operator: !='],
  ['{"n": [{"numeric": ["=", "5"]}]}', 'Value of equals must be numeric'],
  ['{"n": [{"numeric": ["=", 5, 6]}]}', 'Too many elements in numeric expression'],
  ['{"n": [{"numeric": ["<", 5, ">", 0]}]}', 'Too many elements in numeric expression'],
  ['{"n": [{"numeric": [">", 0, 5]}]}', 'Bad value in numeric range: 5'],
  ['{"n": [{"numeric": [">", 0, "<", 5, 6]}]}', 'Too many terms in numeric range expression'],
  ['{"n": [{"numeric": [">", 10, "<", 5]}]}', 'Bottom must be less than top'],
  ['{"n": [{"numeric": [">=", 5, "<=", 5]}]}', 'Bottom must be less than top'],
  ['{"n": [{"numeric": ["<", 6e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  ['{"n": [{"numeric": ["=", 0.1234567]}]}', 'Only values upto 6 decimals are supported'],
  ['{"n": [{"anything-but": [1, 6e9]}]}', 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  ['{"n": [{"numeric": [">", 0], "prefix": "x"}]}', 'Too many elements in numeric expression'],
  ['{"s": [{"anything-but": []}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported'],
  ['{"s": [{"anything-but": ["a", 1]}]}', 'Inside anything but list, either all values are number or string, mixed type is not supported'],
  ['{"s": [{"anything-but": [null]}]}', 'Inside anything but list, start|null|boolean is not supported.'],
  ['{"s": [{"anything-but": true}]}', 'Value of anything-but must be an array or single string/number value.'],
  ['{"s": [{"anything-but": {}}]}', 'Anything-But expression name not found'],
  ['{"s": [{"anything-but": {"contains": "x"}}]}', 'Unsupported anything-but pattern: contains'],
  ['{"s": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
  ['{"s": [{"wildcard": "a\\\\b"}]}', 'Invalid escape character at pos 2'],
  ['{"ip": [{"cidr": "10.0.0.0/32"}]}', 'IPv4 mask bits must be < 32'],
  ['{"ip": [{"cidr": "::/128"}]}', 'IPv6 mask bits must be < 128'],
  ['{"ip": [{"cidr": "10.0.0.0/-1"}]}', 'Malformed CIDR, mask bits must not be negative'],
  ['{"ip": [{"cidr": "10.0.0.256/24"}]}', 'Invalid IP address: 10.0.0.256'],
  ['{"$or": {"source": ["a"]}}', 'It must be an Array followed with $or.'],
  ['{"$or": [{"source": ["a"]}]}', 'There must have at least 2 Objects in $or relationship.'],
  ['{"$or": [{"source": ["a"]}, "b"]}', 'Only JSON object is allowed in array of $or relationship.'],
  ['{"$or": [{"prefix": ["a"]}, {"source": ["b"]}]}', 'prefix is Ruler reserved fieldName which cannot be used inside $or.'],
  ['{"$or": [{"detail": {"numeric": ["a"]}}, {"source": ["b"]}]}', 'numeric is Ruler reserved fieldName which cannot be used inside $or.'],
];

describe('parseEventPattern refuses what AWS refuses', () => {
  it.each(INVALID)('%s', (text, reason) => {
    let caught: unknown;
    try {
      parseEventPattern(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    const err = caught as InvalidEventPatternError;
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.code).toBe('InvalidEventPatternException');
    expect(err.reason).toBe(reason);
    expect(err.message).toBe(`Event pattern is not valid. Reason: ${reason}`);
  });

  it.each(['this is valid json but not a dict', "{'bad': 'quotation'}", '{"not": closed mark"', ''])('refuses text that is not JSON: %j', (text) => {
    expect(() => parseEventPattern(text)).toThrow(/^Event pattern is not valid\. Reason: Malformed JSON: /);
  });

  it('accepts a key "$or" only where it is a relationship, and other names outside $or', () => {
    expect(() => parseEventPattern('{"prefix": ["a"], "numeric": ["b"]}')).not.toThrow();
  });
});
