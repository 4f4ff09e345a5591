/**
 * A Query API request body (`Action=Publish&Version=2010-03-31&TopicArn=…`) read into the JSON
 * parameters the SNS actions take (the API's member names), as the AWS SDKs and CLI flatten them:
 * - maps as `Name.entry.N.key` / `Name.entry.N.value` (Attributes), or `Name.entry.N.Name` /
 *   `Name.entry.N.Value.<member>` (MessageAttributes: `{DataType, StringValue | BinaryValue}`);
 * - lists as `Name.member.N…` (N from 1);
 * - structures by dotted member names.
 */
import type { Json, JsonObject } from '../../lib/json.js';
import { snsErrors } from './errors.js';

export interface QueryRequest {
  action: string | undefined;
  version: string | undefined;
  params: JsonObject;
}

type Node = { text?: string; children: Map<string, Node> };

export function readQueryForm(body: string): QueryRequest {
  const form = new URLSearchParams(body);
  const root: Node = { children: new Map() };
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of form) {
    if (key === 'Action') action ??= value;
    else if (key === 'Version') version ??= value;
    else insert(root, key, value);
  }
  const params: JsonObject = {};
  for (const [name, node] of root.children) params[name] = valueOf(node, name);
  return { action, version, params };
}

function insert(root: Node, key: string, value: string): void {
  let node = root;
  for (const part of key.split('.')) {
    if (part === '') throw snsErrors.invalidParameter(key);
    let next = node.children.get(part);
    if (!next) {
      next = { children: new Map() };
      node.children.set(part, next);
    }
    node = next;
  }
  // A repeated parameter keeps its first value, as URLSearchParams.get would.
  node.text ??= value;
}

function valueOf(node: Node, path: string): Json {
  if (node.text !== undefined) {
    if (node.children.size > 0) throw snsErrors.invalidParameter(path);
    return node.text;
  }
  const only = node.children.size === 1 ? [...node.children.keys()][0] : undefined;
  if (only === 'entry') return mapOf(node.children.get('entry') as Node, `${path}.entry`);
  if (only === 'member') return indexed(node.children.get('member') as Node, `${path}.member`).map(([i, n]) => valueOf(n, `${path}.member.${i}`));
  const out: JsonObject = {};
  for (const [name, child] of node.children) out[name] = valueOf(child, `${path}.${name}`);
  return out;
}

/** `entry.N.key`/`entry.N.value`, or `entry.N.Name`/`entry.N.Value`. */
function mapOf(entries: Node, path: string): JsonObject {
  const out: JsonObject = {};
  for (const [i, entry] of indexed(entries, path)) {
    const key = entry.children.get('key') ?? entry.children.get('Name');
    const value = entry.children.get('value') ?? entry.children.get('Value');
    if (key?.text === undefined) throw snsErrors.invalidParameter(`${path}.${i} Reason: the entry has no key`);
    if (value === undefined) throw snsErrors.invalidParameter(`${path}.${i} Reason: the entry has no value`);
    out[key.text] = valueOf(value, `${path}.${i}.value`);
  }
  return out;
}

/** The numbered children of a list or map, in order; anything but 1, 2, … is refused. */
function indexed(node: Node, path: string): [number, Node][] {
  const items: [number, Node][] = [];
  for (const [k, child] of node.children) {
    if (!/^[1-9]\d{0,5}$/.test(k)) throw snsErrors.invalidParameter(`${path}.${k}`);
    items.push([Number(k), child]);
  }
  return items.sort((a, b) => a[0] - b[0]);
}
