/**
 * IAM for Task states (DESIGN.md, "IAM"): a task whose execution role (or whose `Credentials`
 * role) is defined locally may make only the calls that role's policies allow; each call is
 * checked before it is passed on, and a denied one fails the task with the error and cause AWS
 * reports. A role ARN that is not defined locally is unrestricted, with one warning per role
 * ARN, unless `strictIam`, which fails its tasks instead. Activities need no permission.
 */
import { StatesError } from '../../asl/errors.js';
import type { TaskInvoker, TaskProgress } from '../../engine/local-run.js';
import type { TaskRequest } from '../../engine/types.js';
import { isObject, type Json } from '../../lib/json.js';
import { accessDenied, sessionName } from './errors.js';
import { PolicySet } from './evaluate.js';
import { requiredPermissions } from './permissions.js';

/** A role as the configuration declares it: `arn:aws:iam::<account>:role/<name>`, with its policy documents. */
export interface RoleDefinition {
  name: string;
  policies: readonly Json[];
}

export interface IamOptions {
  region: string;
  account: string;
  /** Fail the tasks of roles that are not defined, instead of letting them call everything. */
  strictIam?: boolean;
  /** Where the warning about a role that is not defined goes (once per role ARN). */
  log?: (line: string) => void;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

export function iamInvoker(roles: readonly RoleDefinition[], opts: IamOptions, next: TaskInvoker): TaskInvoker {
  // Role names are unique in an account whatever their path, as in IAM.
  const byName = new Map(roles.map((r) => [r.name, new PolicySet(r.policies)]));
  const warned = new Set<string>();
  const lookup = (roleArn: string): PolicySet | undefined => {
    const m = ROLE_ARN.exec(roleArn);
    return m && m[1] === opts.account ? byName.get(m[2] as string) : undefined;
  };
  return {
    async invoke(req: TaskRequest, progress?: TaskProgress): Promise<Json> {
      const roleArn = taskRole(req);
      if (roleArn === undefined) return next.invoke(req, progress);
      const call = requiredPermissions(req.resource, req.input, { region: opts.region, account: opts.account, stateMachineArn: stateMachineOf(req.executionArn) });
      if (!call) return next.invoke(req, progress);
      const policies = lookup(roleArn);
      if (!policies) {
        if (opts.strictIam) {
          throw new StatesError(
            'States.Runtime',
            `The role '${roleArn}' is not defined in Stepwise's configuration, and Stepwise runs with --strict-iam: define the role under 'roles' (with the policies it grants), or run without --strict-iam to let roles that are not defined call everything.`,
          );
        }
        if (!warned.has(roleArn)) {
          warned.add(roleArn);
          opts.log?.(`stepwise iam: role '${roleArn}' is not defined in the configuration (roles): its tasks may call everything (--strict-iam refuses them)`);
        }
        return next.invoke(req, progress);
      }
      const session = sessionName(req.executionArn);
      const principal = { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': opts.account, 'aws:RequestedRegion': opts.region };
      for (const p of call.permissions) {
        const decision = policies.evaluate({ action: p.action, resource: p.resource, context: { ...principal, ...p.context } });
        if (decision !== 'allow') throw accessDenied(call, p, decision, roleArn, session);
      }
      return next.invoke(req, progress);
    },
  };
}

/** The role the task runs as: its `Credentials.RoleArn` when it has one (the execution role assumes it), else the execution's role. */
function taskRole(req: TaskRequest): string | undefined {
  const credentials = req.credentials;
  const role = isObject(credentials) ? credentials['RoleArn'] : undefined;
  if (typeof role === 'string') return role;
  // TestState without a role passes none (null).
  return typeof req.roleArn === 'string' ? req.roleArn : undefined;
}

/** The state machine of an execution ARN (Standard `execution:<machine>:<name>` or Express `express:<machine>:<name>:<id>`). */
function stateMachineOf(executionArn: string | undefined): string | undefined {
  const m = executionArn === undefined ? null : /^(arn:[^:]+:states:[^:]+:\d+):(?:execution|express):([^:]+):/.exec(executionArn);
  return m ? `${m[1] as string}:stateMachine:${m[2] as string}` : undefined;
}
