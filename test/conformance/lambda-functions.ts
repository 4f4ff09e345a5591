/**
 * The Lambda functions the recorded conformance cases call (their README describes each), written
 * as local Node.js handlers. The recorded functions were Python: errors carry Python's error type
 * names, and `return_decorated_input` prints its event as Python would.
 */
import type { LambdaHandler } from '../../src/integrations/lambda-local.js';

/**
 * An exception raised by one of the recorded Python functions: it reports Python's runtime error
 * document (`errorMessage`, `errorType`, `requestId`, `stackTrace` with the function's traceback).
 */
class PythonError extends Error {
  readonly errorPayload: Record<string, unknown>;
  constructor(type: string, message: string, requestId: string, traceback: string) {
    super(message);
    this.name = type;
    this.errorPayload = { errorMessage: message, errorType: type, requestId, stackTrace: [traceback] };
  }
}

/** A value as Python's `str()` prints a dict, list, str, number, bool or None. */
export function pythonRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map((x) => pythonRepr(x)).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pythonRepr(k)}: ${pythonRepr(x)}`).join(', ')}}`;
}

export const CONFORMANCE_FUNCTIONS: Record<string, LambdaHandler> = {
  id_function: (event) => event,
  echo_function: (event) => event,
  raise_exception: (_event, context) => {
    throw new PythonError('Exception', 'Some exception was raised.', context.awsRequestId, '  File "/var/task/handler.py", line 2, in handler\n    raise Exception("Some exception was raised.")\n');
  },
  // `raise CustomException()`: no message (the README's summary names one; the recordings show none).
  raise_custom_exception: (_event, context) => {
    throw new PythonError('CustomException', '', context.awsRequestId, '  File "/var/task/handler.py", line 9, in handler\n    raise CustomException()\n');
  },
  large_output_string: () => 'a'.repeat(257 * 1024),
  return_bytes_str: () => 'HelloWorld!',
  return_decorated_input: (event) => `input-event-${pythonRepr(event)}`,
  // Sleeps 60 s, then returns its event (the cases time it out first).
  wait_60_seconds: (event) => new Promise((resolve) => setTimeout(() => resolve(event), 60_000).unref()),
};

/** The function a `templates/.../<name>.py` handler path names. */
export function functionNameOfHandler(handlerPath: string): string {
  return (handlerPath.split('/').pop() ?? '').replace(/\.py$/, '');
}
