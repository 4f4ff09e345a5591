/**
 * Request headers of an HTTP Task. AWS refuses some in a task's `Headers` (the task fails with
 * States.Runtime: lib/http-rules.ts), and sets `User-Agent`, `Range` and `Host` itself ("Call
 * HTTPS APIs in Step Functions workflows", Headers).
 */

/** Sets a header in place of any of the same name in another case, keeping its position; new ones go last. */
export function setHeader(headers: [string, string][], name: string, value: string): void {
  const n = name.toLowerCase();
  const i = headers.findIndex(([k]) => k.toLowerCase() === n);
  if (i < 0) headers.push([name, value]);
  else headers[i] = [name, value];
}

export function hasHeader(headers: readonly [string, string][], name: string): boolean {
  const n = name.toLowerCase();
  return headers.some(([k]) => k.toLowerCase() === n);
}

/** Headers as TestState's TRACE level writes them: `[name: value, name: value]`. */
export function traceHeaders(headers: readonly [string, string][]): string {
  return `[${headers.map(([k, v]) => `${k}: ${v}`).join(', ')}]`;
}
