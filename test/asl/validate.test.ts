import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition, type Diagnostic } from '../../src/asl/validate.js';

type Def = Record<string, unknown>;
const LAMBDA = 'arn:aws:states:::lambda:invoke';

function errors(definition: unknown, opts?: { type?: 'STANDARD' | 'EXPRESS' }): Diagnostic[] {
  return validateDefinition(definition, opts).filter((d) => d.severity === 'ERROR');
}

/** The (code, location) pairs of the errors, the part of a diagnostic tests pin. */
function found(definition: unknown, opts?: { type?: 'STANDARD' | 'EXPRESS' }): string[] {
  return errors(definition, opts).map((d) => `${d.code} ${d.location ?? ''}`.trim());
}

/** A one-state machine around `state`, named A. */
function single(state: Def, top: Def = {}): Def {
  return { ...top, StartAt: 'A', States: { A: state } };
}

describe('validateDefinition: document', () => {
  it('accepts a minimal Pass machine with no diagnostics at all', () => {
    expect(validateDefinition(single({ Type: 'Pass', End: true }))).toEqual([]);
  });

  it('rejects malformed JSON text with INVALID_JSON_DESCRIPTION', () => {
    expect(found('{"StartAt": "A", ')).toEqual(['INVALID_JSON_DESCRIPTION']);
  });

  it('rejects an empty definition with MISSING_DESCRIPTION', () => {
    expect(found('  ')).toEqual(['MISSING_DESCRIPTION']);
  });

  it('rejects a definition without StartAt and States, naming both at /', () => {
    const [d] = errors({ Comment: 'x' });
    expect(d).toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED', location: '/' });
    expect(d?.message).toBe('These fields are required: [StartAt, States]');
  });

  it('rejects an unknown top-level field', () => {
    expect(found({ ...single({ Type: 'Pass', End: true }), Timeout: 5 })).toEqual(['SCHEMA_VALIDATION_FAILED /Timeout']);
  });

  it('rejects a StartAt that names no state with MISSING_TRANSITION_TARGET at /StartAt', () => {
    expect(found({ StartAt: 'B', States: { A: { Type: 'Succeed' } } })).toEqual(['MISSING_TRANSITION_TARGET /StartAt']);
  });

  it('rejects an unknown QueryLanguage value', () => {
    expect(found(single({ Type: 'Pass', End: true }, { QueryLanguage: 'XPath' }))).toEqual(['SCHEMA_VALIDATION_FAILED /QueryLanguage']);
  });
});

describe('validateDefinition: states and transitions', () => {
  it('rejects a Next that names no state with MISSING_TRANSITION_TARGET at /States/A/Next', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' }, B: { Type: 'Succeed' } } };
    expect(found(def)).toContain('MISSING_TRANSITION_TARGET /States/A/Next');
    expect(errors(def).find((d) => d.location === '/States/A/Next')?.message).toBe("Missing 'Next' target: Nowhere");
  });

  it('rejects a state without Next or End, and one with both', () => {
    expect(found(single({ Type: 'Pass' }))).toContain('SCHEMA_VALIDATION_FAILED /States/A');
    const both = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Succeed' } } };
    expect(found(both)).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
  });

  it('rejects an unreachable state with MISSING_TRANSITION_TARGET at the state', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Succeed' }, Orphan: { Type: 'Succeed' } } };
    const [d] = errors(def);
    expect(d).toMatchObject({ code: 'MISSING_TRANSITION_TARGET', location: '/States/Orphan', message: 'State "Orphan" is not reachable.' });
  });

  it('counts states reached only through a Catch as reachable', () => {
    const def = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: LAMBDA, End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handler' }] }, Handler: { Type: 'Fail' } },
    };
    expect(found(def)).toEqual([]);
  });

  it('rejects a block without a terminal state with MISSING_END_STATE', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };
    expect(found(def)).toEqual(['MISSING_END_STATE /States']);
  });

  it('rejects a state name used twice across nested scopes with DUPLICATE_STATE_NAME', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Next: 'Done', Branches: [{ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }] },
        Done: { Type: 'Succeed' },
      },
    };
    expect(found(def)).toEqual(['DUPLICATE_STATE_NAME /States/Done']);
  });

  it('rejects a state name repeated in one States object of JSON text with DUPLICATE_STATE_NAME', () => {
    const text = '{"StartAt":"A","States":{"A":{"Type":"Succeed"},"A":{"Type":"Succeed"}}}';
    expect(found(text)).toEqual(['DUPLICATE_STATE_NAME /States/A']);
  });

  it('rejects a state name longer than 80 characters with INVALID_STATE_NAME', () => {
    const name = 'x'.repeat(81);
    expect(found({ StartAt: name, States: { [name]: { Type: 'Succeed' } } })).toEqual([`INVALID_STATE_NAME /States/${name}`]);
  });

  it('rejects an unknown state Type at /States/A/Type', () => {
    const [d] = errors(single({ Type: 'Lambda', End: true }));
    expect(d?.location).toBe('/States/A/Type');
    expect(d?.message).toBe("The field 'Type' should have one of these values: [Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map]");
  });

  it('rejects fields a state type does not have (End on Choice, Next on Succeed, ResultPath on Wait)', () => {
    expect(found(single({ Type: 'Succeed', Next: 'A' }))).toContain('SCHEMA_VALIDATION_FAILED /States/A/Next');
    expect(found(single({ Type: 'Wait', Seconds: 1, End: true, ResultPath: '$.x' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ResultPath']);
    const choice = { StartAt: 'C', States: { C: { Type: 'Choice', End: true, Choices: [{ Variable: '$.a', IsNull: true, Next: 'D' }] }, D: { Type: 'Succeed' } } };
    expect(found(choice)).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/End']);
  });

  it('rejects a Next leaving a Parallel branch, since branches are closed graphs', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'B1', States: { B1: { Type: 'Pass', Next: 'Outside' } } }] },
        Outside: { Type: 'Succeed' },
      },
    };
    expect(found(def)).toContain('MISSING_TRANSITION_TARGET /States/P/Branches[0]/States/B1/Next');
  });
});

describe('validateDefinition: query languages', () => {
  it('rejects JSONPath-only fields in a JSONata state and JSONata-only fields in a JSONPath state', () => {
    expect(found(single({ Type: 'Pass', End: true, QueryLanguage: 'JSONata', InputPath: '$.a' }))).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/InputPath',
    ]);
    const [d] = errors(single({ Type: 'Task', Resource: LAMBDA, End: true, Arguments: {} }));
    expect(d?.message).toBe("The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage");
  });

  it('inherits JSONata from the top level and refuses a state that switches back to JSONPath', () => {
    expect(found(single({ Type: 'Pass', End: true, Result: 1 }, { QueryLanguage: 'JSONata' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Result']);
    expect(found(single({ Type: 'Pass', End: true, QueryLanguage: 'JSONPath' }, { QueryLanguage: 'JSONata' }))).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/QueryLanguage',
    ]);
  });

  it("gives states inside a Map's ItemProcessor the machine's language, not the Map's", () => {
    const def = single({
      Type: 'Map',
      QueryLanguage: 'JSONata',
      End: true,
      ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', End: true, Output: '{% 1 %}' } } },
    });
    expect(found(def)).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemProcessor/States/In/Output']);
  });

  it('rejects a JSONata string that does not compile', () => {
    const def = single({ Type: 'Pass', End: true, Output: { x: '{% $states.input. %}' } }, { QueryLanguage: 'JSONata' });
    expect(found(def)).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Output/x']);
  });

  it('accepts JSONata in numeric fields of a JSONata state but not literal strings', () => {
    const ok = single({ Type: 'Wait', Seconds: '{% $states.input.n %}', End: true }, { QueryLanguage: 'JSONata' });
    expect(found(ok)).toEqual([]);
    expect(found(single({ Type: 'Wait', Seconds: '5', End: true }, { QueryLanguage: 'JSONata' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Seconds']);
  });

  it('rejects Assign variable names that are not identifiers or are reserved', () => {
    expect(found(single({ Type: 'Pass', End: true, Assign: { 'a.b': 1 } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Assign/a.b']);
    expect(found(single({ Type: 'Pass', End: true, Assign: { states: 1 } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Assign/states']);
    expect(found(single({ Type: 'Pass', End: true, Assign: { 'x.$': '$.a', y: 2 } }))).toEqual([]);
  });
});

describe('validateDefinition: paths and templates', () => {
  it('rejects a path field with invalid JSONPath syntax', () => {
    expect(found(single({ Type: 'Pass', End: true, InputPath: '$.a[' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/InputPath']);
  });

  it('rejects a ResultPath that is not a reference path, or that points into $$', () => {
    expect(found(single({ Type: 'Pass', End: true, ResultPath: '$.a[*]' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ResultPath']);
    expect(found(single({ Type: 'Pass', End: true, ResultPath: '$$.Execution' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ResultPath']);
    expect(found(single({ Type: 'Pass', End: true, ResultPath: null, InputPath: null, OutputPath: '$$.Execution.Id' }))).toEqual([]);
  });

  it("rejects a '.$' key whose value is neither a path nor an intrinsic call", () => {
    const def = single({ Type: 'Pass', End: true, Parameters: { nested: [{ 'v.$': 'not a path' }] } });
    const [d] = errors(def);
    expect(d?.location).toBe('/States/A/Parameters/nested[0]/v.$');
    expect(d?.message).toMatch(/^The value for the field 'v\.\$' must be a valid JSONPath or a valid intrinsic function call/);
  });

  it('rejects an intrinsic call that does not parse, and accepts one that does', () => {
    expect(found(single({ Type: 'Pass', End: true, Parameters: { 'v.$': "States.Format('{}', $.a" } }))).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/Parameters/v.$',
    ]);
    expect(found(single({ Type: 'Pass', End: true, Parameters: { 'v.$': "States.Format('{}', $.a)" } }))).toEqual([]);
  });

  it("rejects a template where 'x' and 'x.$' collide once renamed", () => {
    expect(found(single({ Type: 'Pass', End: true, Parameters: { x: 1, 'x.$': '$.a' } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Parameters/x.$']);
  });

  it("warns (NO_DOLLAR) about a path-like value under a key without '.$'", () => {
    const diags = validateDefinition(single({ Type: 'Pass', End: true, Parameters: { x: '$.a' } }));
    expect(diags).toEqual([expect.objectContaining({ severity: 'WARNING', code: 'NO_DOLLAR', location: '/States/A/Parameters/x' })]);
  });
});

describe('validateDefinition: Choice', () => {
  const choice = (rules: unknown[], extra: Def = {}): Def => ({
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: rules, Default: 'D', ...extra }, D: { Type: 'Succeed' } },
  });

  it('rejects a data-test rule without exactly one comparison operator', () => {
    expect(found(choice([{ Variable: '$.a', Next: 'D' }]))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices[0]']);
    expect(found(choice([{ Variable: '$.a', IsNull: true, IsString: true, Next: 'D' }]))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices[0]']);
  });

  it('rejects Next inside And/Or/Not and a top-level rule without Next', () => {
    const nested = { Variable: '$.a', IsNull: true, Next: 'D' };
    expect(found(choice([{ Not: nested, Next: 'D' }]))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices[0]/Not/Next']);
    expect(found(choice([{ Variable: '$.a', IsNull: true }]))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices[0]']);
  });

  it('rejects an empty And/Or and an empty Choices array', () => {
    expect(found(choice([{ Or: [], Next: 'D' }]))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices[0]/Or']);
    expect(found(choice([]))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices']);
  });

  it('rejects operator values of the wrong type', () => {
    const bad = [
      { Variable: '$.a', StringEquals: 1, Next: 'D' },
      { Variable: '$.a', NumericLessThan: '1', Next: 'D' },
      { Variable: '$.a', BooleanEquals: 'true', Next: 'D' },
      { Variable: '$.a', TimestampEquals: '2016-03-14 01:59:00', Next: 'D' },
      { Variable: '$.a', StringEqualsPath: 'a', Next: 'D' },
      { Variable: '$.a', IsPresent: 1, Next: 'D' },
    ];
    expect(found(choice(bad))).toHaveLength(6);
  });

  it('rejects a Default or rule Next naming no state', () => {
    expect(found(choice([{ Variable: '$.a', IsNull: true, Next: 'Z' }], { Default: 'Y' }))).toEqual([
      'MISSING_TRANSITION_TARGET /States/C/Default',
      'MISSING_TRANSITION_TARGET /States/C/Choices[0]/Next',
      'MISSING_TRANSITION_TARGET /States/D',
    ]);
  });

  it('takes Condition in JSONata rules and refuses Variable there', () => {
    const ok = { ...choice([{ Condition: '{% $states.input.a > 1 %}', Next: 'D' }]), QueryLanguage: 'JSONata' };
    expect(found(ok)).toEqual([]);
    const bad = { ...choice([{ Variable: '$.a', IsNull: true, Next: 'D' }]), QueryLanguage: 'JSONata' };
    expect(found(bad)).toContain('SCHEMA_VALIDATION_FAILED /States/C/Choices[0]/Variable');
  });
});

describe('validateDefinition: Wait, Fail, Task', () => {
  it('requires exactly one of Seconds, SecondsPath, Timestamp, TimestampPath on a Wait', () => {
    expect(found(single({ Type: 'Wait', End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
    expect(found(single({ Type: 'Wait', End: true, Seconds: 1, SecondsPath: '$.s' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
    expect(found(single({ Type: 'Wait', End: true, Seconds: -1 }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Seconds']);
    expect(found(single({ Type: 'Wait', End: true, Timestamp: '2016-03-14t01:59:00z' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Timestamp']);
  });

  it('rejects a Fail with both Error and ErrorPath, and an ErrorPath that is not a path or intrinsic', () => {
    expect(found(single({ Type: 'Fail', Error: 'E', ErrorPath: '$.e' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
    expect(found(single({ Type: 'Fail', CausePath: 'cause' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/CausePath']);
    expect(found(single({ Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('x {}', $.c)" }))).toEqual([]);
  });

  it('rejects TimeoutSeconds with TimeoutSecondsPath, and HeartbeatSeconds not below TimeoutSeconds', () => {
    expect(found(single({ Type: 'Task', Resource: LAMBDA, End: true, TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' }))).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A',
    ]);
    expect(found(single({ Type: 'Task', Resource: LAMBDA, End: true, TimeoutSeconds: 5, HeartbeatSeconds: 5 }))).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/HeartbeatSeconds',
    ]);
    expect(found(single({ Type: 'Task', Resource: LAMBDA, End: true, TimeoutSeconds: 0 }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/TimeoutSeconds']);
  });

  it('rejects a Task Resource that is not a recognised ARN', () => {
    expect(found(single({ Type: 'Task', Resource: 'my-function', End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Resource']);
    expect(found(single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true }))).toEqual([]);
  });

  it('rejects .sync, .waitForTaskToken and activities in an EXPRESS machine only', () => {
    const resources = [
      'arn:aws:states:::states:startExecution.sync:2',
      'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      'arn:aws:states:us-east-1:123456789012:activity:work',
    ];
    for (const Resource of resources) {
      const def = single({ Type: 'Task', Resource, End: true });
      expect(found(def)).toEqual([]);
      expect(found(def, { type: 'EXPRESS' })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Resource']);
    }
  });

  it('rejects Credentials without a RoleArn', () => {
    expect(found(single({ Type: 'Task', Resource: LAMBDA, End: true, Credentials: {} }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Credentials']);
  });
});

describe('validateDefinition: Retry and Catch', () => {
  const task = (extra: Def): Def =>
    ({ StartAt: 'A', States: { A: { Type: 'Task', Resource: LAMBDA, Next: 'H', ...extra }, H: { Type: 'Succeed' } } });

  it('rejects States.ALL that is not alone or not in the last retrier/catcher', () => {
    expect(found(task({ Retry: [{ ErrorEquals: ['States.ALL', 'X'] }] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Retry[0]/ErrorEquals']);
    const catchers = [{ ErrorEquals: ['States.ALL'], Next: 'H' }, { ErrorEquals: ['X'], Next: 'H' }];
    expect(found(task({ Catch: catchers }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Catch[0]/ErrorEquals']);
  });

  it('rejects retrier fields out of range', () => {
    const retrier = { ErrorEquals: ['X'], IntervalSeconds: 0, MaxAttempts: -1, BackoffRate: 0.5, MaxDelaySeconds: 0, JitterStrategy: 'HALF' };
    expect(found(task({ Retry: [retrier] })).sort()).toEqual(
      ['BackoffRate', 'IntervalSeconds', 'JitterStrategy', 'MaxAttempts', 'MaxDelaySeconds'].map((f) => `SCHEMA_VALIDATION_FAILED /States/A/Retry[0]/${f}`),
    );
  });

  it('rejects an empty ErrorEquals, a catcher without Next and unknown catcher fields', () => {
    expect(found(task({ Retry: [{ ErrorEquals: [] }] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Retry[0]/ErrorEquals']);
    expect(found(task({ Catch: [{ ErrorEquals: ['X'] }] }))).toContain('SCHEMA_VALIDATION_FAILED /States/A/Catch[0]');
    expect(found(task({ Catch: [{ ErrorEquals: ['X'], Next: 'H', _comment: 'x' }] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Catch[0]/_comment']);
  });

  it('rejects a catcher ResultPath that is not a reference path', () => {
    expect(found(task({ Catch: [{ ErrorEquals: ['X'], Next: 'H', ResultPath: '$..e' }] }))).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/Catch[0]/ResultPath',
    ]);
  });
});

describe('validateDefinition: Map and Parallel', () => {
  const processor = { StartAt: 'In', States: { In: { Type: 'Pass', End: true } } };
  const map = (extra: Def, type?: 'STANDARD' | 'EXPRESS') => found(single({ Type: 'Map', End: true, ItemProcessor: processor, ...extra }), { type });

  it('requires ItemProcessor (or Iterator), but not both', () => {
    expect(found(single({ Type: 'Map', End: true }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
    expect(map({ Iterator: processor })).toContain('SCHEMA_VALIDATION_FAILED /States/A');
    expect(found(single({ Type: 'Map', End: true, Iterator: processor }))).toEqual([]);
  });

  it('checks ProcessorConfig Mode and ExecutionType', () => {
    const cfg = (ProcessorConfig: Def) => ({ ItemProcessor: { ...processor, ProcessorConfig } });
    expect(map(cfg({ Mode: 'PARALLEL' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemProcessor/ProcessorConfig/Mode']);
    expect(map(cfg({ Mode: 'DISTRIBUTED' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemProcessor/ProcessorConfig']);
    expect(map(cfg({ Mode: 'INLINE', ExecutionType: 'EXPRESS' }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemProcessor/ProcessorConfig/ExecutionType']);
    expect(map(cfg({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }))).toEqual([]);
    expect(map(cfg({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }), 'EXPRESS')).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/ItemProcessor/ProcessorConfig/Mode',
    ]);
  });

  it('rejects MaxConcurrency and tolerated-failure values out of range, and value with path', () => {
    expect(map({ MaxConcurrency: -1 })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/MaxConcurrency']);
    expect(map({ MaxConcurrency: 1, MaxConcurrencyPath: '$.m' })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
    expect(map({ ToleratedFailurePercentage: 101 })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ToleratedFailurePercentage']);
    expect(map({ ToleratedFailureCount: 1.5 })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ToleratedFailureCount']);
  });

  it('rejects ItemReader, ItemBatcher, ResultWriter and Label on an INLINE Map', () => {
    expect(map({ Label: 'x' })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Label']);
  });

  it('checks Distributed Map reader, batcher, writer and label', () => {
    const distributed = { ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } };
    const reader = { Resource: 'arn:aws:states:::s3:getObject', Parameters: { 'Bucket.$': '$.b', Key: 'k' }, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN' } };
    expect(map({ ...distributed, ItemReader: reader })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemReader/ReaderConfig']);
    expect(map({ ...distributed, ItemReader: { ...reader, Resource: 'arn:aws:states:::s3:deleteObject', ReaderConfig: { InputType: 'JSON' } } })).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/ItemReader/Resource',
    ]);
    expect(map({ ...distributed, ItemBatcher: { BatchInput: {} } })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemBatcher']);
    expect(map({ ...distributed, ResultWriter: { WriterConfig: { OutputType: 'CSV' } } })).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/ResultWriter/WriterConfig/OutputType',
    ]);
    expect(map({ ...distributed, Label: 'x'.repeat(41) })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Label']);
  });

  it('rejects ItemSelector together with Parameters, and a non-reference ItemsPath', () => {
    expect(map({ ItemSelector: {}, Parameters: {} })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A']);
    expect(map({ ItemsPath: '$.items[*]' })).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/ItemsPath']);
  });

  it('validates the states of every Parallel branch and rejects empty Branches', () => {
    const def = single({ Type: 'Parallel', End: true, Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass' } } }] });
    expect(found(def)).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Branches[0]/States/B', 'MISSING_END_STATE /States/A/Branches[0]/States']);
    expect(found(single({ Type: 'Parallel', End: true, Branches: [] }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/A/Branches']);
  });
});

describe('invalidDefinitionMessage', () => {
  it("formats one error as AWS's InvalidDefinition message", () => {
    const diags = errors({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' }, C: { Type: 'Succeed' } } });
    expect(invalidDefinitionMessage(diags)).toBe(`Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: State "C" is not reachable. at /States/C'`);
  });

  it('joins several errors the way AWS does, quoting each one', () => {
    const diags: Diagnostic[] = [
      { severity: 'ERROR', code: 'DUPLICATE_STATE_NAME', message: 'Duplicate State name: A', location: '/States/A' },
      { severity: 'WARNING', code: 'NO_DOLLAR', message: 'ignored', location: '/States/B' },
      { severity: 'ERROR', code: 'DUPLICATE_STATE_NAME', message: 'Duplicate State name: B', location: '/States/B' },
    ];
    expect(invalidDefinitionMessage(diags)).toBe(
      "Invalid State Machine Definition: ''DUPLICATE_STATE_NAME: Duplicate State name: A at /States/A', 'DUPLICATE_STATE_NAME: Duplicate State name: B at /States/B''",
    );
  });
});

const CASES = new URL('../../../shared/conformance/cases.json', import.meta.url);

describe.skipIf(!existsSync(CASES))('validateDefinition on the AWS-recorded conformance definitions', () => {
  it('accepts, with no error, every definition AWS accepted (resource markers filled in)', () => {
    const cases = JSON.parse(readFileSync(CASES, 'utf8')) as { id: string; definition: unknown; stateMachineType: string; otherStateMachines?: { definition: unknown; type?: string }[] }[];
    // `{{name}}` stands for a resource ARN the harness fills in (a Lambda function here).
    const text = (def: unknown) => JSON.stringify(def).replace(/\{\{(\w+)\}\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1');
    const failures: string[] = [];
    for (const c of cases) {
      const defs = [{ definition: c.definition, type: c.stateMachineType }, ...(c.otherStateMachines ?? []).map((o) => ({ definition: o.definition, type: o.type ?? 'STANDARD' }))];
      for (const d of defs) {
        const errs = errors(text(d.definition), { type: d.type as 'STANDARD' | 'EXPRESS' });
        if (errs.length > 0) failures.push(`${c.id}: ${invalidDefinitionMessage(errs)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
if (!existsSync(CASES)) console.warn('validate.test: ../shared/conformance/cases.json not found; the conformance acceptance test was skipped');
