/**
 * A definition as a diagram's graph: a node per state (nested ones under a path id such as
 * `Fan/branch 0/Step`), Start and End circles per block, and edges for Next, Choice rules,
 * Default and Catch. A Parallel or Map is a box around its state node, its blocks (each boxed
 * with its own Start and End) and a join point its outgoing edges leave from, so the layout can
 * keep the whole fan-out between the edge that enters it and the edges that leave it.
 */
import { isObject, type Json, type JsonObject } from '../../lib/json.js';
import { describeChoiceRule, truncate } from './choice-label.js';

export const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
export type StateType = (typeof STATE_TYPES)[number];
export type QueryLanguage = 'JSONPath' | 'JSONata';

export type DiagramNodeKind = 'state' | 'start' | 'end' | 'join';

export interface DiagramNode {
  /** Unique in the diagram: the state's path (`Fan/branch 0/Step`), or a terminal's. */
  readonly id: string;
  readonly kind: DiagramNodeKind;
  /** The state's name; `Start`/`End` for terminals; the owning state's name for a join. */
  readonly name: string;
  readonly type: StateType | undefined;
  /** A short second line: a Task's resource, a Wait's duration, a Fail's error… */
  readonly detail: string | undefined;
  /** The state's Retry rules in brief (`retry ×3`), if it has any that retry. */
  readonly retry: string | undefined;
  /** The cluster the node sits in; undefined at the top level. */
  readonly parent: string | undefined;
}

export type DiagramEdgeKind = 'next' | 'choice' | 'default' | 'catch' | 'branch';

export interface DiagramEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: DiagramEdgeKind;
  /** The short text drawn on the edge. */
  readonly label: string | undefined;
  /** The full text (tooltip) when the label is cut. */
  readonly title: string | undefined;
}

export type DiagramClusterKind = 'parallel' | 'map' | 'branch' | 'processor';

export interface DiagramCluster {
  readonly id: string;
  readonly kind: DiagramClusterKind;
  readonly label: string;
  /** The id of the Parallel or Map state node the cluster belongs to. */
  readonly state: string;
  readonly parent: string | undefined;
}

export interface DiagramGraph {
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
  readonly clusters: DiagramCluster[];
  readonly queryLanguage: QueryLanguage;
  readonly comment: string | undefined;
}

export class DiagramDefinitionError extends Error {
  override readonly name = 'DiagramDefinitionError';
}

/** A definition given as JSON text or as a parsed object. */
export function parseDefinition(definition: unknown): JsonObject {
  let value = definition;
  if (typeof definition === 'string') {
    try {
      value = JSON.parse(definition) as unknown;
    } catch (err) {
      throw new DiagramDefinitionError(`the definition is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!isObject(value)) throw new DiagramDefinitionError('the definition is not a JSON object');
  return value;
}

export function buildDiagramGraph(definition: unknown): DiagramGraph {
  const def = parseDefinition(definition);
  const b = new Builder();
  b.addBlock(def, '', undefined);
  const comment = typeof def['Comment'] === 'string' ? def['Comment'] : undefined;
  return { nodes: b.nodes, edges: b.edges, clusters: b.clusters, queryLanguage: def['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath', comment };
}

class Builder {
  readonly nodes: DiagramNode[] = [];
  readonly edges: DiagramEdge[] = [];
  readonly clusters: DiagramCluster[] = [];
  private readonly used = new Set<string>();

  /** Claim an id; a hostile state name that collides with another id gets a suffix. */
  private claim(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.used.has(id); n++) id = `${wanted}~${n}`;
    this.used.add(id);
    return id;
  }

  addBlock(raw: JsonObject, prefix: string, parent: string | undefined): void {
    const states = raw['States'];
    if (!isObject(states)) throw new DiagramDefinitionError(`${prefix || 'the definition'} has no States object`);
    // State names claim their ids before anything else in the block.
    const ids = new Map<string, string>();
    for (const name of Object.keys(states)) ids.set(name, this.claim(`${prefix}${name}`));
    const start = this.terminal('start', `${prefix}(start)`, parent);
    const end = this.terminal('end', `${prefix}(end)`, parent);
    const startAt = raw['StartAt'];
    if (typeof startAt === 'string' && ids.has(startAt)) this.edge(start, ids.get(startAt) ?? '', 'next', undefined);
    for (const [name, value] of Object.entries(states)) {
      if (!isObject(value)) throw new DiagramDefinitionError(`state ${JSON.stringify(name)} is not an object`);
      this.addState(name, ids.get(name) ?? name, value, ids, end, parent);
    }
  }

  private terminal(kind: 'start' | 'end', wanted: string, parent: string | undefined): string {
    const id = this.claim(wanted);
    this.nodes.push({ id, kind, name: kind === 'start' ? 'Start' : 'End', type: undefined, detail: undefined, retry: undefined, parent });
    return id;
  }

  private addState(name: string, id: string, def: JsonObject, ids: Map<string, string>, end: string, parent: string | undefined): void {
    const type = def['Type'];
    if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
      throw new DiagramDefinitionError(`state ${JSON.stringify(name)} has an unknown Type ${JSON.stringify(type ?? null)}`);
    }
    const stateType = type as StateType;
    let exit = id;
    let nodeParent = parent;
    if (stateType === 'Parallel' || stateType === 'Map') {
      const box = this.claim(`${id}/(box)`);
      this.clusters.push({ id: box, kind: stateType === 'Parallel' ? 'parallel' : 'map', label: stateType, state: id, parent });
      nodeParent = box;
      exit = this.claim(`${id}/(join)`);
      this.nodes.push({ id: exit, kind: 'join', name, type: undefined, detail: undefined, retry: undefined, parent: box });
      this.addInnerBlocks(id, def, stateType, box, exit);
    }
    this.nodes.push({ id, kind: 'state', name, type: stateType, detail: detailOf(stateType, def), retry: retryOf(def), parent: nodeParent });
    const target = (next: Json | undefined): string | undefined => (typeof next === 'string' ? ids.get(next) : undefined);
    const next = target(def['Next']);
    if (next !== undefined) this.edge(exit, next, 'next', undefined);
    if (def['End'] === true || stateType === 'Succeed' || stateType === 'Fail') this.edge(exit, end, 'next', undefined);
    if (stateType === 'Choice') {
      const choices = Array.isArray(def['Choices']) ? def['Choices'] : [];
      for (const rule of choices) {
        const to = isObject(rule) ? target(rule['Next']) : undefined;
        if (to === undefined || !isObject(rule)) continue;
        const text = describeChoiceRule(rule);
        this.edge(exit, to, 'choice', text);
      }
      const fallback = target(def['Default']);
      if (fallback !== undefined) this.edge(exit, fallback, 'default', 'Default');
    }
    const catchers = Array.isArray(def['Catch']) ? def['Catch'] : [];
    for (const catcher of catchers) {
      const to = isObject(catcher) ? target(catcher['Next']) : undefined;
      if (to === undefined || !isObject(catcher)) continue;
      const errors = Array.isArray(catcher['ErrorEquals']) ? catcher['ErrorEquals'].filter((e) => typeof e === 'string') : [];
      this.edge(exit, to, 'catch', errors.join(', ') || 'Catch');
    }
  }

  private addInnerBlocks(id: string, def: JsonObject, type: 'Parallel' | 'Map', box: string, join: string): void {
    const blocks: { raw: Json | undefined; label: string; path: string; kind: DiagramClusterKind }[] =
      type === 'Parallel'
        ? (Array.isArray(def['Branches']) ? def['Branches'] : []).map((raw, i) => ({ raw, label: `Branch ${i + 1}`, path: `branch ${i}`, kind: 'branch' }))
        : [{ raw: def['ItemProcessor'] ?? def['Iterator'], label: def['ItemProcessor'] ? 'Item processor' : 'Iterator', path: 'processor', kind: 'processor' }];
    for (const block of blocks) {
      if (!isObject(block.raw)) throw new DiagramDefinitionError(`${type} state ${JSON.stringify(id)} has a block that is not an object`);
      const prefix = `${id}/${block.path}/`;
      const cluster = this.claim(`${id}/${block.path}`);
      this.clusters.push({ id: cluster, kind: block.kind, label: block.label, state: id, parent: box });
      const firstNode = this.nodes.length;
      this.addBlock(block.raw, prefix, cluster);
      // The block's own Start and End hang off the state node and its join point.
      const own = this.nodes.slice(firstNode).filter((n) => n.parent === cluster);
      const start = own.find((n) => n.kind === 'start');
      const end = own.find((n) => n.kind === 'end');
      if (start) this.edge(id, start.id, 'branch', undefined);
      if (end) this.edge(end.id, join, 'branch', undefined);
    }
  }

  private edge(from: string, to: string, kind: DiagramEdgeKind, text: string | undefined): void {
    const label = text === undefined ? undefined : truncate(text);
    const title = text !== undefined && label !== text ? text : undefined;
    this.edges.push({ id: `e${this.edges.length}`, from, to, kind, label, title });
  }
}

/** A Task's integration in brief: `lambda:invoke`, `sns:publish`, `lambda: my-function`. */
export function resourceLabel(resource: string): string {
  const service = /^arn:[^:]+:states:::(.+)$/.exec(resource);
  if (service?.[1]) return service[1];
  const fn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(resource);
  if (fn?.[1]) return `lambda: ${fn[1]}`;
  const activity = /^arn:[^:]+:states:[^:]*:[^:]*:activity:(.+)$/.exec(resource);
  if (activity?.[1]) return `activity: ${activity[1]}`;
  return resource.split(':').pop() ?? resource;
}

function detailOf(type: StateType, def: JsonObject): string | undefined {
  switch (type) {
    case 'Task':
      return typeof def['Resource'] === 'string' ? truncate(resourceLabel(def['Resource']), 36) : undefined;
    case 'Wait': {
      if (def['Seconds'] !== undefined) return typeof def['Seconds'] === 'number' ? `${def['Seconds']} s` : 'Seconds';
      if (typeof def['Timestamp'] === 'string') return truncate(`until ${def['Timestamp']}`, 36);
      if (typeof def['SecondsPath'] === 'string') return truncate(`${def['SecondsPath']} s`, 36);
      if (typeof def['TimestampPath'] === 'string') return truncate(`until ${def['TimestampPath']}`, 36);
      return undefined;
    }
    case 'Fail':
      return typeof def['Error'] === 'string' ? truncate(def['Error'], 36) : undefined;
    case 'Parallel': {
      const n = Array.isArray(def['Branches']) ? def['Branches'].length : 0;
      return `${n} branch${n === 1 ? '' : 'es'}`;
    }
    case 'Map': {
      const proc = def['ItemProcessor'];
      const config = isObject(proc) ? proc['ProcessorConfig'] : undefined;
      return isObject(config) && config['Mode'] === 'DISTRIBUTED' ? 'distributed' : 'inline';
    }
    default:
      return undefined;
  }
}

/** `retry ×3` (AWS's default MaxAttempts is 3; a retrier with MaxAttempts 0 never retries). */
function retryOf(def: JsonObject): string | undefined {
  const retriers = Array.isArray(def['Retry']) ? def['Retry'] : [];
  const attempts = retriers
    .filter(isObject)
    .map((r) => (typeof r['MaxAttempts'] === 'number' ? r['MaxAttempts'] : 3))
    .filter((n) => n > 0);
  return attempts.length ? `retry ×${attempts.join('/')}` : undefined;
}
