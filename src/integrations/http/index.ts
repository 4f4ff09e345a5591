/** The HTTP Task (`arn:aws:states:::http:invoke`) and the EventBridge connections it calls through. */
export { httpInvoker, type HttpInvokerOptions } from './invoker.js';
export { connectionName, type ConnectionAuthorization, type HttpConnection, type HttpParameters } from './connections.js';
