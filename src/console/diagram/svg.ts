/**
 * A definition as a standalone SVG document: laid out top to bottom, every state type drawn with
 * its own shape and type label, Parallel and Map boxed, Catch edges dashed; with a status per
 * state (an execution), states take AWS's console colours and a legend explains them.
 */
import { buildDiagramGraph } from './graph.js';
import { BOLD, layoutDiagram, textWidth, type DiagramLayout, type LayoutOptions, type PlacedCluster } from './layout.js';
import { ROOT_ATTRS, defs, edgeElement, escapeXml, num, stateElement, terminalElement, text } from './svg-parts.js';
import { INK, PLAIN, STATE_STATUSES, STATUS_LABEL, STATUS_PAINT, TYPE_TINT, type StateStatus } from './theme.js';

export interface DiagramSvgOptions extends LayoutOptions {
  /**
   * What happened to each state, by state name or node id (`Fan/branch 0/Step`). When given,
   * states missing from it are drawn as not reached, and a legend is added.
   */
  readonly status?: Readonly<Record<string, StateStatus>>;
  /** A heading above the diagram. */
  readonly title?: string;
}

const TITLE_HEIGHT = 34;
const LEGEND_ROW = 22;
const PAD = 16;

export function renderDiagramSvg(definition: unknown, options: DiagramSvgOptions = {}): string {
  return renderLayoutSvg(layoutDiagram(buildDiagramGraph(definition), options), options);
}

/** The status a state is drawn with: by node id first, then by name; `none` without an execution. */
export function statusOf(status: Readonly<Record<string, StateStatus>> | undefined, id: string, name: string): StateStatus | 'none' {
  if (!status) return 'none';
  const own = Object.hasOwn(status, id) ? status[id] : Object.hasOwn(status, name) ? status[name] : undefined;
  return own && (STATE_STATUSES as readonly string[]).includes(own) ? own : 'notReached';
}

export function renderLayoutSvg(layout: DiagramLayout, options: DiagramSvgOptions = {}): string {
  const title = options.title;
  const top = title ? TITLE_HEIGHT : 0;
  const legend = options.status ? legendItems() : undefined;
  const minWidth = Math.max(title ? textWidth(title, 15 * BOLD) + 2 * PAD : 0, legend ? Math.min(legend.width, 520) + 2 * PAD : 0);
  const width = Math.ceil(Math.max(layout.width, minWidth));
  const dx = (width - layout.width) / 2;
  const legendRows = legend ? wrap(legend.items, width - 2 * PAD) : [];
  const height = Math.ceil(top + layout.height + (legendRows.length ? legendRows.length * LEGEND_ROW + 12 : 0));
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const names = new Map(layout.nodes.map((n) => [n.id, n.name]));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${ROOT_ATTRS} class="sw-diagram" role="img">`,
    `<title>${escapeXml(title ?? 'State machine diagram')}</title>`,
    defs(),
    `<rect x="0" y="0" width="${width}" height="${height}" fill="${INK.background}"/>`,
  ];
  if (title) out.push(text(PAD, 22, title, `class="sw-title" font-size="15" font-weight="700" fill="${INK.title}"`));
  out.push(`<g class="sw-graph" transform="translate(${num(dx)},${top})">`);
  for (const c of layout.clusters) out.push(clusterElement(c));
  for (const e of layout.edges) out.push(edgeElement(e, byId.get(e.to), names));
  for (const n of layout.nodes) {
    if (n.kind !== 'state') {
      out.push(terminalElement(n));
      continue;
    }
    const status = statusOf(options.status, n.id, n.name);
    out.push(stateElement(n, status === 'none' ? PLAIN : STATUS_PAINT[status], status));
  }
  out.push('</g>');
  if (legendRows.length) out.push(legendElement(legendRows, top + layout.height + 6));
  out.push('</svg>');
  return out.join('\n');
}

function clusterElement(c: PlacedCluster): string {
  const outer = c.kind === 'parallel' || c.kind === 'map';
  const tint = c.kind === 'parallel' || c.kind === 'branch' ? TYPE_TINT.Parallel : TYPE_TINT.Map;
  const style = outer ? `fill="#fafafa" stroke="${tint}" stroke-width="1.2" stroke-dasharray="8 4"` : `fill="#ffffff" stroke="${INK.cluster}" stroke-width="1"`;
  return (
    `<g class="sw-cluster" data-cluster="${escapeXml(c.id)}" data-kind="${c.kind}">` +
    `<rect x="${num(c.x)}" y="${num(c.y)}" width="${num(c.width)}" height="${num(c.height)}" rx="${outer ? 10 : 6}" ${style}/>` +
    text(c.x + 8, c.y + 14, c.label, `class="sw-cluster-title" font-size="11" font-weight="${outer ? 700 : 400}" fill="${outer ? tint : INK.label}"`) +
    '</g>'
  );
}

interface LegendItem {
  readonly status: StateStatus;
  readonly width: number;
}

function legendItems(): { items: LegendItem[]; width: number } {
  const items = STATE_STATUSES.map((status) => ({ status, width: 14 + 6 + textWidth(STATUS_LABEL[status], 11) + 18 }));
  return { items, width: items.reduce((sum, i) => sum + i.width, 0) };
}

function wrap(items: readonly LegendItem[], max: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let row: LegendItem[] = [];
  let used = 0;
  for (const item of items) {
    if (row.length && used + item.width > max) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(item);
    used += item.width;
  }
  if (row.length) rows.push(row);
  return rows;
}

function legendElement(rows: readonly LegendItem[][], y0: number): string {
  const out = ['<g class="sw-legend">'];
  rows.forEach((row, r) => {
    let x = PAD;
    const y = y0 + r * LEGEND_ROW;
    for (const item of row) {
      const paint = STATUS_PAINT[item.status];
      out.push(
        `<g data-legend="${item.status}"><rect x="${num(x)}" y="${num(y + 3)}" width="14" height="14" rx="3" fill="${paint.fill}" stroke="${paint.stroke}" stroke-width="1.5"/>` +
          text(x + 20, y + 14, STATUS_LABEL[item.status], `font-size="11" fill="${INK.label}"`) +
          '</g>',
      );
      x += item.width;
    }
  });
  out.push('</g>');
  return out.join('');
}
