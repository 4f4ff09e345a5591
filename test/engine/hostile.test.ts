/**
 * Hostile JSONata: an expression that recurses forever, loops, builds a huge value or runs a
 * catastrophic regular expression fails its own execution with States.QueryEvaluationError,
 * while other executions keep running.
 */
import { describe, expect, it } from 'vitest';
import { runLocal } from '../../src/engine/local-run.js';

function machine(expr: string) {
  return { QueryLanguage: 'JSONata', StartAt: 'Evil', States: { Evil: { Type: 'Pass', Output: `{% ${expr} %}`, End: true } } };
}

const ordinary = {
  StartAt: 'Count',
  States: {
    Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 50, Next: 'Count' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

const hostile: Record<string, string> = {
  'infinite recursion': '($f := function($x) { $f($x + 1) }; $f(0))',
  'an endless loop': '($loop := function($i) { $i < 0 ? 0 : $loop($i + 1) }; $loop(1))',
  'a huge value': '[1..100000000]',
  'a catastrophic regular expression': "$contains('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a+)+$/)",
};

describe('hostile JSONata expressions', () => {
  for (const [what, expr] of Object.entries(hostile)) {
    it(`fails the execution running ${what} with States.QueryEvaluationError while another execution completes`, async () => {
      const [evil, good] = await Promise.all([runLocal(machine(expr), {}), runLocal(ordinary, { n: 0 })]);
      expect(evil.status).toBe('FAILED');
      expect(evil.error).toBe('States.QueryEvaluationError');
      expect(evil.cause).toContain("An error occurred while executing the state 'Evil'");
      expect(good.status).toBe('SUCCEEDED');
      expect(JSON.parse(good.output as string)).toEqual({ n: 50 });
    }, 20_000);
  }
});
