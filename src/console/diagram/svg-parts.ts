/** The pieces of the diagram's SVG: escaping, number formatting, one shape per state type, edges. */
import type { StateType } from './graph.js';
import { FONT, type PlacedEdge, type PlacedNode, type Point } from './layout.js';
import { FONT_FAMILY, INK, TYPE_TINT, type Paint } from './theme.js';

/**
 * Text for XML content or a quoted attribute; characters XML 1.0 forbids become U+FFFD, and line
 * breaks become references (an attribute keeps them, and every element stays on one line).
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A coordinate with at most one decimal. */
export function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

export function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** The outline of a state, by type: the shape tells the type even in grey. */
export function stateShape(type: StateType, node: PlacedNode, paint: Paint, dashed: boolean): string {
  const x = node.x - node.width / 2;
  const y = node.y - node.height / 2;
  const w = node.width;
  const h = node.height;
  const stroke = `fill="${paint.fill}" stroke="${paint.stroke}" stroke-width="1.5"${dashed ? ' stroke-dasharray="5 3"' : ''}`;
  const rect = (rx: number, dx = 0, dy = 0, s = stroke): string =>
    `<rect x="${num(x + dx)}" y="${num(y + dy)}" width="${num(w)}" height="${num(h)}" rx="${rx}" ${s}/>`;
  const polygon = (pts: [number, number][]): string => `<polygon points="${pts.map(([px, py]) => `${num(px)},${num(py)}`).join(' ')}" ${stroke}/>`;
  switch (type) {
    case 'Choice': {
      const c = 14;
      return polygon([[x + c, y], [x + w - c, y], [x + w, y + h / 2], [x + w - c, y + h], [x + c, y + h], [x, y + h / 2]]);
    }
    case 'Wait':
      return rect(h / 2);
    case 'Fail': {
      const c = 10;
      return polygon([[x + c, y], [x + w - c, y], [x + w, y + c], [x + w, y + h - c], [x + w - c, y + h], [x + c, y + h], [x, y + h - c], [x, y + c]]);
    }
    case 'Succeed':
      return `${rect(10)}<rect x="${num(x + 3)}" y="${num(y + 3)}" width="${num(w - 6)}" height="${num(h - 6)}" rx="7" fill="none" stroke="${paint.stroke}" stroke-width="1"/>`;
    case 'Pass':
      return rect(2);
    case 'Map':
      // A stack of cards: one per item.
      return `${rect(6, 6, 6)}${rect(6, 3, 3)}${rect(6)}`;
    case 'Parallel': {
      const bars = [x + 10, x + 15].map((bx) => `<line x1="${num(bx)}" y1="${num(y + 10)}" x2="${num(bx)}" y2="${num(y + h - 10)}" stroke="${TYPE_TINT.Parallel}" stroke-width="2"/>`);
      return `${rect(6)}${bars.join('')}`;
    }
    default:
      return rect(8);
  }
}

/** A state: its shape, name, type line, retry badge, tooltip and the data attributes tests and the browser find. */
export function stateElement(node: PlacedNode, paint: Paint, status: string): string {
  const type = node.type ?? 'Pass';
  const tooltip = `${node.name} (${type}${node.detail ? `: ${node.detail}` : ''})${node.retry ? `, ${node.retry}` : ''}${status !== 'none' ? ` — ${status}` : ''}`;
  const attrs = [
    `class="sw-state"`,
    `data-state="${escapeXml(node.name)}"`,
    `data-id="${escapeXml(node.id)}"`,
    `data-type="${type}"`,
    `data-status="${status}"`,
    node.parent ? `data-parent="${escapeXml(node.parent)}"` : '',
  ].filter(Boolean);
  const top = node.y - node.height / 2;
  const parts = [
    `<g ${attrs.join(' ')}>`,
    `<title>${escapeXml(tooltip)}</title>`,
    stateShape(type, node, paint, status === 'aborted'),
    text(node.x, top + 21, node.displayName, `text-anchor="middle" font-size="${FONT.name}" font-weight="600" fill="${paint.text}"`),
    text(node.x, top + 37, node.subtitle, `text-anchor="middle" font-size="${FONT.detail}" fill="${TYPE_TINT[type]}"`),
  ];
  if (node.retry) parts.push(retryBadge(node));
  parts.push('</g>');
  return parts.join('');
}

function retryBadge(node: PlacedNode): string {
  const w = Math.ceil(node.retry ? node.retry.length * 6 + 10 : 0);
  const right = node.x + node.width / 2 - 8;
  const top = node.y - node.height / 2;
  return (
    `<g class="sw-retry"><rect x="${num(right - w)}" y="${num(top - 7)}" width="${w}" height="14" rx="7" fill="#ffffff" stroke="${TYPE_TINT.Task}" stroke-width="1"/>` +
    text(right - w / 2, top + 3.5, node.retry ?? '', `text-anchor="middle" font-size="9.5" fill="${TYPE_TINT.Task}"`) +
    '</g>'
  );
}

/** Start and End circles; a join point is a small dot where a Parallel's or Map's edges leave. */
export function terminalElement(node: PlacedNode): string {
  if (node.kind === 'join') {
    return `<circle class="sw-join" data-join="${escapeXml(node.name)}" cx="${num(node.x)}" cy="${num(node.y)}" r="${num(node.width / 2)}" fill="${INK.terminal}"/>`;
  }
  return (
    `<g class="sw-terminal" data-terminal="${node.kind}" data-id="${escapeXml(node.id)}"><title>${node.name}</title>` +
    `<circle cx="${num(node.x)}" cy="${num(node.y)}" r="${num(node.width / 2)}" fill="${INK.terminalFill}" stroke="${INK.terminal}" stroke-width="1.5"/>` +
    text(node.x, node.y + 4, node.name, `text-anchor="middle" font-size="11" fill="${INK.terminal}"`) +
    '</g>'
  );
}

/** A path through dagre's points, its corners rounded with quadratic curves. */
export function smoothPath(points: readonly Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  if (rest.length < 2) return `M${num(first.x)},${num(first.y)}${rest.map((p) => `L${num(p.x)},${num(p.y)}`).join('')}`;
  let d = `M${num(first.x)},${num(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i] as Point;
    const q = rest[i + 1] as Point;
    d += `Q${num(p.x)},${num(p.y)} ${num((p.x + q.x) / 2)},${num((p.y + q.y) / 2)}`;
  }
  const last = rest[rest.length - 1] as Point;
  return `${d}L${num(last.x)},${num(last.y)}`;
}

export function edgeElement(edge: PlacedEdge, target: PlacedNode | undefined, names: Map<string, string>): string {
  const colour = edge.kind === 'catch' ? INK.catch : edge.kind === 'branch' ? INK.branch : INK.edge;
  const marker = target?.kind === 'join' ? '' : ` marker-end="url(#sw-arrow-${edge.kind === 'catch' ? 'catch' : 'plain'})"`;
  const dash = edge.kind === 'catch' ? ' stroke-dasharray="6 4"' : '';
  const from = names.get(edge.from) ?? edge.from;
  const to = names.get(edge.to) ?? edge.to;
  const tooltip = `${from} → ${to}${edge.label ? `: ${edge.title ?? edge.label}` : ''}`;
  const parts = [
    `<g class="sw-edge" data-kind="${edge.kind}" data-from="${escapeXml(from)}" data-to="${escapeXml(to)}">`,
    `<title>${escapeXml(tooltip)}</title>`,
    `<path d="${smoothPath(edge.points)}" fill="none" stroke="${colour}" stroke-width="${edge.kind === 'branch' ? 1 : 1.4}"${dash}${marker}/>`,
  ];
  if (edge.label && edge.labelAt) {
    const { x, y } = edge.labelAt;
    parts.push(
      `<rect x="${num(x - edge.labelWidth / 2)}" y="${num(y - 8)}" width="${num(edge.labelWidth)}" height="16" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="${edge.kind === 'catch' ? INK.catch : 'none'}" stroke-width="0.6"/>`,
      text(x, y + 4, edge.label, `class="sw-edge-label" text-anchor="middle" font-size="${FONT.label}" fill="${edge.kind === 'catch' ? INK.catch : INK.label}"`),
    );
  }
  parts.push('</g>');
  return parts.join('');
}

export function defs(): string {
  const arrow = (id: string, colour: string): string =>
    `<marker id="sw-arrow-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="${colour}"/></marker>`;
  return `<defs>${arrow('plain', INK.edge)}${arrow('catch', INK.catch)}</defs>`;
}

export const ROOT_ATTRS = `font-family="${FONT_FAMILY}"`;
