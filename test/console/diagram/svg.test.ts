import { describe, expect, it } from 'vitest';
import {
  buildDiagramGraph,
  layoutDiagram,
  renderDiagramSvg,
  STATE_STATUSES,
  STATUS_PAINT,
  stateStatuses,
  svgToPng,
} from '../../../src/console/diagram/index.js';
import { attr, elements, PIPELINE, PIPELINE_STATES, runPipeline, unescapeXml, wire } from './fixtures.js';

const nested = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Left', States: { Left: { Type: 'Pass', End: true } } },
        { StartAt: 'Right', States: { Right: { Type: 'Wait', Seconds: 1, Next: 'Inner' }, Inner: { Type: 'Map', ItemProcessor: { StartAt: 'Deep', States: { Deep: { Type: 'Pass', End: true } } }, End: true } } },
      ],
      End: true,
    },
  },
};

describe('the SVG of the InfraMonitoring pipeline', () => {
  const svg = renderDiagramSvg(PIPELINE, { title: 'InfraMonitoring' });

  it('is a standalone SVG document with a size and a viewBox', () => {
    const root = /^<svg [^>]*>/.exec(svg)?.[0] ?? '';
    expect(attr(root, 'xmlns')).toBe('http://www.w3.org/2000/svg');
    const [w, h] = [Number(attr(root, 'width')), Number(attr(root, 'height'))];
    expect(w).toBeGreaterThan(300);
    expect(h).toBeGreaterThan(600);
    expect(attr(root, 'viewBox')).toBe(`0 0 ${w} ${h}`);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('>InfraMonitoring</text>');
  });

  it('draws every state, findable by name, with a tooltip', () => {
    const states = elements(svg, 'sw-state');
    expect(states.map((e) => attr(e, 'data-state')).sort()).toEqual([...PIPELINE_STATES].sort());
    for (const e of states) {
      expect(e).toContain(`<title>${attr(e, 'data-state')} (`);
      expect(attr(e, 'data-status')).toBe('none');
    }
  });

  it('draws every edge, Choice rules and Catch labelled, Catch dashed', () => {
    const edges = elements(svg, 'sw-edge').map((e) => ({ kind: attr(e, 'data-kind'), from: attr(e, 'data-from'), to: attr(e, 'data-to'), e }));
    expect(edges).toHaveLength(buildDiagramGraph(PIPELINE).edges.length);
    const catches = edges.filter((e) => e.kind === 'catch');
    expect(catches.map((c) => `${c.from}->${c.to}`).sort()).toEqual(['CheckProcessingComplete->NotifyFailure', 'CollectMetrics->NotifyFailure']);
    for (const c of catches) {
      expect(c.e).toContain('stroke-dasharray');
      expect(c.e).toContain('>States.ALL</text>');
    }
    const labels = (svg.match(/class="sw-edge-label"[^>]*>([^<]*)</g) ?? []).map((m) => unescapeXml(m.replace(/^.*>/, '').slice(0, -1)));
    expect(labels.sort()).toEqual(['$.check.Item is present', '$rechecks < 3', 'And($.check.Item is present, $.check.Item.s…', 'Default', 'States.ALL', 'States.ALL'].sort());
    const processed = edges.find((e) => e.kind === 'choice' && e.to === 'NotifySuccess')?.e ?? '';
    expect(unescapeXml(/<title>([^<]*)<\/title>/.exec(processed)?.[1] ?? '')).toBe('IsProcessed → NotifySuccess: And($.check.Item is present, $.check.Item.status.S == "PROCESSED")');
    expect(edges.filter((e) => e.kind === 'next' && !e.e.includes('stroke-dasharray'))).toHaveLength(10);
  });

  it('annotates the retried tasks', () => {
    const retried = elements(svg, 'sw-state').filter((e) => e.includes('class="sw-retry"'));
    expect(retried.map((e) => [attr(e, 'data-state'), /retry ×\d/.exec(e)?.[0]])).toEqual([
      ['CollectMetrics', 'retry ×3'],
      ['CheckProcessingComplete', 'retry ×2'],
    ]);
  });
});

describe('state types in the SVG', () => {
  it('draws each of the eight types with its own outline and type label', () => {
    const def = {
      StartAt: 'Task',
      States: {
        Task: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: 'Pass' },
        Pass: { Type: 'Pass', Next: 'Wait' },
        Wait: { Type: 'Wait', Seconds: 5, Next: 'Choice' },
        Choice: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'Succeed' }], Default: 'Parallel' },
        Parallel: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], Next: 'Map' },
        Map: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'Fail' },
        Fail: { Type: 'Fail' },
        Succeed: { Type: 'Succeed' },
      },
    };
    const states = elements(renderDiagramSvg(def), 'sw-state').filter((e) => attr(e, 'data-state') === attr(e, 'data-type'));
    expect(states).toHaveLength(8);
    // The outline with coordinates and text taken out: what tells the types apart at a glance.
    const outline = (e: string): string =>
      e
        .replace(/^<g [^>]*>/, '')
        .replace(/<title>.*?<\/title>|<text[^>]*>[^<]*<\/text>/g, '')
        .replace(/ (x|y|x1|y1|x2|y2|width|height)="[-\d.]+"/g, '')
        .replace(/points="[^"]*"/g, (p) => `points=${p.split(' ').length}`);
    expect(new Set(states.map(outline)).size).toBe(8);
    for (const e of states) expect(e).toMatch(new RegExp(`>${attr(e, 'data-type')}( · [^<]*)?</text>`));
  });
});

describe('Parallel and Map boxes in the SVG', () => {
  it('boxes each branch and processor inside its state’s box, with the nested states inside', () => {
    const layout = layoutDiagram(buildDiagramGraph(nested));
    const box = new Map(layout.clusters.map((c) => [c.id, c]));
    const inside = (x: number, y: number, w: number, h: number, id: string | undefined): boolean => {
      const c = id ? box.get(id) : undefined;
      return !!c && x - w / 2 >= c.x && x + w / 2 <= c.x + c.width && y - h / 2 >= c.y && y + h / 2 <= c.y + c.height;
    };
    for (const n of layout.nodes.filter((o) => o.parent)) expect(inside(n.x, n.y, n.width, n.height, n.parent), n.id).toBe(true);
    for (const c of layout.clusters.filter((o) => o.parent)) expect(inside(c.x + c.width / 2, c.y + c.height / 2, c.width, c.height, c.parent), c.id).toBe(true);
    expect(layout.nodes.find((n) => n.name === 'Deep')?.parent).toBe('Fan/branch 1/Inner/processor');

    const svg = renderDiagramSvg(nested);
    const clusters = elements(svg, 'sw-cluster').map((e) => [attr(e, 'data-cluster'), attr(e, 'data-kind')]);
    expect(clusters).toEqual([
      ['Fan/(box)', 'parallel'],
      ['Fan/branch 0', 'branch'],
      ['Fan/branch 1', 'branch'],
      ['Fan/branch 1/Inner/(box)', 'map'],
      ['Fan/branch 1/Inner/processor', 'processor'],
    ]);
    expect(svg).toContain('>Branch 1</text>');
    expect(svg).toContain('>Item processor</text>');
    const parents = Object.fromEntries(elements(svg, 'sw-state').map((e) => [attr(e, 'data-state'), attr(e, 'data-parent')]));
    expect(parents).toEqual({ Fan: 'Fan/(box)', Left: 'Fan/branch 0', Right: 'Fan/branch 1', Inner: 'Fan/branch 1/Inner/(box)', Deep: 'Fan/branch 1/Inner/processor' });
  });

  it('lays branches out left to right in definition order', () => {
    const layout = layoutDiagram(buildDiagramGraph(nested));
    const [b0, b1] = ['Fan/branch 0', 'Fan/branch 1'].map((id) => layout.clusters.find((c) => c.id === id));
    expect((b0?.x ?? 0) + (b0?.width ?? 0)).toBeLessThanOrEqual(b1?.x ?? 0);
  });
});

describe('awkward shapes in the SVG', () => {
  it('keeps a rule looping back to its own state, and its label, on the canvas', () => {
    const def = { StartAt: 'Poll', States: { Poll: { Type: 'Choice', Choices: [{ Variable: '$.ready', BooleanEquals: false, Next: 'Poll' }], Default: 'Done' }, Done: { Type: 'Succeed' } } };
    const layout = layoutDiagram(buildDiagramGraph(def));
    const loop = layout.edges.find((e) => e.from === e.to);
    const poll = layout.nodes.find((n) => n.name === 'Poll');
    expect(loop?.points.length).toBeGreaterThan(2);
    for (const p of loop?.points ?? []) expect(p.x).toBeGreaterThanOrEqual((poll?.x ?? 0) + (poll?.width ?? 0) / 2);
    const right = Math.max(...(loop?.points ?? []).map((p) => p.x), (loop?.labelAt?.x ?? 0) + (loop?.labelWidth ?? 0) / 2);
    expect(right).toBeLessThanOrEqual(layout.width);
  });

  it('cuts a long name to fit its box, and keeps it whole in data-state and the tooltip', () => {
    const name = 'A state name long enough to overflow any box the diagram would draw for it';
    const svg = renderDiagramSvg({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });
    const [state] = elements(svg, 'sw-state');
    expect(attr(state ?? '', 'data-state')).toBe(name);
    expect(state).toContain(`<title>${name} (Pass)</title>`);
    expect(state).toMatch(/>A state name[^<]*…<\/text>/);
    expect(Number(/<rect [^>]*width="([\d.]+)"/.exec(state ?? '')?.[1])).toBeLessThanOrEqual(300);
  });
});

describe('hostile names in the SVG', () => {
  const hostile = `<script>alert("x")</script> & 'quotes'\n\u0001`;
  const def = {
    Comment: hostile,
    StartAt: hostile,
    States: {
      [hostile]: { Type: 'Choice', Choices: [{ Variable: '$["<b>"]', StringEquals: '</text><script>', Next: 'Q&A' }], Default: 'Q&A' },
      'Q&A': { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:a<b>', Catch: [{ ErrorEquals: ['<Err>'], Next: hostile }], End: true },
    },
  };
  const svg = renderDiagramSvg(def, { title: hostile, status: { [hostile]: 'failed', 'Q&A': 'caught' } });

  it('escapes every text and attribute', () => {
    expect(svg).not.toMatch(/<script|<b>|<\/text><script|<Err>/);
    expect(svg).not.toContain('\u0001');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;&#10;\ufffd');
    const names = elements(svg, 'sw-state').map((e) => unescapeXml(attr(e, 'data-state') ?? ''));
    expect(names.sort()).toEqual(['Q&A', hostile.replace('\u0001', '\ufffd')].sort());
  });

  it('still renders: resvg parses the document', () => {
    expect(svgToPng(svg).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

describe('an execution’s colours in the SVG', () => {
  it('colours a failed run’s states by what happened, and adds a legend', async () => {
    const status = stateStatuses(wire(await runPipeline({ collectorFailures: Infinity })), PIPELINE);
    const svg = renderDiagramSvg(PIPELINE, { status });
    const drawn = elements(svg, 'sw-state').map((e) => ({ name: attr(e, 'data-state') ?? '', status: attr(e, 'data-status'), fill: attr(e, 'fill') }));
    for (const d of drawn) {
      expect(d.status).toBe(status[d.name]);
      expect(d.fill).toBe(STATUS_PAINT[status[d.name] as keyof typeof STATUS_PAINT].fill);
    }
    expect(drawn.find((d) => d.name === 'PipelineFailed')?.fill).toBe(STATUS_PAINT.failed.fill);
    expect(drawn.find((d) => d.name === 'CollectMetrics')?.fill).toBe(STATUS_PAINT.caught.fill);
    expect(drawn.find((d) => d.name === 'NotifySuccess')?.fill).toBe(STATUS_PAINT.notReached.fill);
    const legend = svg.match(/data-legend="(\w+)"/g)?.map((m) => m.slice(13, -1));
    expect(legend).toEqual([...STATE_STATUSES]);
  });

  it('colours a successful run green along its path; states missing from the status are not reached', async () => {
    const status = stateStatuses(wire(await runPipeline()));
    const svg = renderDiagramSvg(PIPELINE, { status });
    const by = Object.fromEntries(elements(svg, 'sw-state').map((e) => [attr(e, 'data-state'), attr(e, 'data-status')]));
    expect(by).toMatchObject({ CollectMetrics: 'succeeded', NotifySuccess: 'succeeded', NotifyFailure: 'notReached', PipelineFailed: 'notReached' });
    expect(svg).toContain(`fill="${STATUS_PAINT.succeeded.fill}"`);
  });

  it('finds a nested state’s status by its path id as well as its name', () => {
    const svg = renderDiagramSvg(nested, { status: { 'Fan/branch 0/Left': 'running', Deep: 'retried' } });
    const by = Object.fromEntries(elements(svg, 'sw-state').map((e) => [attr(e, 'data-state'), attr(e, 'data-status')]));
    expect(by).toEqual({ Fan: 'notReached', Left: 'running', Right: 'notReached', Inner: 'notReached', Deep: 'retried' });
  });

  it('has no legend without an execution', () => {
    expect(renderDiagramSvg(PIPELINE)).not.toContain('sw-legend');
  });
});
