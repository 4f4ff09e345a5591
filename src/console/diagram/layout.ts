/**
 * Places a diagram graph with dagre, top to bottom as AWS's console draws it: Parallel and Map
 * boxes are compound nodes, node sizes come from an estimate of their text's width (no font
 * measuring: a per-character table close enough for sans-serif faces).
 */
import dagre from '@dagrejs/dagre';
import type { DiagramCluster, DiagramEdge, DiagramGraph, DiagramNode } from './graph.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode extends DiagramNode {
  /** Centre. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The name as drawn: cut with an ellipsis when wider than a node may be. */
  readonly displayName: string;
  /** The second line: the type and its detail (`Task · lambda:invoke`). */
  readonly subtitle: string;
}

export interface PlacedEdge extends DiagramEdge {
  readonly points: Point[];
  /** Centre of the label, when the edge has one. */
  readonly labelAt: Point | undefined;
  readonly labelWidth: number;
}

export interface PlacedCluster extends DiagramCluster {
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Nesting depth, 0 for a top-level box: outer boxes are drawn first. */
  readonly depth: number;
}

export interface DiagramLayout {
  readonly graph: DiagramGraph;
  readonly nodes: PlacedNode[];
  readonly edges: PlacedEdge[];
  readonly clusters: PlacedCluster[];
  readonly width: number;
  readonly height: number;
}

export const FONT = { name: 13, detail: 11, label: 11, title: 11 } as const;
export const STATE_HEIGHT = 48;
export const TERMINAL_SIZE = 40;
export const JOIN_SIZE = 10;
const STATE_MIN_WIDTH = 124;
const STATE_MAX_WIDTH = 300;
const STATE_PADDING = 32;
export const LABEL_HEIGHT = 16;
/** Bold text is about this much wider: measure it as if set in a larger size. */
export const BOLD = 1.12;

/** Estimated advance of each character, in em, for a sans-serif face (DejaVu Sans is among the widest). */
function charEm(c: string): number {
  if (/[iljtf.,:;|!'`I() [\]]/.test(c)) return 0.34;
  if (/[mwMW@%]/.test(c)) return 0.92;
  if (/[A-Z]/.test(c)) return 0.72;
  if (/[0-9a-z]/.test(c)) return 0.6;
  if (c.charCodeAt(0) > 0x2e7f) return 1; // CJK and other wide scripts
  return 0.64;
}

/** Estimated width in pixels of text at a font size. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const c of text) em += charEm(c);
  return em * fontSize;
}

/** The longest prefix of `text` (plus an ellipsis) that fits in `max` pixels. */
export function fitText(text: string, fontSize: number, max: number): string {
  if (textWidth(text, fontSize) <= max) return text;
  const chars = [...text];
  let width = textWidth('…', fontSize);
  let out = '';
  for (const c of chars) {
    const w = charEm(c) * fontSize;
    if (width + w > max) break;
    width += w;
    out += c;
  }
  return `${out}…`;
}

export function subtitleOf(node: DiagramNode): string {
  if (!node.type) return '';
  return node.detail ? `${node.type} · ${node.detail}` : node.type;
}

function sizeOf(node: DiagramNode): { width: number; height: number; displayName: string; subtitle: string } {
  if (node.kind === 'start' || node.kind === 'end') return { width: TERMINAL_SIZE, height: TERMINAL_SIZE, displayName: node.name, subtitle: '' };
  if (node.kind === 'join') return { width: JOIN_SIZE, height: JOIN_SIZE, displayName: '', subtitle: '' };
  const subtitle = fitText(subtitleOf(node), FONT.detail, STATE_MAX_WIDTH - STATE_PADDING);
  const displayName = fitText(node.name, FONT.name * BOLD, STATE_MAX_WIDTH - STATE_PADDING);
  const text = Math.max(textWidth(displayName, FONT.name * BOLD), textWidth(subtitle, FONT.detail));
  const width = Math.min(STATE_MAX_WIDTH, Math.max(STATE_MIN_WIDTH, Math.ceil(text + STATE_PADDING)));
  return { width, height: STATE_HEIGHT, displayName, subtitle };
}

export interface LayoutOptions {
  /** Space between ranks (dagre halves it around edge labels). Default 56. */
  readonly ranksep?: number;
  /** Space between nodes side by side. Default 36. */
  readonly nodesep?: number;
}

interface NodeLabel {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

interface EdgeLabel {
  width: number;
  height: number;
  labelpos: 'c';
  points?: Point[];
  x?: number;
  y?: number;
}

const MARGIN = 16;

/** A rule back to its own state (a Choice polling itself): a loop on the state's right, in the room dagre kept for its label. */
function loopSelfEdges(edges: PlacedEdge[], nodes: readonly PlacedNode[]): void {
  edges.forEach((e, i) => {
    const n = e.from === e.to ? nodes.find((o) => o.id === e.from) : undefined;
    if (!n) return;
    const right = n.x + n.width / 2;
    const points = [
      { x: right, y: n.y - 12 },
      { x: right + 26, y: n.y - 20 },
      { x: right + 26, y: n.y + 20 },
      { x: right, y: n.y + 12 },
    ];
    edges[i] = { ...e, points, labelAt: e.label ? { x: right + 30 + e.labelWidth / 2, y: n.y } : undefined };
  });
}

/** Dagre leaves self-loops (a Choice rule back to itself) outside its box: take them in. */
function fitBounds(layout: DiagramLayout): DiagramLayout {
  let [minX, minY, maxX, maxY] = [0, 0, layout.width, layout.height];
  const take = (x: number, y: number, halfW = 0, halfH = 0): void => {
    minX = Math.min(minX, x - halfW - MARGIN);
    minY = Math.min(minY, y - halfH - MARGIN);
    maxX = Math.max(maxX, x + halfW + MARGIN);
    maxY = Math.max(maxY, y + halfH + MARGIN);
  };
  for (const e of layout.edges) {
    for (const p of e.points) take(p.x, p.y);
    if (e.labelAt) take(e.labelAt.x, e.labelAt.y, e.labelWidth / 2, LABEL_HEIGHT / 2);
  }
  if (minX === 0 && minY === 0) return { ...layout, width: maxX, height: maxY };
  const move = (p: Point): Point => ({ x: p.x - minX, y: p.y - minY });
  return {
    ...layout,
    nodes: layout.nodes.map((n) => ({ ...n, ...move(n) })),
    edges: layout.edges.map((e) => ({ ...e, points: e.points.map(move), labelAt: e.labelAt && move(e.labelAt) })),
    clusters: layout.clusters.map((c) => ({ ...c, ...move(c) })),
    width: maxX - minX,
    height: maxY - minY,
  };
}

/**
 * Edges from a block's End into its join point: dagre orders their bends with the branches
 * reversed (they cross), so they go straight down and turn to the join below the boxes.
 */
function straightenJoins(edges: PlacedEdge[], nodes: readonly PlacedNode[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  edges.forEach((e, i) => {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (e.kind !== 'branch' || to?.kind !== 'join' || !from) return;
    const bend = to.y - JOIN_SIZE * 2;
    const points = [{ x: from.x, y: from.y + from.height / 2 }, { x: from.x, y: bend }, { x: to.x, y: to.y }];
    edges[i] = { ...e, points };
  });
}

/** Keep a Parallel's branches left to right in definition order, as AWS draws them. */
function branchOrder(graph: DiagramGraph): { left: string; right: string }[] {
  const out: { left: string; right: string }[] = [];
  const previous = new Map<string | undefined, string>();
  for (const c of graph.clusters) {
    if (c.kind !== 'branch') continue;
    const left = previous.get(c.parent);
    if (left !== undefined) out.push({ left, right: c.id });
    previous.set(c.parent, c.id);
  }
  return out;
}

export function layoutDiagram(graph: DiagramGraph, options: LayoutOptions = {}): DiagramLayout {
  const g = new dagre.graphlib.Graph<Record<string, unknown>, NodeLabel, EdgeLabel>({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', ranksep: options.ranksep ?? 56, nodesep: options.nodesep ?? 36, edgesep: 14, marginx: MARGIN, marginy: MARGIN });
  for (const c of graph.clusters) g.setNode(c.id, { width: 0, height: 0 });
  for (const c of graph.clusters) if (c.parent) g.setParent(c.id, c.parent);
  const sizes = new Map<string, ReturnType<typeof sizeOf>>();
  for (const n of graph.nodes) {
    const size = sizeOf(n);
    sizes.set(n.id, size);
    g.setNode(n.id, { width: size.width, height: size.height });
    if (n.parent) g.setParent(n.id, n.parent);
  }
  for (const e of graph.edges) {
    const width = e.label ? Math.ceil(textWidth(e.label, FONT.label)) + 12 : 0;
    g.setEdge(e.from, e.to, { width, height: e.label ? LABEL_HEIGHT : 0, labelpos: 'c' }, e.id);
  }
  dagre.layout(g, { constraints: branchOrder(graph) });

  const nodes = graph.nodes.map((n): PlacedNode => {
    const at = g.node(n.id);
    const size = sizes.get(n.id) ?? sizeOf(n);
    return { ...n, x: at.x ?? 0, y: at.y ?? 0, width: size.width, height: size.height, displayName: size.displayName, subtitle: size.subtitle };
  });
  const edges = graph.edges.map((e): PlacedEdge => {
    const at = g.edge(e.from, e.to, e.id);
    const labelAt = e.label && at.x !== undefined && at.y !== undefined ? { x: at.x, y: at.y } : undefined;
    return { ...e, points: at.points ?? [], labelAt, labelWidth: at.width };
  });
  straightenJoins(edges, nodes);
  loopSelfEdges(edges, nodes);
  const depthOf = (c: DiagramCluster): number => {
    let depth = 0;
    for (let p = c.parent; p; p = graph.clusters.find((o) => o.id === p)?.parent) depth++;
    return depth;
  };
  const clusters = graph.clusters
    .map((c): PlacedCluster => {
      const at = g.node(c.id);
      return { ...c, x: (at.x ?? 0) - at.width / 2, y: (at.y ?? 0) - at.height / 2, width: at.width, height: at.height, depth: depthOf(c) };
    })
    .sort((a, b) => a.depth - b.depth);
  const box = g.graph();
  return fitBounds({ graph, nodes, edges, clusters, width: Number(box['width'] ?? 0), height: Number(box['height'] ?? 0) });
}
