/**
 * The `roles` section: IAM roles by name (`arn:aws:iam::<account>:role/<name>`), each with the
 * identity-based policy documents it grants, written as YAML or pasted as JSON. A document IAM
 * would refuse (or that uses what Stepwise does not evaluate) is refused at its line.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { policyProblem, type PolicyPath } from '../lib/iam-policy.js';
import type { Json } from '../lib/json.js';
import type { RoleConfig } from './types.js';
import { entries, fail, isEmpty, list, type Source, type YamlNode } from './yaml-nodes.js';

const ROLE_KEYS = ['policy', 'policies'] as const;
/** IAM's role names: 1 to 64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function readRoles(src: Source, node: YamlNode): RoleConfig[] {
  const out: RoleConfig[] = [];
  for (const [name, { key, value }] of entries(src, node, 'roles')) {
    const path = `roles.${name}`;
    if (!ROLE_NAME.test(name)) fail(src, key, `role name '${name}' must be 1 to 64 letters, digits or +=,.@_- (as IAM's)`);
    const fields = entries(src, value, path, ROLE_KEYS);
    const single = fields.get('policy');
    const many = fields.get('policies');
    const nodes: { node: YamlNode; path: string }[] = [];
    if (single) nodes.push({ node: single.value, path: `${path}.policy` });
    if (many) nodes.push(...list(src, many.value, `${path}.policies`).map((n, i) => ({ node: n, path: `${path}.policies[${i}]` })));
    if (nodes.length === 0) fail(src, key, `${path} needs a policy (a policy document) or policies (a list of them); a role without policies may do nothing`);
    out.push({ name, policies: nodes.map((p) => readPolicy(src, p.node, p.path)) });
  }
  return out;
}

function readPolicy(src: Source, node: YamlNode, path: string): Json {
  if (!isMap(node)) fail(src, node, `${path} must be a policy document (a map with Version and Statement)`);
  const doc = toJson(src, node, path);
  const problem = policyProblem(doc);
  if (problem) {
    const where = nodeAt(src, node, problem.path, problem.key === true);
    fail(src, where, `${path}${problem.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${problem.message}`);
  }
  return doc;
}

/** A YAML value as JSON: maps, lists, strings, numbers, booleans (nulls and aliases refused). */
function toJson(src: Source, node: YamlNode, path: string): Json {
  if (isMap(node)) {
    const out: { [key: string]: Json } = {};
    for (const [k, { value }] of entries(src, node, path)) out[k] = toJson(src, value, `${path}.${k}`);
    return out;
  }
  if (isSeq(node)) return list(src, node, path).map((item, i) => toJson(src, item, `${path}[${i}]`));
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (isEmpty(node)) fail(src, node, `${path} has no value`);
  fail(src, node, `${path} must be a string, a number, true or false, a list or a map`);
}

/** The node a problem's path points at (the key itself for an unknown key), for its line. */
function nodeAt(src: Source, root: YamlNode, path: PolicyPath, wantKey: boolean): YamlNode {
  let node = root;
  for (const [i, seg] of path.entries()) {
    const last = i === path.length - 1;
    if (typeof seg === 'number') {
      if (!isSeq(node)) return node;
      node = node.items[seg] as YamlNode;
      continue;
    }
    if (!isMap(node)) return node;
    const entry = entries(src, node, '').get(seg);
    if (!entry) return node;
    node = last && wantKey ? entry.key : (entry.value ?? entry.key);
  }
  return node;
}
