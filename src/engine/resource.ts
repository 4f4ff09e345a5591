/** What a Task's Resource ARN names, and how its history events describe it. */
export interface ResourceKind {
  readonly family: 'lambda-function' | 'activity' | 'service';
  readonly arn: string;
  /** For service integrations: `lambda`, `sns`, `aws-sdk:s3`, ... */
  readonly resourceType: string;
  /** For service integrations: `invoke`, `publish.waitForTaskToken`, ... */
  readonly resource: string;
}

const cache = new Map<string, ResourceKind>();

export function describeResource(arn: string): ResourceKind {
  let k = cache.get(arn);
  if (k) return k;
  const parts = arn.split(':');
  if (parts[2] === 'lambda' && parts[5] === 'function') {
    k = { family: 'lambda-function', arn, resourceType: 'lambda', resource: parts.slice(6).join(':') };
  } else if (parts[2] === 'states' && parts[5] === 'activity') {
    k = { family: 'activity', arn, resourceType: 'activity', resource: parts.slice(6).join(':') };
  } else if (parts[2] === 'states' && parts[3] === '' && parts[4] === '') {
    // arn:aws:states:::<service>:<action> or arn:aws:states:::aws-sdk:<service>:<action>
    const rest = parts.slice(5);
    if (rest[0] === 'aws-sdk') k = { family: 'service', arn, resourceType: `aws-sdk:${rest[1] ?? ''}`, resource: rest.slice(2).join(':') };
    else k = { family: 'service', arn, resourceType: rest[0] ?? '', resource: rest.slice(1).join(':') };
  } else {
    k = { family: 'service', arn, resourceType: parts[2] ?? '', resource: parts.slice(3).join(':') };
  }
  cache.set(arn, k);
  return k;
}
