/**
 * State machine versions and aliases (PublishStateMachineVersion, ListStateMachineVersions,
 * DeleteStateMachineVersion, Create/Describe/Update/Delete/ListStateMachineAlias) on the Store's
 * resource records:
 * - kind `stateMachineVersion`, arn `<machineArn>:<n>`: an immutable copy of the machine at
 *   publish time. Numbers come from the machine's `nextVersion` and are never reused.
 * - kind `stateMachineAlias`, arn `<machineArn>:<aliasName>`: routes to one or two versions of
 *   the same machine by weight.
 * Dates are epoch ms.
 */
import type { Clock } from '../engine/clock.js';
import type { ResourceRecord, Store } from '../engine/store.js';
import type { Json } from '../lib/json.js';
import { parseStateMachineArn, stateMachineArn } from './arns.js';
import { ServiceError } from './errors.js';
import type { ServiceLimits } from './limits.js';
import { decodeToken, encodeToken, pageSize } from './page-token.js';
import type { LoggingConfiguration, StateMachine, StateMachineDoc, StateMachineType, TracingConfiguration } from './state-machines.js';
import { ServiceErrorWithMembers } from './tags.js';
import {
  aliasNotFound,
  checkAliasName,
  checkDescription,
  machineOf,
  parseAliasArn,
  parseVersionArn,
  pickByWeight,
  routingError,
  sameRouting,
  unqualified,
  versionNumber,
  type RoutingConfigurationItem,
} from './version-rules.js';

export type { RoutingConfigurationItem };

export const STATE_MACHINE_VERSION = 'stateMachineVersion';
export const STATE_MACHINE_ALIAS = 'stateMachineAlias';
/** The kind of the machine records (src/service/state-machines.ts), without importing it at run time. */
const MACHINE_KIND = 'stateMachine';
/** Enough for every version or alias of one machine (AWS allows 1000 versions). */
const LIST_ALL = 100_000;

/** What a version record's document holds. */
export interface VersionDoc {
  definition: string;
  roleArn: string;
  type: StateMachineType;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  revisionId: string;
  description?: string;
}

export interface StateMachineVersion extends StateMachine {
  description?: string;
}


/** What an alias record's document holds. */
export interface AliasDoc {
  description?: string;
  routingConfiguration: RoutingConfigurationItem[];
  /** Epoch ms. */
  creationDate: number;
  updateDate: number;
}

export interface StateMachineAlias extends AliasDoc {
  stateMachineAliasArn: string;
  name: string;
}

export interface ExecutionQualifier {
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
}

/** What a (possibly qualified) state machine ARN runs. */
export interface ResolvedMachine extends ExecutionQualifier {
  /** The unqualified machine ARN. */
  stateMachineArn: string;
  definition: string;
  type: StateMachineType;
  roleArn: string;
}

export interface VersionServiceOptions {
  store: Store;
  clock: Clock;
  region: string;
  account: string;
  limits: ServiceLimits;
}

export class VersionService {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly opts: VersionServiceOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.region = opts.region;
    this.account = opts.account;
  }

  /**
   * Publish the machine's current revision as a new version; when the latest version already is
   * that revision, it is returned (as AWS does).
   */
  async publish(req: { stateMachineArn: string; revisionId?: string; description?: string }): Promise<{ stateMachineVersionArn: string; creationDate: number }> {
    checkDescription('description', req.description);
    const machineArn = unqualified(req.stateMachineArn, 'PublishStateMachineVersion');
    for (let attempt = 0; ; attempt++) {
      const rec = await this.store.getResource(MACHINE_KIND, machineArn);
      if (!rec) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
      const doc = rec.doc as unknown as StateMachineDoc;
      if (req.revisionId !== undefined && req.revisionId !== doc.revisionId) {
        throw new ServiceError('ConflictException', `Failed to publish the State Machine version for revision ${req.revisionId}. The current State Machine revision is ${doc.revisionId}.`);
      }
      const n = doc.nextVersion ?? 1;
      if (n > 1) {
        const latest = await this.store.getResource(STATE_MACHINE_VERSION, `${machineArn}:${n - 1}`);
        if (latest && versionDocOf(latest).revisionId === doc.revisionId) {
          return { stateMachineVersionArn: latest.arn, creationDate: latest.createdAt };
        }
      }
      const max = this.opts.limits.versionsPerStateMachine;
      if ((await this.store.countResources(STATE_MACHINE_VERSION, { arnPrefix: `${machineArn}:`, limit: max })) >= max) {
        throw new ServiceError('ServiceQuotaExceededException', `The maximum number of versions (${max}) of state machine '${machineArn}' has been reached. Delete versions before publishing a new one.`);
      }
      const now = this.clock.now();
      const next: StateMachineDoc = { ...doc, nextVersion: n + 1 };
      if (await this.store.updateResource(MACHINE_KIND, machineArn, next as unknown as Json, rec.revision, now)) {
        const version: VersionDoc = {
          definition: doc.definition,
          roleArn: doc.roleArn,
          type: doc.type,
          loggingConfiguration: doc.loggingConfiguration,
          tracingConfiguration: doc.tracingConfiguration,
          revisionId: doc.revisionId,
          ...(req.description !== undefined ? { description: req.description } : {}),
        };
        const arn = `${machineArn}:${n}`;
        await this.store.createResource(STATE_MACHINE_VERSION, arn, `${rec.name}:${n}`, version as unknown as Json, now);
        return { stateMachineVersionArn: arn, creationDate: now };
      }
      if (attempt >= 4) throw new ServiceError('ConflictException', `State machine '${machineArn}' is being updated concurrently; try again.`);
    }
  }

  async describeVersion(versionArn: string): Promise<StateMachineVersion> {
    const { name } = parseVersionArn(versionArn);
    const rec = await this.store.getResource(STATE_MACHINE_VERSION, versionArn);
    if (!rec) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${versionArn}'`);
    return toVersion(rec, name);
  }

  /** Newest first. */
  async listVersions(req: { stateMachineArn: string; maxResults?: number; nextToken?: string }): Promise<{ versions: { stateMachineVersionArn: string; creationDate: number }[]; nextToken?: string }> {
    const machineArn = unqualified(req.stateMachineArn, 'ListStateMachineVersions');
    const limit = pageSize(req.maxResults);
    const now = this.clock.now();
    const scope = `ListStateMachineVersions|${machineArn}`;
    let below = Number.POSITIVE_INFINITY;
    if (req.nextToken !== undefined) {
      const cursor = decodeToken(req.nextToken, scope, now);
      if (typeof cursor !== 'number') throw new ServiceError('InvalidToken', `Invalid Token: '${req.nextToken}'`);
      below = cursor;
    }
    const all = (await this.listAll(STATE_MACHINE_VERSION, machineArn))
      .map((rec) => ({ rec, n: versionNumber(rec.arn) }))
      .filter((v) => v.n < below)
      .sort((a, b) => b.n - a.n);
    const page = all.slice(0, limit);
    const out: { versions: { stateMachineVersionArn: string; creationDate: number }[]; nextToken?: string } = {
      versions: page.map((v) => ({ stateMachineVersionArn: v.rec.arn, creationDate: v.rec.createdAt })),
    };
    if (all.length > limit) out.nextToken = encodeToken(scope, page[page.length - 1]?.n, now);
    return out;
  }

  /** Deleting a version that does not exist succeeds; one an alias routes to is a ConflictException. */
  async deleteVersion(versionArn: string): Promise<void> {
    parseVersionArn(versionArn);
    const machineArn = machineOf(versionArn);
    for (const alias of await this.listAll(STATE_MACHINE_ALIAS, machineArn)) {
      if (aliasDocOf(alias).routingConfiguration.some((r) => r.stateMachineVersionArn === versionArn)) {
        throw new ServiceError('ConflictException', `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${alias.arn}]`);
      }
    }
    await this.store.deleteResource(STATE_MACHINE_VERSION, versionArn);
  }

  async createAlias(req: { name: string; description?: string; routingConfiguration: RoutingConfigurationItem[] }): Promise<{ stateMachineAliasArn: string; creationDate: number }> {
    checkAliasName(req.name);
    checkDescription('description', req.description);
    const machineArn = await this.checkRouting(req.routingConfiguration);
    const arn = `${machineArn}:${req.name}`;
    const now = this.clock.now();
    const doc: AliasDoc = {
      ...(req.description !== undefined ? { description: req.description } : {}),
      routingConfiguration: req.routingConfiguration.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn, weight: r.weight })),
      creationDate: now,
      updateDate: now,
    };
    const max = this.opts.limits.aliasesPerStateMachine;
    if ((await this.store.countResources(STATE_MACHINE_ALIAS, { arnPrefix: `${machineArn}:`, limit: max })) >= max && !(await this.store.getResource(STATE_MACHINE_ALIAS, arn))) {
      throw new ServiceError('ServiceQuotaExceededException', `The maximum number of aliases (${max}) of state machine '${machineArn}' has been reached.`);
    }
    if (await this.store.createResource(STATE_MACHINE_ALIAS, arn, req.name, doc as unknown as Json, now)) {
      return { stateMachineAliasArn: arn, creationDate: now };
    }
    const existing = await this.store.getResource(STATE_MACHINE_ALIAS, arn);
    if (existing) {
      const old = aliasDocOf(existing);
      if (old.description === doc.description && sameRouting(old.routingConfiguration, doc.routingConfiguration)) {
        return { stateMachineAliasArn: arn, creationDate: old.creationDate };
      }
    }
    throw new ServiceError('ConflictException', `Failed to create alias because an alias with the same name and a different routing configuration already exists: '${arn}'`);
  }

  async describeAlias(aliasArn: string): Promise<StateMachineAlias> {
    return toAlias(await this.getAlias(aliasArn));
  }

  async updateAlias(req: { stateMachineAliasArn: string; description?: string; routingConfiguration?: RoutingConfigurationItem[] }): Promise<{ updateDate: number }> {
    if (req.description === undefined && req.routingConfiguration === undefined) {
      throw new ServiceError('ValidationException', 'Either the description or the routingConfiguration must be specified.');
    }
    checkDescription('description', req.description);
    parseAliasArn(req.stateMachineAliasArn);
    if (req.routingConfiguration !== undefined) {
      const machineArn = await this.checkRouting(req.routingConfiguration);
      if (machineArn !== machineOf(req.stateMachineAliasArn)) {
        throw routingError('Routing configuration must only reference versions of the state machine the alias belongs to.');
      }
    }
    for (let attempt = 0; ; attempt++) {
      const rec = await this.getAlias(req.stateMachineAliasArn);
      const old = aliasDocOf(rec);
      const now = this.clock.now();
      const doc: AliasDoc = {
        ...old,
        ...(req.description !== undefined ? { description: req.description } : {}),
        ...(req.routingConfiguration !== undefined
          ? { routingConfiguration: req.routingConfiguration.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn, weight: r.weight })) }
          : {}),
        updateDate: now,
      };
      if (await this.store.updateResource(STATE_MACHINE_ALIAS, rec.arn, doc as unknown as Json, rec.revision, now)) return { updateDate: now };
      if (attempt >= 4) throw new ServiceError('ConflictException', `Alias '${rec.arn}' is being updated concurrently; try again.`);
    }
  }

  async deleteAlias(aliasArn: string): Promise<void> {
    parseAliasArn(aliasArn);
    if (!(await this.store.deleteResource(STATE_MACHINE_ALIAS, aliasArn))) throw aliasNotFound(aliasArn);
  }

  /** By ARN ascending. */
  async listAliases(req: { stateMachineArn: string; maxResults?: number; nextToken?: string }): Promise<{ aliases: { stateMachineAliasArn: string; creationDate: number }[]; nextToken?: string }> {
    const machineArn = unqualified(req.stateMachineArn, 'ListStateMachineAliases');
    if (!(await this.store.getResource(MACHINE_KIND, machineArn))) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machineArn}'`);
    const limit = pageSize(req.maxResults);
    const now = this.clock.now();
    const scope = `ListStateMachineAliases|${machineArn}`;
    let afterArn: string | undefined;
    if (req.nextToken !== undefined) {
      const cursor = decodeToken(req.nextToken, scope, now);
      if (typeof cursor !== 'string') throw new ServiceError('InvalidToken', `Invalid Token: '${req.nextToken}'`);
      afterArn = cursor;
    }
    const recs = await this.store.listResources(STATE_MACHINE_ALIAS, { arnPrefix: `${machineArn}:`, ...(afterArn !== undefined ? { afterArn } : {}), limit: limit + 1 });
    const page = recs.slice(0, limit);
    const out: { aliases: { stateMachineAliasArn: string; creationDate: number }[]; nextToken?: string } = {
      aliases: page.map((r) => ({ stateMachineAliasArn: r.arn, creationDate: aliasDocOf(r).creationDate })),
    };
    if (recs.length > limit) out.nextToken = encodeToken(scope, page[page.length - 1]?.arn, now);
    return out;
  }

  /**
   * What a machine, version or alias ARN runs. An alias picks one of its versions by weight.
   * `describeMachine` reads an unqualified machine (StateMachineDoesNotExist when missing).
   */
  async resolve(arn: string, describeMachine: (arn: string) => Promise<StateMachine>, random: () => number = Math.random): Promise<ResolvedMachine> {
    const { name, qualifier } = parseStateMachineArn(arn);
    const machineArn = stateMachineArn(this.region, this.account, name);
    if (qualifier === undefined) {
      const m = await describeMachine(arn);
      return { stateMachineArn: m.stateMachineArn, definition: m.definition, type: m.type, roleArn: m.roleArn };
    }
    let versionArn = arn;
    let aliasArn: string | undefined;
    if (!/^\d+$/.test(qualifier)) {
      const alias = aliasDocOf(await this.getAlias(arn));
      aliasArn = arn;
      versionArn = pickByWeight(alias.routingConfiguration, random);
    }
    const rec = await this.store.getResource(STATE_MACHINE_VERSION, versionArn);
    if (!rec) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${versionArn}'`);
    const v = versionDocOf(rec);
    return {
      stateMachineArn: machineArn,
      definition: v.definition,
      type: v.type,
      roleArn: v.roleArn,
      stateMachineVersionArn: versionArn,
      ...(aliasArn !== undefined ? { stateMachineAliasArn: aliasArn } : {}),
    };
  }


  /** DeleteStateMachine: its versions and aliases go with it. */
  async deleteAllOf(machineArn: string): Promise<void> {
    for (const kind of [STATE_MACHINE_ALIAS, STATE_MACHINE_VERSION]) {
      for (const rec of await this.listAll(kind, machineArn)) await this.store.deleteResource(kind, rec.arn);
    }
  }

  /** Checks a routing configuration; answers the machine its versions belong to. */
  private async checkRouting(routing: RoutingConfigurationItem[] | undefined): Promise<string> {
    if (!Array.isArray(routing) || routing.length < 1 || routing.length > 2) {
      throw routingError('Routing configuration must contain one or two versions.');
    }
    let machineArn: string | undefined;
    let sum = 0;
    for (const item of routing) {
      const versionArn = (item as Partial<RoutingConfigurationItem> | null)?.stateMachineVersionArn;
      const weight = (item as Partial<RoutingConfigurationItem> | null)?.weight;
      if (typeof versionArn !== 'string') throw routingError('Each routing configuration item needs a stateMachineVersionArn.');
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) {
        throw routingError('Each routing configuration weight must be an integer from 0 to 100.');
      }
      const { qualifier } = parseStateMachineArn(versionArn);
      if (qualifier === undefined || !/^\d+$/.test(qualifier)) throw routingError(`Routing configuration must reference state machine versions: '${versionArn}'`);
      const owner = machineOf(versionArn);
      if (machineArn !== undefined && owner !== machineArn) throw routingError('Routing configuration must reference versions of the same state machine.');
      machineArn = owner;
      sum += weight;
    }
    if (routing.length === 2 && routing[0]?.stateMachineVersionArn === routing[1]?.stateMachineVersionArn) {
      throw routingError('Routing configuration must not reference the same version twice.');
    }
    if (sum !== 100) throw routingError(`Routing configuration weights must sum to 100 (they sum to ${sum}).`);
    for (const item of routing) {
      if (!(await this.store.getResource(STATE_MACHINE_VERSION, item.stateMachineVersionArn))) {
        throw new ServiceErrorWithMembers('ResourceNotFound', `Resource not found: '${item.stateMachineVersionArn}'`, { resourceName: item.stateMachineVersionArn });
      }
    }
    return machineArn as string;
  }

  private async getAlias(aliasArn: string): Promise<ResourceRecord> {
    parseAliasArn(aliasArn);
    const rec = await this.store.getResource(STATE_MACHINE_ALIAS, aliasArn);
    if (!rec) throw aliasNotFound(aliasArn);
    return rec;
  }

  private async listAll(kind: string, machineArn: string): Promise<ResourceRecord[]> {
    return this.store.listResources(kind, { arnPrefix: `${machineArn}:`, limit: LIST_ALL });
  }
}

function versionDocOf(rec: ResourceRecord): VersionDoc {
  return rec.doc as unknown as VersionDoc;
}

function aliasDocOf(rec: ResourceRecord): AliasDoc {
  return rec.doc as unknown as AliasDoc;
}

function toVersion(rec: ResourceRecord, machineName: string): StateMachineVersion {
  const doc = versionDocOf(rec);
  return {
    ...doc,
    tags: [],
    stateMachineArn: rec.arn,
    name: machineName,
    status: 'ACTIVE',
    creationDate: rec.createdAt,
    updateDate: rec.createdAt,
  };
}

function toAlias(rec: ResourceRecord): StateMachineAlias {
  const doc = aliasDocOf(rec);
  return { ...doc, stateMachineAliasArn: rec.arn, name: rec.name };
}
