/**
 * The graph of a definition: every state (nested ones included, since names are unique in the
 * whole machine) reachable by name, with its block, its effective query language and its kind.
 * Built once per definition and shared by every execution of it.
 */
import { isObject, type Json, type JsonObject } from '../lib/json.js';
import { compileStateIO, type StateIO } from './state-io.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';
export const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
export type StateType = (typeof STATE_TYPES)[number];

export interface StateNode {
  readonly name: string;
  readonly type: StateType;
  /** The state's definition object, verbatim. */
  readonly def: JsonObject;
  readonly ql: QueryLanguage;
  readonly next: string | undefined;
  readonly end: boolean;
  readonly block: Block;
  /** Parallel branches. */
  readonly branches: Block[] | undefined;
  /** Map ItemProcessor (or legacy Iterator). */
  readonly processor: Block | undefined;
  /** Per-state compiled artefacts (paths, templates), filled lazily by the engine. */
  readonly compiled: Map<string, unknown>;
  /** The JSONPath data-flow fields, compiled on first use. */
  io: StateIO | undefined;
}

export interface Block {
  readonly startAt: string;
  readonly states: Map<string, StateNode>;
  /** Query language that states of this block default to. */
  readonly ql: QueryLanguage;
  /** The state owning this block (Parallel or Map), undefined at the top level. */
  readonly owner: StateNode | undefined;
}

export interface MachineGraph {
  readonly definition: JsonObject;
  readonly root: Block;
  readonly states: Map<string, StateNode>;
  readonly ql: QueryLanguage;
  readonly timeoutSeconds: number | undefined;
}

export class DefinitionShapeError extends Error {}

export function buildGraph(definition: JsonObject): MachineGraph {
  const ql: QueryLanguage = definition['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath';
  const all = new Map<string, StateNode>();
  const root = buildBlock(definition, ql, ql, undefined, all);
  const t = definition['TimeoutSeconds'];
  return { definition, root, states: all, ql, timeoutSeconds: typeof t === 'number' ? t : undefined };
}

function buildBlock(
  raw: JsonObject,
  blockQl: QueryLanguage,
  machineQl: QueryLanguage,
  owner: StateNode | undefined,
  all: Map<string, StateNode>,
): Block {
  const statesRaw = raw['States'];
  const startAt = raw['StartAt'];
  if (!isObject(statesRaw) || typeof startAt !== 'string') throw new DefinitionShapeError('a block needs StartAt and States');
  const states = new Map<string, StateNode>();
  const block: Block = { startAt, states, ql: blockQl, owner };
  for (const [name, value] of Object.entries(statesRaw)) {
    if (!isObject(value)) throw new DefinitionShapeError(`state ${name} is not an object`);
    const type = value['Type'];
    if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
      throw new DefinitionShapeError(`state ${name} has an unknown Type`);
    }
    const ownQl = value['QueryLanguage'];
    const stateQl: QueryLanguage = ownQl === 'JSONata' ? 'JSONata' : ownQl === 'JSONPath' ? 'JSONPath' : blockQl;
    const node: StateNode = {
      name,
      type: type as StateType,
      def: value,
      ql: stateQl,
      next: typeof value['Next'] === 'string' ? value['Next'] : undefined,
      end: value['End'] === true,
      block,
      branches: undefined,
      processor: undefined,
      compiled: new Map(),
      io: undefined,
    };
    // Inner blocks default to the machine's language, not the owning state's.
    if (type === 'Parallel' && Array.isArray(value['Branches'])) {
      (node as { branches: Block[] }).branches = (value['Branches'] as Json[]).map((b) => {
        if (!isObject(b)) throw new DefinitionShapeError(`a branch of ${name} is not an object`);
        return buildBlock(b, machineQl, machineQl, node, all);
      });
    }
    if (type === 'Map') {
      const proc = value['ItemProcessor'] ?? value['Iterator'];
      if (isObject(proc)) (node as { processor: Block }).processor = buildBlock(proc, machineQl, machineQl, node, all);
    }
    states.set(name, node);
    all.set(name, node);
  }
  return block;
}

/** Memoise a compiled artefact on a state node. */
export function memo<T>(node: StateNode, key: string, make: () => T): T {
  let v = node.compiled.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    node.compiled.set(key, v);
  }
  return v;
}

/** The state's compiled JSONPath data-flow fields. */
export function stateIO(node: StateNode): StateIO {
  return (node.io ??= compileStateIO(node.def));
}
