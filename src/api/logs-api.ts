/**
 * A read-only subset of CloudWatch Logs' API (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.*`) over
 * the execution logs Stepwise keeps: FilterLogEvents (what `aws logs tail` and
 * `stepwise logs tail` call), GetLogEvents, DescribeLogGroups. Writes are Stepwise's own (log
 * groups exist once a state machine logs to them); other operations answer
 * UnknownOperationException.
 */
import type { ExecutionLogs } from '../service/execution-logs.js';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

type Req = Record<string, unknown>;

class LogsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const token = (arn: string) => Buffer.from(arn, 'utf8').toString('base64url');
function untoken(req: Req, member: string): string | undefined {
  const t = req[member];
  if (t === undefined || t === null) return undefined;
  if (typeof t !== 'string') throw new LogsError('InvalidParameterException', `${member} must be a string`);
  return Buffer.from(t, 'base64url').toString('utf8');
}
function num(req: Req, member: string): number | undefined {
  const v = req[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new LogsError('InvalidParameterException', `${member} must be a number`);
  return v;
}
function group(req: Req): string {
  const g = req['logGroupName'] ?? (typeof req['logGroupIdentifier'] === 'string' ? String(req['logGroupIdentifier']).replace(/^arn:.*:log-group:/, '').replace(/:\*$/, '') : undefined);
  if (typeof g !== 'string' || g === '') throw new LogsError('InvalidParameterException', '1 validation error detected: Value null at \'logGroupName\' failed to satisfy constraint: Member must not be null');
  return g;
}
function limitOf(req: Req): number {
  const l = num(req, 'limit') ?? 10_000;
  if (!Number.isInteger(l) || l < 1 || l > 10_000) throw new LogsError('InvalidParameterException', 'limit must be between 1 and 10000');
  return l;
}

export function logsApi(logs: ExecutionLogs, onError: (err: unknown) => void = (e) => console.error('stepwise logs api:', e)): { handle(target: string, body: string): Promise<{ status: number; body: string }> } {
  const ops: Record<string, (req: Req) => Promise<Req>> = {
    async FilterLogEvents(req) {
      const g = group(req);
      if (typeof req['filterPattern'] === 'string' && req['filterPattern'].trim() !== '') {
        throw new LogsError('InvalidParameterException', 'Stepwise does not evaluate filterPattern; leave it out and filter the messages yourself.');
      }
      const streams = Array.isArray(req['logStreamNames']) ? (req['logStreamNames'] as unknown[]).map(String) : undefined;
      const afterArn = untoken(req, 'nextToken');
      const startTime = num(req, 'startTime');
      const endTime = num(req, 'endTime');
      const page = await logs.list({ group: g, limit: limitOf(req), ...(streams && { streams }), ...(afterArn !== undefined && { afterArn }), ...(startTime !== undefined && { startTime }), ...(endTime !== undefined && { endTime }) });
      const events = page.events.map((e) => ({ logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId }));
      // A token whenever something was read, so a follower (aws logs tail --follow) continues from there.
      return { events, searchedLogStreams: [], ...(page.lastArn !== undefined && { nextToken: token(page.lastArn) }) };
    },
    async GetLogEvents(req) {
      const g = group(req);
      const stream = req['logStreamName'];
      if (typeof stream !== 'string') throw new LogsError('InvalidParameterException', "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
      const afterArn = untoken(req, 'nextToken');
      const page = await logs.list({ group: g, streams: [stream], limit: limitOf(req), ...(afterArn !== undefined && { afterArn }) });
      const next = page.lastArn !== undefined ? `f/${token(page.lastArn)}` : undefined;
      return {
        events: page.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        ...(next && { nextForwardToken: next.slice(2), nextBackwardToken: next.slice(2) }),
      };
    },
    async DescribeLogGroups(req) {
      const prefix = typeof req['logGroupNamePrefix'] === 'string' ? req['logGroupNamePrefix'] : '';
      const groups = (await logs.groups()).filter((g) => g.startsWith(prefix));
      return { logGroups: groups.map((g) => ({ logGroupName: g, arn: `arn:aws:logs:us-east-1:123456789012:log-group:${g}:*`, logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${g}`, storedBytes: 0 })) };
    },
  };
  return {
    async handle(target, body) {
      try {
        const op = target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : '';
        const run = Object.prototype.hasOwnProperty.call(ops, op) ? ops[op] : undefined;
        if (!run) throw new LogsError('UnknownOperationException', `${target} is not an operation Stepwise implements (FilterLogEvents, GetLogEvents and DescribeLogGroups are).`);
        let req: unknown;
        try {
          req = body.trim() === '' ? {} : JSON.parse(body);
        } catch {
          throw new LogsError('SerializationException', 'The request body is not valid JSON.');
        }
        if (typeof req !== 'object' || req === null || Array.isArray(req)) throw new LogsError('SerializationException', 'The request body must be a JSON object.');
        return { status: 200, body: JSON.stringify(await run(req as Req)) };
      } catch (err) {
        if (err instanceof LogsError) return { status: 400, body: JSON.stringify({ __type: err.code, message: err.message }) };
        onError(err);
        return { status: 500, body: JSON.stringify({ __type: 'ServiceUnavailableException', message: 'The service cannot complete the request.' }) };
      }
    },
  };
}
