/**
 * State machine use cases (CreateStateMachine, DescribeStateMachine, UpdateStateMachine,
 * DeleteStateMachine, ListStateMachines, ValidateStateMachineDefinition) on the Store's resource
 * records of kind `stateMachine`. Errors carry AWS's names; dates are epoch ms.
 *
 * Executions copy the definition they run when they start, so updating or deleting a machine
 * never changes a running execution.
 */
import { randomUUID } from 'node:crypto';
import type { Json } from '../lib/json.js';
import { invalidDefinitionMessage, validateDefinition, type Diagnostic } from '../asl/validate.js';
import type { Clock } from '../engine/clock.js';
import type { ResourceRecord, Store } from '../engine/store.js';
import { checkRoleArn, parseStateMachineArn, stateMachineArn } from './arns.js';
import { ServiceError } from './errors.js';
import { DEFAULT_LIMITS, type ServiceLimits } from './limits.js';
import { nameProblem } from './names.js';
import { decodeToken, encodeToken, pageSize } from './page-token.js';
import { mergeTags, TagService, type Tag } from './tags.js';
import { VersionService, type StateMachineVersion } from './versions.js';

export const STATE_MACHINE = 'stateMachine';
const DEFINITION_LIMIT_BYTES = 1024 * 1024;

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface LoggingConfiguration {
  level: LogLevel;
  includeExecutionData: boolean;
  destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[];
}

export interface TracingConfiguration {
  enabled: boolean;
}

export type { Tag } from './tags.js';

/** What a state machine resource record's document holds. */
export interface StateMachineDoc {
  definition: string;
  roleArn: string;
  type: StateMachineType;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  revisionId: string;
  tags: Tag[];
  /** The number the next published version gets (versions are numbered from 1, never reused). */
  nextVersion?: number;
}

export interface StateMachine extends StateMachineDoc {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE';
  /** Epoch ms. */
  creationDate: number;
  /** Epoch ms of the last update (the creation date until then). */
  updateDate: number;
}

export interface CreateStateMachineRequest {
  name: string;
  definition: string;
  roleArn: string;
  type?: string;
  loggingConfiguration?: Partial<LoggingConfiguration>;
  tracingConfiguration?: Partial<TracingConfiguration>;
  tags?: Tag[];
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: { type?: string; kmsKeyId?: string };
}

export interface UpdateStateMachineRequest {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: Partial<LoggingConfiguration>;
  tracingConfiguration?: Partial<TracingConfiguration>;
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: { type?: string; kmsKeyId?: string };
}

export interface ValidateDefinitionRequest {
  definition: string;
  type?: string;
  severity?: string;
  maxResults?: number;
}

export interface ValidateDefinitionResult {
  result: 'OK' | 'FAIL';
  diagnostics: Diagnostic[];
  truncated: boolean;
}

export interface StateMachineServiceOptions {
  store: Store;
  clock: Clock;
  region?: string;
  account?: string;
  /** Quotas (state machines, versions and aliases per machine); AWS's defaults when absent. */
  limits?: ServiceLimits;
}

export class StateMachineService {
  private readonly store: Store;
  private readonly clock: Clock;
  readonly region: string;
  readonly account: string;
  /** TagResource, UntagResource, ListTagsForResource (by resource ARN, on the same store). */
  readonly tags: TagService;
  /** Versions and aliases of these machines. */
  readonly versions: VersionService;

  private readonly limits: ServiceLimits;

  constructor(opts: StateMachineServiceOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.region = opts.region ?? 'us-east-1';
    this.account = opts.account ?? '123456789012';
    this.tags = new TagService({ store: this.store });
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.versions = new VersionService({ store: this.store, clock: this.clock, region: this.region, account: this.account, limits: this.limits });
  }

  async create(req: CreateStateMachineRequest): Promise<{ stateMachineArn: string; creationDate: number; stateMachineVersionArn?: string }> {
    const type = machineType(req.type);
    const logging = loggingConfiguration(req.loggingConfiguration);
    const problem = nameProblem(req.name);
    if (problem) throw new ServiceError('InvalidName', `Invalid Name: '${req.name}'`);
    if (logging.level !== 'OFF' && !/^[0-9A-Za-z_-]+$/.test(req.name)) {
      throw new ServiceError('InvalidName', `Invalid Name: '${req.name}' (with logging enabled, a name may use only 0-9, A-Z, a-z, - and _)`);
    }
    checkRoleArn(req.roleArn);
    checkDefinition(req.definition, type);
    unsupportedEncryption(req.encryptionConfiguration);
    const arn = stateMachineArn(this.region, this.account, req.name);
    const doc: StateMachineDoc = {
      definition: req.definition,
      roleArn: req.roleArn,
      type,
      loggingConfiguration: logging,
      tracingConfiguration: { enabled: req.tracingConfiguration?.enabled ?? false },
      revisionId: randomUUID(),
      tags: mergeTags([], req.tags ?? [], arn),
    };
    const now = this.clock.now();
    const max = this.limits.stateMachines;
    if ((await this.store.countResources(STATE_MACHINE, { limit: max })) >= max && !(await this.store.getResource(STATE_MACHINE, arn))) {
      throw new ServiceError('StateMachineLimitExceeded', `The maximum number of state machines has been reached (${max}). Existing state machines must be deleted before a new state machine can be created.`);
    }
    if (await this.store.createResource(STATE_MACHINE, arn, req.name, doc as unknown as Json, now)) {
      return { stateMachineArn: arn, creationDate: now, ...(await this.publishIf(req.publish, arn, undefined, req.versionDescription)) };
    }
    // Idempotent when everything that defines the machine is the same (role and tags may differ).
    const existing = await this.store.getResource(STATE_MACHINE, arn);
    if (existing) {
      const old = docOf(existing);
      if (
        old.definition === doc.definition &&
        old.type === doc.type &&
        sameJson(old.loggingConfiguration, doc.loggingConfiguration) &&
        old.tracingConfiguration.enabled === doc.tracingConfiguration.enabled
      ) {
        return { stateMachineArn: arn, creationDate: existing.createdAt, ...(await this.publishIf(req.publish, arn, undefined, req.versionDescription)) };
      }
    }
    throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  }

  /** A machine, or with a version ARN that version. */
  async describe(arn: string): Promise<StateMachine | StateMachineVersion> {
    const { qualifier } = parseStateMachineArn(arn);
    if (qualifier !== undefined && /^\d+$/.test(qualifier)) return this.versions.describeVersion(arn);
    const rec = await this.get(arn);
    return toStateMachine(rec);
  }

  /** The machine if it exists, without throwing (DescribeStateMachineForExecution). */
  async find(arn: string): Promise<StateMachine | undefined> {
    const rec = await this.store.getResource(STATE_MACHINE, arn);
    return rec ? toStateMachine(rec) : undefined;
  }

  async update(req: UpdateStateMachineRequest): Promise<{ updateDate: number; revisionId: string; stateMachineVersionArn?: string }> {
    if (req.definition === undefined && req.roleArn === undefined) {
      throw new ServiceError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified.');
    }
    if (req.roleArn !== undefined) checkRoleArn(req.roleArn);
    unsupportedEncryption(req.encryptionConfiguration);
    for (let attempt = 0; ; attempt++) {
      const rec = await this.get(req.stateMachineArn);
      const old = docOf(rec);
      if (req.definition !== undefined) checkDefinition(req.definition, old.type);
      const doc: StateMachineDoc = {
        ...old,
        definition: req.definition ?? old.definition,
        roleArn: req.roleArn ?? old.roleArn,
        loggingConfiguration: req.loggingConfiguration ? loggingConfiguration(req.loggingConfiguration) : old.loggingConfiguration,
        tracingConfiguration: req.tracingConfiguration ? { enabled: req.tracingConfiguration.enabled ?? false } : old.tracingConfiguration,
        revisionId: randomUUID(),
      };
      const now = this.clock.now();
      if (await this.store.updateResource(STATE_MACHINE, rec.arn, doc as unknown as Json, rec.revision, now)) {
        return { updateDate: now, revisionId: doc.revisionId, ...(await this.publishIf(req.publish, rec.arn, doc.revisionId, req.versionDescription)) };
      }
      // Someone else updated (or deleted) it in between: read again.
      if (attempt >= 4) throw new ServiceError('ConflictException', `State machine '${rec.arn}' is being updated concurrently; try again.`);
    }
  }

  /** Deleting a machine that does not exist succeeds, as on AWS. */
  async delete(arn: string): Promise<void> {
    const { qualifier } = parseStateMachineArn(arn);
    if (qualifier !== undefined) {
      throw new ServiceError('ValidationException', 'Deleting a version or an alias through DeleteStateMachine is not supported; use DeleteStateMachineVersion or DeleteStateMachineAlias.');
    }
    await this.store.deleteResource(STATE_MACHINE, arn);
    await this.versions.deleteAllOf(arn);
  }

  async list(req: { maxResults?: number; nextToken?: string }): Promise<{ stateMachines: StateMachine[]; nextToken?: string }> {
    const limit = pageSize(req.maxResults);
    const now = this.clock.now();
    const scope = 'ListStateMachines';
    let afterArn: string | undefined;
    if (req.nextToken !== undefined) {
      const cursor = decodeToken(req.nextToken, scope, now);
      if (typeof cursor !== 'string') throw new ServiceError('InvalidToken', `Invalid Token: '${req.nextToken}'`);
      afterArn = cursor;
    }
    const arnPrefix = stateMachineArn(this.region, this.account, '');
    const recs = await this.store.listResources(STATE_MACHINE, { arnPrefix, ...(afterArn !== undefined ? { afterArn } : {}), limit: limit + 1 });
    const page = recs.slice(0, limit);
    const out: { stateMachines: StateMachine[]; nextToken?: string } = { stateMachines: page.map(toStateMachine) };
    if (recs.length > limit) out.nextToken = encodeToken(scope, page[page.length - 1]?.arn, now);
    return out;
  }

  validate(req: ValidateDefinitionRequest): ValidateDefinitionResult {
    const type = machineType(req.type);
    const severity = req.severity ?? 'ERROR';
    if (severity !== 'ERROR' && severity !== 'WARNING') throw enumError('severity', severity, ['ERROR', 'WARNING']);
    const max = pageSize(req.maxResults, 100, 100);
    const all = validateDefinition(req.definition, { type });
    const shown = severity === 'ERROR' ? all.filter((d) => d.severity === 'ERROR') : all;
    return {
      result: all.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK',
      diagnostics: shown.slice(0, max),
      truncated: shown.length > max,
    };
  }

  private async publishIf(publish: boolean | undefined, arn: string, revisionId: string | undefined, description: string | undefined): Promise<{ stateMachineVersionArn?: string }> {
    if (!publish) return {};
    const v = await this.versions.publish({ stateMachineArn: arn, ...(revisionId !== undefined ? { revisionId } : {}), ...(description !== undefined ? { description } : {}) });
    return { stateMachineVersionArn: v.stateMachineVersionArn };
  }

  private async get(arn: string): Promise<ResourceRecord> {
    parseStateMachineArn(arn);
    const rec = await this.store.getResource(STATE_MACHINE, arn);
    if (!rec) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return rec;
  }
}

function docOf(rec: ResourceRecord): StateMachineDoc {
  return rec.doc as unknown as StateMachineDoc;
}

function toStateMachine(rec: ResourceRecord): StateMachine {
  return { ...docOf(rec), stateMachineArn: rec.arn, name: rec.name, status: 'ACTIVE', creationDate: rec.createdAt, updateDate: rec.updatedAt };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function enumError(member: string, value: string, allowed: readonly string[]): ServiceError {
  return new ServiceError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function machineType(type: string | undefined): StateMachineType {
  if (type === undefined) return 'STANDARD';
  if (type !== 'STANDARD' && type !== 'EXPRESS') throw enumError('type', type, ['STANDARD', 'EXPRESS']);
  return type;
}

function checkDefinition(definition: string, type: StateMachineType): void {
  if (Buffer.byteLength(definition, 'utf8') > DEFINITION_LIMIT_BYTES) {
    throw new ServiceError('InvalidDefinition', `Invalid State Machine Definition: 'The definition exceeds the maximum size of ${DEFINITION_LIMIT_BYTES} bytes'`);
  }
  const diags = validateDefinition(definition, { type });
  if (diags.some((d) => d.severity === 'ERROR')) throw new ServiceError('InvalidDefinition', invalidDefinitionMessage(diags));
}

const LEVELS: readonly LogLevel[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];

/** Normalised (AWS's defaults filled in) and checked as AWS checks it. */
function loggingConfiguration(cfg: Partial<LoggingConfiguration> | undefined): LoggingConfiguration {
  const level = cfg?.level ?? 'OFF';
  if (!LEVELS.includes(level)) throw enumError('loggingConfiguration.level', String(level), LEVELS);
  const out: LoggingConfiguration = { level, includeExecutionData: cfg?.includeExecutionData ?? false };
  const destinations = cfg?.destinations ?? [];
  if (destinations.length > 1) throw new ServiceError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Only one destination is allowed.');
  if (level !== 'OFF' && destinations.length === 0) {
    throw new ServiceError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
  }
  for (const d of destinations) {
    const arn = d.cloudWatchLogsLogGroup?.logGroupArn ?? '';
    if (!/^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:[^:]+:\*$/.test(arn)) {
      throw new ServiceError('InvalidLoggingConfiguration', `Invalid Logging Configuration: Invalid log group ARN '${arn}' (it must end with ':*').`);
    }
  }
  if (destinations.length > 0) out.destinations = destinations;
  return out;
}

function unsupportedEncryption(cfg: { type?: string } | undefined): void {
  if (cfg?.type !== undefined && cfg.type !== 'AWS_OWNED_KEY') {
    throw new ServiceError('InvalidEncryptionConfiguration', 'Stepwise supports only encryptionConfiguration type AWS_OWNED_KEY.');
  }
}
