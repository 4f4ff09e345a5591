/**
 * The diagram inside a page: the diagram module's SVG (memoised, since a running execution's
 * page asks for it every poll) in a viewport the script zooms and pans.
 */
import { createHash } from 'node:crypto';
import { renderDiagramSvg, type StateStatus } from '../diagram/index.js';
import { html, raw, type Html } from './html.js';

const CACHE_SIZE = 200;
const cache = new Map<string, string>();

/** The SVG of a definition, coloured by `status` when given (LRU-memoised). */
export function diagramSvg(definition: string, status?: Readonly<Record<string, StateStatus>>): string {
  const key = createHash('sha256').update(definition).update('\u0000').update(status ? JSON.stringify(status) : '').digest('base64');
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const svg = renderDiagramSvg(definition, status ? { status } : {});
  cache.set(key, svg);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return svg;
}

/** The SVG, or an explanation when the definition cannot be drawn. */
export function diagramMarkup(definition: string, status?: Readonly<Record<string, StateStatus>>): Html {
  try {
    return raw(diagramSvg(definition, status));
  } catch (err) {
    return html`<p class="alert error" data-diagram-error>The diagram cannot be drawn: ${err instanceof Error ? err.message : String(err)}</p>`;
  }
}

export function diagramPanel(definition: string, status?: Readonly<Record<string, StateStatus>>): Html {
  return html`<div class="panel diagram-panel">
<h2>Graph view</h2>
<div class="diagram-tools"><button type="button" data-zoom="in" title="Zoom in">+</button><button type="button" data-zoom="out" title="Zoom out">−</button><button type="button" data-zoom="fit" title="Fit to view">Fit</button><button type="button" data-zoom="actual" title="Actual size">1:1</button><span class="small muted">Wheel to zoom, drag to pan${status ? ', click a state for its input and output' : ''}.</span></div>
<div class="sw-viewport" data-diagram><div class="sw-canvas">${diagramMarkup(definition, status)}</div></div>
</div>`;
}
