/**
 * Task `Resource` ARNs (asl-surface.md §5.1): service integrations (`arn:…:states:::svc:action`
 * with an optional `.sync`, `.sync:2` or `.waitForTaskToken`), AWS SDK integrations, activities
 * and legacy Lambda function ARNs. Express workflows take neither `.sync`, callbacks nor
 * activities.
 */
import type { MachineType, Reporter } from './report.js';

export type ResourceKind =
  | { kind: 'service'; service: string; action: string; pattern: 'request' | 'sync' | 'callback' }
  | { kind: 'activity' }
  | { kind: 'lambda' };

const SERVICE = /^arn:[a-z-]+:states:::((?:aws-sdk:)?[a-z0-9-]+):([A-Za-z][A-Za-z0-9]*)(\.sync(?::2)?|\.waitForTaskToken)?$/;
const ACTIVITY = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:activity:[^\s:]{1,80}$/;
const LAMBDA = /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9_$-]{1,128})?$/;

export function parseResource(text: string): ResourceKind | undefined {
  const s = SERVICE.exec(text);
  if (s) {
    const suffix = s[3];
    const pattern = suffix === undefined ? 'request' : suffix === '.waitForTaskToken' ? 'callback' : 'sync';
    const service = s[1] as string;
    // AWS SDK integrations have no `.sync` form.
    if (service.startsWith('aws-sdk:') && pattern === 'sync') return undefined;
    return { kind: 'service', service, action: s[2] as string, pattern };
  }
  if (ACTIVITY.test(text)) return { kind: 'activity' };
  if (LAMBDA.test(text)) return { kind: 'lambda' };
  return undefined;
}

export function checkResource(r: Reporter, value: string, location: string, machineType: MachineType): void {
  const parsed = parseResource(value);
  if (parsed === undefined) {
    r.schema(
      `The resource provided ${value} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
      location,
    );
    return;
  }
  if (machineType !== 'EXPRESS') return;
  if (parsed.kind === 'activity') r.schema('Express state machine does not support Activity ARN', location);
  else if (parsed.kind === 'service' && parsed.pattern === 'sync') r.schema("Express state machine does not support '.sync' service integration", location);
  else if (parsed.kind === 'service' && parsed.pattern === 'callback') r.schema("Express state machine does not support '.waitForTaskToken' service integration", location);
}
