/**
 * Typed reads of a YAML syntax tree (eemeli/yaml's nodes), each failing with the node's line and
 * column. Reads are driven by the schema, so they never walk further than the schema goes.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Scalar } from 'yaml';
import { ConfigError } from './errors.js';

export interface Source {
  /** The file name as the user gave it, for messages. */
  file: string;
  lines: LineCounter;
}

/** Anything a pair's key or value can hold; null when the pair has no value at all (`? key`). */
export type YamlNode = Node | null | undefined;

export function locate(src: Source, offset: number | undefined): string {
  if (offset === undefined) return src.file;
  const { line, col } = src.lines.linePos(offset);
  return `${src.file}:${line}:${col}`;
}

export function fail(src: Source, node: YamlNode, reason: string): never {
  throw new ConfigError(`${locate(src, node?.range?.[0])}: ${reason}`);
}

/** What a node holds, for messages; strings are never repeated (they may be secrets). */
function describe(node: YamlNode): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return 'nothing';
    if (typeof v === 'string') return 'a string';
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return 'something else';
}

function plain(src: Source, node: YamlNode): void {
  // An alias could point anywhere in the file (or at itself); spelled-out values are clearer.
  if (isAlias(node)) fail(src, node, `aliases (*${node.source}) are not supported in ${src.file}: write the value out`);
}

export function isEmpty(node: YamlNode): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

export interface Entry {
  key: Scalar;
  value: YamlNode;
}

/**
 * The entries of a mapping, keyed by name. `known` lists the keys allowed (any key when omitted);
 * an empty value (`server:`) reads as an empty mapping.
 */
export function entries(src: Source, node: YamlNode, path: string, known?: readonly string[]): Map<string, Entry> {
  plain(src, node);
  const out = new Map<string, Entry>();
  if (isEmpty(node)) return out;
  if (!isMap(node)) fail(src, node, `${path} must be a map, got ${describe(node)}`);
  for (const pair of node.items) {
    const key = pair.key as YamlNode;
    plain(src, key);
    if (!isScalar(key) || typeof key.value !== 'string') fail(src, key, `${path}: keys must be names, got ${describe(key)}`);
    const name = key.value;
    if (known && !known.includes(name)) fail(src, key, `unknown key '${name}' in ${path} (expected ${known.map((k) => `'${k}'`).join(', ')})`);
    out.set(name, { key, value: pair.value as YamlNode });
  }
  return out;
}

export function str(src: Source, node: YamlNode, path: string): string {
  plain(src, node);
  if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') fail(src, node, `${path} must be a non-empty string, got ${describe(node)}`);
  return node.value;
}

export function int(src: Source, node: YamlNode, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  plain(src, node);
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? (min === 1 ? 'a positive integer' : `an integer of at least ${min}`) : `an integer from ${min} to ${max}`;
    fail(src, node, `${path} must be ${range}, got ${describe(node)}`);
  }
  return v;
}

export function bool(src: Source, node: YamlNode, path: string): boolean {
  plain(src, node);
  if (!isScalar(node) || typeof node.value !== 'boolean') fail(src, node, `${path} must be true or false, got ${describe(node)}`);
  return node.value;
}

export function list(src: Source, node: YamlNode, path: string): YamlNode[] {
  plain(src, node);
  if (isEmpty(node)) return [];
  if (!isSeq(node)) fail(src, node, `${path} must be a list, got ${describe(node)}`);
  return node.items as YamlNode[];
}
