/**
 * Tags of Step Functions resources (TagResource, UntagResource, ListTagsForResource), addressed
 * by resource ARN: the ARN's resource type (`stateMachine`, `activity`) is the Store's resource
 * kind, and the tags live in the resource document's `tags` member. A kind with no records yet
 * (activities, until they exist) answers ResourceNotFound like any unknown ARN.
 *
 * AWS's rules: at most 50 tags per resource, keys 1-128 characters, values 0-256, keys may not
 * start with `aws:` (any case); tagging an existing key overwrites its value; untagging a key
 * that is not there is not an error. Tagging changes neither the resource's revisionId nor its
 * updateDate.
 */
import { isObject, type Json } from '../lib/json.js';
import type { Store } from '../engine/store.js';
import { parseStateMachineArn, parseStatesArn } from './arns.js';
import { ServiceError } from './errors.js';

export interface Tag {
  key?: string;
  value?: string;
}

export const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;
const TAGGABLE = ['stateMachine', 'activity'] as const;

/** A service error with members besides `message` (TooManyTags names its resource). */
export class ServiceErrorWithMembers extends ServiceError {
  constructor(
    code: string,
    message: string,
    readonly members: Readonly<Record<string, string>>,
  ) {
    super(code, message);
  }
}

function constraint(value: string | undefined, at: string, rule: string): ServiceError {
  const shown = value === undefined ? 'null' : `'${value}'`;
  return new ServiceError('ValidationException', `1 validation error detected: Value ${shown} at '${at}' failed to satisfy constraint: ${rule}`);
}

function checkKey(key: unknown, at: string): string {
  if (key !== undefined && key !== null && typeof key !== 'string') throw constraint(String(key), at, 'Member must be a string');
  const k = typeof key === 'string' ? key : undefined;
  if (k === undefined || k.length < 1) throw constraint(k, at, 'Member must have length greater than or equal to 1');
  if (k.length > MAX_KEY) throw constraint(k, at, `Member must have length less than or equal to ${MAX_KEY}`);
  return k;
}

function tooMany(resourceArn: string): ServiceError {
  return new ServiceErrorWithMembers('TooManyTags', `Too many tags: '${resourceArn}' may have at most ${MAX_TAGS} tags.`, { resourceName: resourceArn });
}

/**
 * `current` with `added` applied (a key given again overwrites its value, in its old place), every
 * added tag checked. Throws TooManyTags when the result has more than 50 tags.
 */
export function mergeTags(current: readonly Tag[], added: readonly Tag[], resourceArn: string): Tag[] {
  const byKey = new Map<string, string>();
  for (const t of current) if (t.key !== undefined) byKey.set(t.key, t.value ?? '');
  added.forEach((tag, i) => {
    // Checked as it came off the wire: the request body is not typed.
    const t = tag as unknown as { key?: unknown; value?: unknown } | null;
    if (typeof t !== 'object' || t === null) throw constraint(String(t), `tags.${i + 1}.member`, 'Member must be a structure');
    const key = checkKey(t.key, `tags.${i + 1}.member.key`);
    if (t.value !== undefined && t.value !== null && typeof t.value !== 'string') throw constraint(String(t.value), `tags.${i + 1}.member.value`, 'Member must be a string');
    const value = typeof t.value === 'string' ? t.value : '';
    if (value.length > MAX_VALUE) throw constraint(value, `tags.${i + 1}.member.value`, `Member must have length less than or equal to ${MAX_VALUE}`);
    if (key.toLowerCase().startsWith('aws:')) {
      throw new ServiceError('ValidationException', `Invalid tag key '${key}': keys beginning with 'aws:' are reserved for AWS use.`);
    }
    byKey.set(key, value);
  });
  if (byKey.size > MAX_TAGS) throw tooMany(resourceArn);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** The kind of resource an ARN names; InvalidArn when it is not a taggable Step Functions ARN. */
function kindOf(resourceArn: string): string {
  const p = parseStatesArn(resourceArn, TAGGABLE);
  if (p.resourceType === 'stateMachine') parseStateMachineArn(resourceArn);
  else if (p.rest.length !== 1) throw new ServiceError('InvalidArn', `Invalid Arn: 'Invalid Arn: ${resourceArn}'`);
  return p.resourceType;
}

function tagsOf(doc: Json): Tag[] {
  const tags = (doc as { tags?: Tag[] } | null)?.tags;
  return Array.isArray(tags) ? tags : [];
}

export class TagService {
  private readonly store: Store;

  constructor(opts: { store: Store }) {
    this.store = opts.store;
  }

  async list(resourceArn: string): Promise<Tag[]> {
    const kind = kindOf(resourceArn);
    const rec = await this.store.getResource(kind, resourceArn);
    if (!rec) throw notFound(resourceArn);
    return tagsOf(rec.doc).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
  }

  async tag(resourceArn: string, tags: readonly Tag[]): Promise<void> {
    await this.change(resourceArn, (current) => mergeTags(current, tags, resourceArn));
  }

  async untag(resourceArn: string, tagKeys: readonly string[]): Promise<void> {
    const gone = new Set(tagKeys.map((k, i) => checkKey(k, `tagKeys.${i + 1}.member`)));
    await this.change(resourceArn, (current) => current.filter((t) => t.key === undefined || !gone.has(t.key)));
  }

  /** Read, change the tags, write back if the revision has not moved; read again when it has. */
  private async change(resourceArn: string, apply: (current: Tag[]) => Tag[]): Promise<void> {
    const kind = kindOf(resourceArn);
    for (let attempt = 0; ; attempt++) {
      const rec = await this.store.getResource(kind, resourceArn);
      if (!rec) throw notFound(resourceArn);
      const doc = { ...(isObject(rec.doc) ? rec.doc : {}), tags: apply(tagsOf(rec.doc)) as unknown as Json };
      // The record's own updatedAt: tags are not part of what DescribeStateMachine's updateDate tracks.
      if (await this.store.updateResource(kind, rec.arn, doc, rec.revision, rec.updatedAt)) return;
      if (attempt >= 4) throw new ServiceError('ConflictException', `Resource '${resourceArn}' is being updated concurrently; try again.`);
    }
  }
}

function notFound(resourceArn: string): ServiceError {
  return new ServiceErrorWithMembers('ResourceNotFound', `Resource not found: '${resourceArn}'`, { resourceName: resourceArn });
}
