/**
 * Local functions with a role of their own: each gets an access key pair of its own (made when
 * the server starts, known to this process), which its AWS SDK signs with; a request signed with
 * it is the function's, and is held to its role's policies — as a Lambda function's calls are held
 * to its execution role. Requests signed with any other key (the server's) are not checked here.
 *
 * `authorize` takes what a request does as IAM sees it (action and resource ARNs) and answers the
 * denial's message, or undefined when every resource is allowed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PolicySet } from './evaluate.js';

export interface FunctionIdentity {
  readonly functionName: string;
  readonly roleArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface Denial {
  /** AWS's message: `User: arn:aws:sts::…:assumed-role/<role>/<function> is not authorized to perform: …`. */
  readonly message: string;
  readonly action: string;
  readonly resource: string;
}

export class FunctionIdentities {
  private readonly byKey = new Map<string, { identity: FunctionIdentity; policies: PolicySet }>();

  /** `roles`: role ARN → policy documents; a function's role must be among them. */
  constructor(functions: readonly { name: string; role: string }[], roles: ReadonlyMap<string, readonly unknown[]>) {
    for (const fn of functions) {
      const documents = roles.get(fn.role);
      if (!documents) throw new Error(`function '${fn.name}': role ${fn.role} is not defined under roles`);
      const accessKeyId = `ASIA${createHash('sha256').update(`${fn.name}:${randomBytes(8).toString('hex')}`).digest('hex').slice(0, 16).toUpperCase()}`;
      const identity: FunctionIdentity = { functionName: fn.name, roleArn: fn.role, accessKeyId, secretAccessKey: randomBytes(30).toString('base64url') };
      this.byKey.set(accessKeyId, { identity, policies: new PolicySet(documents) });
    }
  }

  get identities(): FunctionIdentity[] {
    return [...this.byKey.values()].map((v) => v.identity);
  }

  credentialsOf(functionName: string): { accessKeyId: string; secretAccessKey: string } | undefined {
    const found = this.identities.find((i) => i.functionName === functionName);
    return found ? { accessKeyId: found.accessKeyId, secretAccessKey: found.secretAccessKey } : undefined;
  }

  /** The denial of the first resource the key's role may not act on, if the key is a function's. */
  authorize(accessKeyId: string, action: string, resources: readonly string[]): Denial | undefined {
    const entry = this.byKey.get(accessKeyId);
    if (!entry) return undefined;
    for (const resource of resources.length ? resources : ['*']) {
      const decision = entry.policies.evaluate({ action, resource, context: { 'aws:PrincipalArn': entry.identity.roleArn } });
      if (decision === 'allow') continue;
      const role = entry.identity.roleArn.slice(entry.identity.roleArn.lastIndexOf('/') + 1);
      const account = entry.identity.roleArn.split(':')[4] ?? '123456789012';
      const user = `arn:aws:sts::${account}:assumed-role/${role}/${entry.identity.functionName}`;
      const why = decision === 'explicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
      return { action, resource, message: `User: ${user} is not authorized to perform: ${action} on resource: ${resource} ${why}` };
    }
    return undefined;
  }
}
