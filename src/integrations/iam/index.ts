/** IAM for Task states: role policies (evaluate.ts), what each integration call needs (permissions.ts), AWS's denial (errors.ts), the invoker wrapper (invoker.ts). */
export { PolicySet, type AuthRequest, type Decision } from './evaluate.js';
export { requiredPermissions, type Permission, type RequiredPermissions } from './permissions.js';
export { iamInvoker, type IamOptions, type RoleDefinition } from './invoker.js';
