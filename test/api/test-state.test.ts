/**
 * TestState through the real AWS SDK on a real server: one state run on its own, with AWS's
 * inspection data, statuses (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR), nextState and errors.
 * Expected values follow AWS's recorded TestState responses where they exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStateCommand, type SFNClient, type TestStateCommandInput } from '@aws-sdk/client-sfn';
import { errorOf, ROLE, startHarness, type Harness } from './harness.js';

let h: Harness;
let sfn: SFNClient;
beforeAll(async () => {
  h = await startHarness({ handlers: new Map([['shout', (event: unknown) => String((event as { word: string }).word).toUpperCase()]]) });
  sfn = h.client();
});
afterAll(async () => h.stop());

const test = (input: TestStateCommandInput) => sfn.send(new TestStateCommand(input));
const json = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

const ioPass = JSON.stringify({
  Type: 'Pass',
  InputPath: '$.initialData',
  Parameters: { staticValue: 'some value', 'inputValue.$': '$.fieldFromInput' },
  ResultPath: '$.modifiedData',
  End: true,
});
const ioInput = JSON.stringify({ initialData: { fieldFromInput: 'value from input', otherField: 'other' }, unrelatedData: { someOtherField: 1234 } });
const mockedLambda = (extra: object) =>
  JSON.stringify({ QueryLanguage: 'JSONata', Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'foo', Payload: 'bar' }, End: true, ...extra });

describe('TestState: data flow and inspection levels', () => {
  it('a Pass with InputPath, Parameters and ResultPath at DEBUG reports each step of its data flow', async () => {
    const r = await test({ definition: ioPass, input: ioInput, inspectionLevel: 'DEBUG' });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.nextState).toBeUndefined();
    const modified = { staticValue: 'some value', inputValue: 'value from input' };
    const afterResultPath = { ...JSON.parse(ioInput), modifiedData: modified };
    expect(json(r.output)).toEqual(afterResultPath);
    const d = r.inspectionData!;
    expect(json(d.input)).toEqual(JSON.parse(ioInput));
    expect(json(d.afterInputPath)).toEqual({ fieldFromInput: 'value from input', otherField: 'other' });
    expect(json(d.afterParameters)).toEqual(modified);
    expect(json(d.afterResultSelector)).toEqual(modified);
    expect(json(d.afterResultPath)).toEqual(afterResultPath);
    // AWS reports no raw result for a Pass without Result, and nothing of the JSONata kind.
    expect(Object.keys(d).sort()).toEqual(['afterInputPath', 'afterParameters', 'afterResultPath', 'afterResultSelector', 'input']);
  });

  it('INFO (the default) answers only the output and status; a Pass with Result shows it as the raw result', async () => {
    const info = await test({ definition: ioPass, input: ioInput });
    expect(info.inspectionData).toBeUndefined();
    expect(info.status).toBe('SUCCEEDED');
    const withResult = await test({ definition: JSON.stringify({ Type: 'Pass', Result: { resultKey: 'result value' }, End: true }), input: '{"Value":"HelloWorld"}', inspectionLevel: 'TRACE' });
    expect(json(withResult.output)).toEqual({ resultKey: 'result value' });
    expect(withResult.inspectionData).toEqual({
      input: '{"Value":"HelloWorld"}',
      result: '{"resultKey":"result value"}',
      afterResultSelector: '{"resultKey":"result value"}',
      afterResultPath: '{"resultKey":"result value"}',
    });
  });

  it('a Choice names the state it goes to in nextState; a Wait does not wait', async () => {
    const choice = JSON.stringify({
      Type: 'Choice',
      Choices: [{ And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }], Next: 'ValueInTwenties' }],
      Default: 'DefaultState',
    });
    const r = await test({ definition: choice, input: '{"type":"Private","value":22}', inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'ValueInTwenties', output: '{"type":"Private","value":22}' });
    expect(r.inspectionData).toEqual({ input: '{"type":"Private","value":22}', afterInputPath: '{"type":"Private","value":22}' });
    expect((await test({ definition: choice, input: '{"value":5}' })).nextState).toBe('DefaultState');

    const started = Date.now();
    const wait = await test({ definition: JSON.stringify({ Type: 'Wait', Seconds: 3600, OutputPath: '$.keep', Next: 'After' }), input: '{"keep":{"a":1},"drop":2}' });
    expect(wait).toMatchObject({ status: 'SUCCEEDED', nextState: 'After', output: '{"a":1}' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a Fail state answers FAILED with its error and cause and no output', async () => {
    const r = await test({ definition: JSON.stringify({ Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." }), input: '{"Value":"HelloWorld"}', inspectionLevel: 'DEBUG' });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('SomeFailure');
    expect(r.cause).toBe("This state machines raises a 'SomeFailure' failure.");
    expect(r.output).toBeUndefined();
    expect(r.nextState).toBeUndefined();
    expect(r.inspectionData).toEqual({ input: '{"Value":"HelloWorld"}', afterInputPath: '{"Value":"HelloWorld"}' });
  });

  it('a JSONata state with Assign reports the variables after it ran: those given plus those assigned', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      Type: 'Pass',
      Assign: { total: '{% $sum($states.input.values) + $base %}', label: '{% $prefix & "-" & $string($count($states.input.values)) %}' },
      Output: '{% {"count": $count($states.input.values), "base": $base} %}',
      Next: 'Report',
    });
    const r = await test({ definition, input: '{"values":[1,2,3]}', variables: '{"base":10,"prefix":"run"}', inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Report' });
    expect(json(r.output)).toEqual({ count: 3, base: 10 });
    expect(json(r.inspectionData?.variables)).toEqual({ base: 10, prefix: 'run', total: 16, label: 'run-3' });
    expect(Object.keys(r.inspectionData!).sort()).toEqual(['input', 'variables']);
  });
});

describe('TestState: Task states, mocks, Retry and Catch', () => {
  it('a Task answered by a mocked result runs Parameters, ResultSelector, ResultPath and goes to Next', async () => {
    const definition = JSON.stringify({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'orders', 'Payload.$': '$.order' },
      ResultSelector: { 'total.$': '$.Payload.total' },
      ResultPath: '$.priced',
      Next: 'Ship',
    });
    const r = await test({ definition, input: '{"order":{"id":7}}', inspectionLevel: 'DEBUG', mock: { result: '{"Payload":{"total":42},"StatusCode":200}' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.nextState).toBe('Ship');
    expect(json(r.output)).toEqual({ order: { id: 7 }, priced: { total: 42 } });
    expect(r.inspectionData).toEqual({
      input: '{"order":{"id":7}}',
      afterInputPath: '{"order":{"id":7}}',
      afterParameters: '{"FunctionName":"orders","Payload":{"id":7}}',
      result: '{"Payload":{"total":42},"StatusCode":200}',
      afterResultSelector: '{"total":42}',
      afterResultPath: '{"order":{"id":7},"priced":{"total":42}}',
    });
  });

  it('a mocked error taken by a Catch is CAUGHT_ERROR with the catcher\'s Next, output and index', async () => {
    const definition = mockedLambda({
      Catch: [
        { ErrorEquals: ['MockException'], Output: '{% $states.errorOutput %}', Next: 'HandleMockError' },
        { ErrorEquals: ['States.TaskFailed'], Output: '{% {"failed": $states.errorOutput.Error, "input": $states.input} %}', Next: 'HandleThreshold' },
      ],
    });
    const r = await test({ definition, input: '{"Value":"HelloWorld"}', inspectionLevel: 'DEBUG', mock: { errorOutput: { error: 'States.TaskFailed', cause: 'The task failed.' } } });
    expect(r.status).toBe('CAUGHT_ERROR');
    expect(r.error).toBe('States.TaskFailed');
    expect(r.cause).toBe('The task failed.');
    expect(r.nextState).toBe('HandleThreshold');
    expect(json(r.output)).toEqual({ failed: 'States.TaskFailed', input: { Value: 'HelloWorld' } });
    expect(r.inspectionData).toEqual({ input: '{"Value":"HelloWorld"}', afterArguments: '{"FunctionName":"foo","Payload":"bar"}', errorDetails: { catchIndex: 1 } });
  });

  it('a mocked error a retrier would retry is RETRIABLE with its back-off; past MaxAttempts it FAILED', async () => {
    const definition = mockedLambda({ Retry: [{ ErrorEquals: ['MockException'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2.0 }] });
    const mock = { errorOutput: { error: 'MockException', cause: 'Mock the cause of the error.' } };
    const first = await test({ definition, inspectionLevel: 'DEBUG', mock });
    expect(first).toMatchObject({ status: 'RETRIABLE', error: 'MockException', cause: 'Mock the cause of the error.' });
    expect(first.output).toBeUndefined();
    expect(first.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 1 });

    // Four retries made already: the fifth waits 1 × 2^4 seconds.
    const fifth = await test({ definition, inspectionLevel: 'DEBUG', mock, stateConfiguration: { retrierRetryCount: 4 } });
    expect(fifth.status).toBe('RETRIABLE');
    expect(fifth.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 16 });

    const exhausted = await test({ definition, inspectionLevel: 'DEBUG', mock, stateConfiguration: { retrierRetryCount: 5 } });
    expect(exhausted).toMatchObject({ status: 'FAILED', error: 'MockException', cause: 'Mock the cause of the error.' });
    expect(exhausted.inspectionData?.errorDetails).toEqual({ retryIndex: 0 });
  });

  it('a Task without a mock calls the server\'s local function; without a role it is refused as AWS refuses it', async () => {
    const definition = JSON.stringify({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:shout', ResultPath: '$.loud', End: true });
    const r = await test({ definition, roleArn: ROLE, input: '{"word":"hello"}', inspectionLevel: 'DEBUG' });
    expect(r.status).toBe('SUCCEEDED');
    expect(json(r.output)).toEqual({ word: 'hello', loud: 'HELLO' });
    expect(r.inspectionData?.result).toBe('"HELLO"');

    const missing = await test({ definition: definition.replace('shout', 'nobody'), roleArn: ROLE, input: '{"word":"x"}' });
    expect(missing.status).toBe('FAILED');
    expect(missing.error).toBe('Lambda.ResourceNotFoundException');
    expect(missing.cause).toMatch(/^Function not found: arn:aws:lambda:us-east-1:123456789012:function:nobody:\$LATEST /);

    expect(await errorOf(test({ definition, input: '{"word":"x"}' }))).toMatchObject({ name: 'ValidationException', message: 'RoleArn must be specified when testing a Task state', status: 400 });
    expect(await errorOf(test({ definition, roleArn: 'arn:aws:iam::123456789012:user/alice' }))).toMatchObject({ name: 'InvalidArn', status: 400 });
  });

  it('Map and Parallel states are tested with a mocked result standing for all their iterations or branches', async () => {
    const map = JSON.stringify({
      Type: 'Map',
      ItemsPath: '$.Values',
      ItemSelector: { 'n.$': '$$.Map.Item.Value' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Square', States: { Square: { Type: 'Pass', End: true } } },
      ToleratedFailureCount: 1,
      ResultPath: '$.squares',
      Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], Next: 'TooManyFailures' }],
      End: true,
    });
    const ok = await test({ definition: map, input: '{"Values":[1,2,3]}', inspectionLevel: 'DEBUG', mock: { result: '[1,4,9]' }, stateConfiguration: { mapIterationFailureCount: 1 } });
    expect(ok.status).toBe('SUCCEEDED');
    expect(json(ok.output)).toEqual({ Values: [1, 2, 3], squares: [1, 4, 9] });
    expect(ok.inspectionData).toMatchObject({ afterItemsPath: '[1,2,3]', afterItemSelector: '[{"n":1},{"n":2},{"n":3}]', maxConcurrency: 0, toleratedFailureCount: 1 });
    const over = await test({ definition: map, input: '{"Values":[1,2,3]}', mock: { result: '[1,4,9]' }, stateConfiguration: { mapIterationFailureCount: 2 } });
    expect(over).toMatchObject({ status: 'CAUGHT_ERROR', error: 'States.ExceedToleratedFailureThreshold', nextState: 'TooManyFailures' });

    const parallel = JSON.stringify({ Type: 'Parallel', Branches: [0, 1].map((i) => ({ StartAt: `B${i}`, States: { [`B${i}`]: { Type: 'Pass', End: true } } })), Next: 'Join' });
    expect(await test({ definition: parallel, mock: { result: '["a","b"]' } })).toMatchObject({ status: 'SUCCEEDED', output: '["a","b"]', nextState: 'Join' });
    expect(await errorOf(test({ definition: parallel, mock: { result: '["a"]' } }))).toMatchObject({
      name: 'ValidationException',
      message: 'Mocked result must contain the same number of items as number of Parallel branches.',
    });
    expect(await errorOf(test({ definition: parallel }))).toMatchObject({
      name: 'InvalidDefinition',
      message: 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
    });
  });
});

describe('TestState: a state of a whole machine, and the errors AWS answers', () => {
  const machine = JSON.stringify({
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Parameters: { 'cost.$': '$.cost' }, Next: 'Approval Required' },
      'Approval Required': { Type: 'Choice', Choices: [{ Variable: '$.cost', NumericLessThan: 10, Next: 'Purchase Approved' }], Default: 'Ask for Approval' },
      'Ask for Approval': { Type: 'Succeed' },
      'Purchase Approved': { Type: 'Succeed' },
    },
  });

  it('stateName selects a state of a full machine definition', async () => {
    expect(await test({ definition: machine, stateName: 'Approval Required', input: '{"cost":9}' })).toMatchObject({ status: 'SUCCEEDED', nextState: 'Purchase Approved', output: '{"cost":9}' });
    expect(await test({ definition: machine, stateName: 'Approval Required', input: '{"cost":10}' })).toMatchObject({ nextState: 'Ask for Approval' });
    expect(await test({ definition: machine, stateName: 'Prepare', input: '{"cost":3,"other":1}' })).toMatchObject({ output: '{"cost":3}', nextState: 'Approval Required' });
  });

  it('a stateName the definition lacks is a ValidationException', async () => {
    expect(await errorOf(test({ definition: machine, stateName: 'dne', input: '{}' }))).toEqual({ name: 'ValidationException', message: 'State not found in definition', status: 400 });
  });

  it('an invalid definition is InvalidDefinition, located in the state tested', async () => {
    expect(await errorOf(test({ definition: JSON.stringify({ Type: 'Pass', Parameters: { 'x.$': 'not a path' }, End: true }) }))).toMatchObject({
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call: " +
        "Invalid intrinsic function call 'not a path': expected a function name such as 'States.Format' at position 0 at /Parameters/x.$'",
      status: 400,
    });
    const badMachine = JSON.stringify({ StartAt: 'ExistingButInvalidState', States: { ExistingButInvalidState: { Type: 'TypeThatDoesNotExist', End: true } } });
    expect(await errorOf(test({ definition: badMachine, stateName: 'ExistingButInvalidState' }))).toMatchObject({
      name: 'InvalidDefinition',
      // AWS lists the types as [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]; the validator's order differs.
      message: expect.stringMatching(
        /^Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: \[(Task|Wait|Pass|Succeed|Fail|Choice|Parallel|Map)(, (Task|Wait|Pass|Succeed|Fail|Choice|Parallel|Map)){7}\] at \/States\/ExistingButInvalidState\/Type'$/,
      ),
    });
    expect(await errorOf(test({ definition: '{"Type": "Pass",' }))).toMatchObject({ name: 'InvalidDefinition', message: expect.stringMatching(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /) });
  });

  it('input that is not JSON is InvalidExecutionInput', async () => {
    expect(await errorOf(test({ definition: ioPass, input: '{"initialData": ' }))).toMatchObject({ name: 'InvalidExecutionInput', message: expect.stringMatching(/^Invalid Execution Input: /), status: 400 });
  });

  it('mocks only where AWS takes them, and members checked with AWS\'s wording', async () => {
    expect(await errorOf(test({ definition: ioPass, mock: { result: '{}' } }))).toMatchObject({ name: 'ValidationException', message: "State type 'Pass' is not supported when a mock is specified" });
    const task = mockedLambda({});
    expect(await errorOf(test({ definition: task, mock: { result: '{}', errorOutput: { error: 'E' } } }))).toMatchObject({
      message: 'A test mock should have only one of the following fields: [result, errorOutput].',
    });
    expect(await errorOf(test({ definition: task, revealSecrets: true, mock: { result: '{}' } }))).toMatchObject({ message: 'TestState does not support RevealSecrets when a mock is specified.' });
    expect(await errorOf(test({ definition: task, mock: { result: '{}' }, context: '{"Pokedex":{}}' }))).toMatchObject({
      name: 'ValidationException',
      message: "Invalid Context object provided: Field 'Pokedex' is not allowed",
    });
    expect(await errorOf(test({ definition: ioPass, inspectionLevel: 'VERBOSE' as never, stateConfiguration: { retrierRetryCount: -1 } }))).toEqual({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value 'VERBOSE' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]; " +
        "Value '-1' at 'stateConfiguration.retrierRetryCount' failed to satisfy constraint: Member must have value greater than or equal to 0",
      status: 400,
    });
  });

  it('a given Context object is what $$ reads', async () => {
    const definition = JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'who.$': '$$.Execution.Name', 'state.$': '$$.State.Name' }, End: true });
    const r = await test({
      definition,
      inspectionLevel: 'DEBUG',
      mock: { result: '{}' },
      context: JSON.stringify({ Execution: { Name: 'execution-name-12345' }, State: { Name: 'MyTaskState', RetryCount: 0 } }),
    });
    expect(r.inspectionData?.afterParameters).toBe('{"who":"execution-name-12345","state":"MyTaskState"}');
  });
});
