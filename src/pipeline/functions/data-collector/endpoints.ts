/**
 * HTTP endpoint checks: one GET per endpoint listed in `ENDPOINTS` (a JSON array of URLs or
 * `{ "name", "url" }`), with its status code and latency (until the response's headers). An
 * endpoint is up when it answers 2xx or 3xx (redirects are not followed) within the timeout.
 */
import { round2 } from './numbers.js';

export interface Endpoint {
  name: string;
  url: string;
}

export interface EndpointCheck {
  name: string;
  url: string;
  up: boolean;
  /** null when nothing answered. */
  statusCode: number | null;
  latencyMs: number;
  timedOut: boolean;
  /** Why it is down when it did not answer (refused, DNS, timeout). */
  error?: string;
}

/** The endpoints of `ENDPOINTS`; [] when unset or blank. Throws on anything it cannot use. */
export function parseEndpoints(text: string | undefined): Endpoint[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`ENDPOINTS is not valid JSON (${err instanceof Error ? err.message : String(err)}); expected an array of URLs or {"name","url"} objects`);
  }
  if (!Array.isArray(value)) throw new Error('ENDPOINTS must be a JSON array of URLs or {"name","url"} objects');
  const names = new Set<string>();
  return value.map((entry: unknown, i) => {
    const ep = typeof entry === 'string' ? { name: entry, url: entry } : endpointObject(entry, i);
    let url: URL;
    try {
      url = new URL(ep.url);
    } catch {
      throw new Error(`ENDPOINTS[${i}]: '${ep.url}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ENDPOINTS[${i}]: '${ep.url}' is not an http or https URL`);
    if (names.has(ep.name)) throw new Error(`ENDPOINTS[${i}]: the name '${ep.name}' is used twice`);
    names.add(ep.name);
    return ep;
  });
}

function endpointObject(entry: unknown, i: number): Endpoint {
  const o = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  if (typeof o['url'] !== 'string') throw new Error(`ENDPOINTS[${i}] must be a URL or an object with a string "url"`);
  if (o['name'] !== undefined && (typeof o['name'] !== 'string' || o['name'] === '')) throw new Error(`ENDPOINTS[${i}].name must be a non-empty string`);
  return { name: (o['name'] as string | undefined) ?? o['url'], url: o['url'] };
}

function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch wraps the socket's error ("fetch failed", cause ECONNREFUSED …).
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause ? String(cause.code ?? cause.message ?? '') : '';
  return detail ? `${err.message}: ${detail}` : err.message;
}

export async function checkEndpoint(endpoint: Endpoint, timeoutMs: number): Promise<EndpointCheck> {
  const started = performance.now();
  const latency = () => round2(performance.now() - started);
  try {
    const res = await fetch(endpoint.url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'infra-monitoring-data-collector' } });
    const latencyMs = latency();
    // The body is not needed: release the connection.
    await res.body?.cancel().catch(() => undefined);
    return { name: endpoint.name, url: endpoint.url, up: res.status >= 200 && res.status < 400, statusCode: res.status, latencyMs, timedOut: false };
  } catch (err) {
    const latencyMs = latency();
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return { name: endpoint.name, url: endpoint.url, up: false, statusCode: null, latencyMs, timedOut, error: timedOut ? `no answer within ${timeoutMs} ms` : reason(err) };
  }
}
