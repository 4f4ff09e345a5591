import { describe, expect, it } from 'vitest';
import { buildDiagramGraph, describeChoiceRule, DiagramDefinitionError, type DiagramGraph } from '../../../src/console/diagram/index.js';
import { PIPELINE, PIPELINE_STATES } from './fixtures.js';

const nameOf = (g: DiagramGraph, id: string): string => g.nodes.find((n) => n.id === id)?.name ?? '?';
const sketch = (g: DiagramGraph): string[] => g.edges.map((e) => `${nameOf(g, e.from)} -${e.kind}${e.label ? `(${e.label})` : ''}-> ${nameOf(g, e.to)}`);

const nested = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Succeed' } } },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Each' }],
      Next: 'Each',
    },
    Each: {
      Type: 'Map',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
      End: true,
    },
  },
};

describe('the diagram graph of the InfraMonitoring pipeline', () => {
  const g = buildDiagramGraph(PIPELINE);

  it('has a node per state, typed, plus Start and End', () => {
    const states = g.nodes.filter((n) => n.kind === 'state');
    expect(states.map((n) => n.name).sort()).toEqual([...PIPELINE_STATES].sort());
    expect(Object.fromEntries(states.map((n) => [n.name, n.type]))).toMatchObject({ CollectMetrics: 'Task', WaitForS3Processing: 'Wait', IsProcessed: 'Choice', CountRecheck: 'Pass', RecordInvalidMetrics: 'Pass', RecordNotProcessed: 'Pass', PipelineFailed: 'Fail' });
    expect(g.nodes.filter((n) => n.kind === 'start')).toHaveLength(1);
    expect(g.nodes.filter((n) => n.kind === 'end')).toHaveLength(1);
    expect(g.clusters).toEqual([]);
  });

  it('has Next, Choice rule, Default and Catch edges, labelled', () => {
    expect(sketch(g).sort()).toEqual(
      [
        'Start -next-> CollectMetrics',
        'CollectMetrics -next-> WaitForS3Processing',
        'CollectMetrics -catch(States.ALL)-> NotifyFailure',
        'WaitForS3Processing -next-> CheckProcessingComplete',
        'CheckProcessingComplete -next-> IsProcessed',
        'CheckProcessingComplete -catch(States.ALL)-> NotifyFailure',
        'IsProcessed -choice(And($.check.Item is present, $.check.Item.s…)-> NotifySuccess',
        'IsProcessed -choice($.check.Item is present)-> RecordInvalidMetrics',
        'IsProcessed -choice($rechecks < 3)-> CountRecheck',
        'IsProcessed -default(Default)-> RecordNotProcessed',
        'CountRecheck -next-> WaitForS3Processing',
        'RecordInvalidMetrics -next-> NotifyFailure',
        'RecordNotProcessed -next-> NotifyFailure',
        'NotifySuccess -next-> End',
        'NotifyFailure -next-> PipelineFailed',
        'PipelineFailed -next-> End',
      ].sort(),
    );
    // The cut label keeps the whole rule as its title.
    expect(g.edges.find((e) => e.label?.startsWith('And('))?.title).toBe('And($.check.Item is present, $.check.Item.status.S == "PROCESSED")');
  });

  it('annotates retries and describes each state briefly', () => {
    const by = new Map(g.nodes.map((n) => [n.name, n]));
    expect(by.get('CollectMetrics')).toMatchObject({ retry: 'retry ×3', detail: 'lambda:invoke' });
    expect(by.get('CheckProcessingComplete')).toMatchObject({ retry: 'retry ×2', detail: 'dynamodb:getItem' });
    expect(by.get('NotifySuccess')?.retry).toBeUndefined();
    expect(by.get('WaitForS3Processing')?.detail).toBe('10 s');
    // PipelineFailed takes its error from the input (ErrorPath): nothing to show before a run.
    expect(by.get('PipelineFailed')?.detail).toBeUndefined();
    const fixed = buildDiagramGraph({ StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Pipeline.Stopped' } } });
    expect(fixed.nodes.find((n) => n.name === 'Stop')?.detail).toBe('Pipeline.Stopped');
  });
});

describe('Parallel and Map in the diagram graph', () => {
  const g = buildDiagramGraph(nested);

  it('gives nested states path ids and puts them in a cluster per branch and processor', () => {
    const ids = g.nodes.filter((n) => n.kind === 'state').map((n) => [n.id, n.parent]);
    expect(ids).toEqual(
      expect.arrayContaining([
        ['Fan', 'Fan/(box)'],
        ['Fan/branch 0/Left', 'Fan/branch 0'],
        ['Fan/branch 1/Right', 'Fan/branch 1'],
        ['Fan/branch 1/Done', 'Fan/branch 1'],
        ['Each', 'Each/(box)'],
        ['Each/processor/Item', 'Each/processor'],
      ]),
    );
    expect(g.clusters.map((c) => [c.id, c.kind, c.label, c.parent])).toEqual([
      ['Fan/(box)', 'parallel', 'Parallel', undefined],
      ['Fan/branch 0', 'branch', 'Branch 1', 'Fan/(box)'],
      ['Fan/branch 1', 'branch', 'Branch 2', 'Fan/(box)'],
      ['Each/(box)', 'map', 'Map', undefined],
      ['Each/processor', 'processor', 'Item processor', 'Each/(box)'],
    ]);
  });

  it('gives every block its own Start and End, entered from the state and left through its join point', () => {
    for (const block of ['Fan/branch 0', 'Fan/branch 1', 'Each/processor']) {
      const inside = g.nodes.filter((n) => n.parent === block);
      expect(inside.filter((n) => n.kind === 'start')).toHaveLength(1);
      expect(inside.filter((n) => n.kind === 'end')).toHaveLength(1);
    }
    expect(sketch(g)).toEqual(
      expect.arrayContaining([
        'Fan -branch-> Start',
        'End -branch-> Fan',
        'Fan -next-> Each',
        'Fan -catch(States.ALL)-> Each',
        'Done -next-> End',
        'Each -next-> End',
      ]),
    );
    // Edges out of a Parallel leave from its join point, inside its box.
    const out = g.edges.find((e) => e.kind === 'catch');
    expect(g.nodes.find((n) => n.id === out?.from)).toMatchObject({ kind: 'join', parent: 'Fan/(box)' });
  });

  it('names a legacy Iterator as such', () => {
    const legacy = buildDiagramGraph({ StartAt: 'M', States: { M: { Type: 'Map', Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } });
    expect(legacy.clusters.map((c) => c.label)).toEqual(['Map', 'Iterator']);
  });

  it('keeps ids unique when a state name collides with a nested path', () => {
    const def = { StartAt: 'P', States: { 'P/branch 0/A': { Type: 'Pass', End: true }, P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], Next: 'P/branch 0/A' } } };
    const ids = buildDiagramGraph(def).nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('P/branch 0/A');
    expect(ids).toContain('P/branch 0/A~2');
  });
});

describe('Choice rule labels', () => {
  it.each([
    [{ Variable: '$.x', NumericEquals: 3 }, '$.x == 3'],
    [{ Variable: '$.x', NumericLessThanEqualsPath: '$.limit' }, '$.x <= $.limit'],
    [{ Variable: '$.s', StringEquals: 'on' }, '$.s == "on"'],
    [{ Variable: '$.s', StringMatches: 'a*' }, '$.s starts with "a"'],
    [{ Variable: '$.s', StringMatches: '*.log' }, '$.s ends with ".log"'],
    [{ Variable: '$.s', StringMatches: '*err*' }, '$.s contains "err"'],
    [{ Variable: '$.s', StringMatches: 'a*b\\*' }, '$.s matches "a*b\\\\*"'],
    [{ Variable: '$.b', BooleanEquals: false }, '$.b == false'],
    [{ Variable: '$.t', TimestampGreaterThan: '2026-01-01T00:00:00Z' }, '$.t > "2026-01-01T00:00:00Z"'],
    [{ Variable: '$.v', IsNull: false }, '$.v is not null'],
    [{ Variable: '$.v', IsPresent: true }, '$.v is present'],
    [{ And: [{ Variable: '$.a', IsNumeric: true }, { Not: { Variable: '$.a', NumericGreaterThan: 9 } }] }, 'And($.a is numeric, Not($.a > 9))'],
    [{ Or: [{ Variable: '$.a', StringEquals: 'x' }, { Variable: '$.a', StringEquals: 'y' }] }, 'Or($.a == "x", $.a == "y")'],
    [{ Condition: '{% $states.input.n > 3 %}' }, '$states.input.n > 3'],
  ])('%j reads %s', (rule, text) => {
    expect(describeChoiceRule(rule)).toBe(text);
  });

  it('cuts long labels on the edge and keeps the whole rule as its title', () => {
    const condition = `{% ${Array.from({ length: 12 }, (_, i) => `$states.input.field${i} = ${i}`).join(' and ')} %}`;
    const g = buildDiagramGraph({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Condition: condition, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } },
    });
    const edge = g.edges.find((e) => e.kind === 'choice');
    expect(g.queryLanguage).toBe('JSONata');
    expect(edge?.label?.length).toBeLessThanOrEqual(44);
    expect(edge?.label?.endsWith('…')).toBe(true);
    expect(edge?.title).toBe(condition.slice(3, -3));
  });
});

describe('definitions the diagram refuses', () => {
  it.each([
    ['text that is not JSON', '{"StartAt":'],
    ['an array', '[]'],
    ['no States', { StartAt: 'A' }],
    ['an unknown state type', { StartAt: 'A', States: { A: { Type: 'Sleep', End: true } } }],
    ['a branch that is not an object', { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [3], End: true } } }],
  ])('%s', (_, def) => {
    expect(() => buildDiagramGraph(def)).toThrow(DiagramDefinitionError);
  });

  it('accepts the definition as JSON text', () => {
    expect(buildDiagramGraph(JSON.stringify(nested)).nodes.length).toBe(buildDiagramGraph(nested).nodes.length);
  });
});
