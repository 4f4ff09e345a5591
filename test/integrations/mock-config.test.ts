/**
 * Step Functions Local's mock configuration file: AWS's own example parses, and each mistake is
 * refused with the place it is at and the reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MockConfig, MockConfigError } from '../../src/integrations/mock-config.js';

/** The example of AWS's "Configuration file for mocked service integrations" page, verbatim. */
const AWS_EXAMPLE = {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
      },
    },
  },
  MockedResponses: {
    MockedLambdaSuccess: { '0': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
    LambdaMockedResourceNotReady: { '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } } },
    MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '3bcb6e8e-7h85-4375-b0bc-1a59812c6e51', MessageId: '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
    },
  },
};

const dir = mkdtempSync(join(tmpdir(), 'stepwise-mocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(doc: unknown): MockConfig {
  return MockConfig.parse(typeof doc === 'string' ? doc : JSON.stringify(doc), 'Mocks.json');
}

function problem(doc: unknown): string {
  try {
    parse(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(MockConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

/** AWS's example with one mocked response replaced. */
function withResponse(name: string, response: unknown): unknown {
  return { ...AWS_EXAMPLE, MockedResponses: { ...AWS_EXAMPLE.MockedResponses, [name]: response } };
}

describe('the mock configuration file', () => {
  it("parses AWS's example: test cases by state machine, responses by invocation and range", () => {
    const c = parse(AWS_EXAMPLE);
    expect(c.has('LambdaSQSIntegration', 'RetryPath')).toBe(true);
    expect(c.has('LambdaSQSIntegration', 'SadPath')).toBe(false);
    expect(c.has('OtherMachine', 'RetryPath')).toBe(false);
    const retry = c.responseFor('LambdaSQSIntegration', 'RetryPath', 'LambdaState');
    expect(retry?.name).toBe('MockedLambdaRetry');
    expect(retry?.answer(0)).toEqual({ kind: 'throw', error: 'Lambda.ResourceNotReadyException', cause: 'Lambda resource is not ready.' });
    expect(retry?.answer(1)).toEqual({ kind: 'throw', error: 'Lambda.TimeoutException', cause: 'Lambda timed out.' });
    expect(retry?.answer(2)).toEqual(retry?.answer(1));
    expect(retry?.answer(3)).toEqual({ kind: 'return', value: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } });
    // Past the last key there is no answer: the state fails with States.Runtime (mocks.test.ts).
    expect(retry?.answer(4)).toBeUndefined();
    // HybridPath mocks LambdaState only: SQSState calls the real integration.
    expect(c.responseFor('LambdaSQSIntegration', 'HybridPath', 'SQSState')).toBeUndefined();
  });

  it('accepts any JSON value as a Return, and an empty response (refused only when a state reaches it)', () => {
    const c = parse({ StateMachines: { M: { TestCases: { T: { A: 'Text', B: 'Empty' } } } }, MockedResponses: { Text: { '0': { Return: 'plain' }, '1': { Return: null } }, Empty: {} } });
    expect(c.responseFor('M', 'T', 'A')?.answer(0)).toEqual({ kind: 'return', value: 'plain' });
    expect(c.responseFor('M', 'T', 'A')?.answer(1)).toEqual({ kind: 'return', value: null });
    expect(c.responseFor('M', 'T', 'B')?.answer(0)).toBeUndefined();
  });

  it('reads a file, and names a file it cannot read', () => {
    const path = join(dir, 'MockConfigFile.json');
    writeFileSync(path, JSON.stringify(AWS_EXAMPLE));
    expect(MockConfig.readFile(path).has('LambdaSQSIntegration', 'HappyPath')).toBe(true);
    expect(() => MockConfig.readFile(join(dir, 'missing.json'))).toThrow(`cannot read the mock configuration file ${join(dir, 'missing.json')}: no such file`);
  });

  it('refuses text that is not JSON, or not an object', () => {
    expect(problem('{"StateMachines": ')).toMatch(/^Mocks\.json: not valid JSON: /);
    expect(problem([])).toBe('Mocks.json: the top level: must be a JSON object with StateMachines and MockedResponses');
  });

  it('refuses a missing or misspelt top-level field', () => {
    expect(problem({ StateMachines: {} })).toBe('Mocks.json: MockedResponses: is required');
    expect(problem({ StateMachines: {}, MockedResponse: {} })).toBe(
      'Mocks.json: MockedResponse: unknown field (did you mean MockedResponses?): the top level has only StateMachines and MockedResponses',
    );
    expect(problem({ StateMachines: [], MockedResponses: {} })).toBe('Mocks.json: StateMachines: must be a JSON object');
  });

  it('refuses a state machine without TestCases, and a state mapped to something other than a response name', () => {
    expect(problem({ StateMachines: { M: {} }, MockedResponses: {} })).toBe('Mocks.json: StateMachines.M.TestCases: is required');
    expect(problem({ StateMachines: { M: { TestCases: {}, Comment: 'x' } }, MockedResponses: {} })).toBe('Mocks.json: StateMachines.M.Comment: unknown field: a state machine has only TestCases');
    expect(problem({ StateMachines: { M: { TestCases: { T: { A: { Return: 1 } } } } }, MockedResponses: {} })).toBe(
      'Mocks.json: StateMachines.M.TestCases.T.A: must be the name of a mocked response (a string)',
    );
  });

  it('refuses a test case naming a mocked response that MockedResponses does not define', () => {
    const doc = { ...AWS_EXAMPLE, StateMachines: { LambdaSQSIntegration: { TestCases: { SadPath: { LambdaState: 'MockedLambdaFailure' } } } } };
    expect(problem(doc)).toBe("Mocks.json: StateMachines.LambdaSQSIntegration.TestCases.SadPath.LambdaState: names the mocked response 'MockedLambdaFailure', which MockedResponses does not define");
  });

  it('refuses invocation keys that are not a number or an inclusive range of numbers', () => {
    for (const key of ['first', '-1', '1-', '1-2-3', ' 1', '1.5', '0x1']) {
      expect(problem(withResponse('Bad', { [key]: { Return: {} } }))).toBe(`Mocks.json: MockedResponses.Bad."${key}": is not an invocation number ("0") or an inclusive range of them ("1-2")`);
    }
    expect(problem(withResponse('Bad', { '0': { Return: {} }, '3-1': { Return: {} } }))).toBe('Mocks.json: MockedResponses.Bad."3-1": is an empty range: 1 is less than 3');
  });

  it('refuses overlapping keys, and keys that skip an invocation (a later response could never be given)', () => {
    expect(problem(withResponse('Bad', { '0-2': { Return: 1 }, '2': { Return: 2 } }))).toBe('Mocks.json: MockedResponses.Bad."2": overlaps an earlier key: invocation 2 is already defined');
    expect(problem(withResponse('Bad', { '1': { Return: 1 } }))).toMatch(/^Mocks\.json: MockedResponses\.Bad\."1": leaves invocation 0 undefined: invocations count from 0/);
    expect(problem(withResponse('Bad', { '0': { Return: 1 }, '3-4': { Return: 2 } }))).toMatch(/^Mocks\.json: MockedResponses\.Bad\."3-4": leaves invocations 1-2 undefined/);
  });

  it('refuses a response that is not exactly one of Return or Throw, and a Throw without string Error and Cause', () => {
    expect(problem(withResponse('Bad', { '0': {} }))).toBe('Mocks.json: MockedResponses.Bad."0": must have exactly one of Return or Throw');
    expect(problem(withResponse('Bad', { '0': { Return: 1, Throw: { Error: 'E', Cause: 'C' } } }))).toBe('Mocks.json: MockedResponses.Bad."0": must have exactly one of Return or Throw');
    expect(problem(withResponse('Bad', { '0': { Retrun: 1 } }))).toBe('Mocks.json: MockedResponses.Bad."0".Retrun: unknown field: a mocked response has Return or Throw');
    expect(problem(withResponse('Bad', { '0': { Throw: 'Boom' } }))).toBe('Mocks.json: MockedResponses.Bad."0".Throw: must be an object with Error and Cause (strings)');
    expect(problem(withResponse('Bad', { '0': { Throw: { Cause: 'why' } } }))).toBe('Mocks.json: MockedResponses.Bad."0".Throw.Error: is required and must be a string');
    expect(problem(withResponse('Bad', { '0': { Throw: { Error: 'E', Cause: 3 } } }))).toBe('Mocks.json: MockedResponses.Bad."0".Throw.Cause: is required and must be a string');
    expect(problem(withResponse('Bad', { '0': { Throw: { Error: 'E', Cause: 'C', Code: 1 } } }))).toBe('Mocks.json: MockedResponses.Bad."0".Throw.Code: unknown field: Throw has Error and Cause');
  });

  it('keeps names such as __proto__ as plain names', () => {
    const c = parse('{"StateMachines":{"__proto__":{"TestCases":{"T":{"__proto__":"R"}}}},"MockedResponses":{"R":{"0":{"Return":1}}}}');
    expect(c.has('__proto__', 'T')).toBe(true);
    expect(c.responseFor('__proto__', 'T', '__proto__')?.answer(0)).toEqual({ kind: 'return', value: 1 });
  });
});
