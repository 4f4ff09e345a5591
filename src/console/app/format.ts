/** Dates, durations, JSON payloads and statuses as the console shows them. */
import { html, type Html } from './html.js';
import { STATUS_LABEL } from '../diagram/theme.js';

/** `2026-01-01 12:00:00.123 UTC` (the services' clock is UTC epoch ms). */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function timeElement(ms: number | undefined): Html {
  if (ms === undefined || !Number.isFinite(ms)) return html`<span class="muted">—</span>`;
  return html`<time datetime="${new Date(ms).toISOString()}">${formatTime(ms)}</time>`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`, `3 d 4 h`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The most of one payload the console shows; the API returns it in full. */
export const PAYLOAD_SHOWN_CHARS = 32 * 1024;

/** A payload (JSON text or a value) pretty-printed, cut at PAYLOAD_SHOWN_CHARS. */
export function prettyPayload(value: unknown): { text: string; truncated: boolean } {
  let text: string;
  if (typeof value === 'string') {
    try {
      text = JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      text = value;
    }
  } else if (value === undefined) text = '';
  else text = JSON.stringify(value, null, 2) ?? String(value);
  if (text.length <= PAYLOAD_SHOWN_CHARS) return { text, truncated: false };
  return { text: text.slice(0, PAYLOAD_SHOWN_CHARS), truncated: true };
}

export function payloadBlock(value: unknown, cls = 'json'): Html {
  const { text, truncated } = prettyPayload(value);
  return html`<pre class="${cls}">${text}</pre>${truncated ? html`<p class="muted small">Cut at ${PAYLOAD_SHOWN_CHARS / 1024} KiB here; GetExecutionHistory / DescribeExecution return it in full.</p>` : ''}`;
}

const EXECUTION_STATUS_CLASS: Record<string, string> = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'failed',
  ABORTED: 'aborted',
  PENDING_REDRIVE: 'running',
};

/** An execution status as a coloured badge (`data-execution-status` for tests and scripts). */
export function statusBadge(status: string): Html {
  const cls = EXECUTION_STATUS_CLASS[status] ?? 'notReached';
  return html`<span class="badge vs-${cls}" data-execution-status="${status}">${status.replace('_', ' ')}</span>`;
}


export function stateStatusBadge(status: string): Html {
  return html`<span class="badge vs-${status}" data-state-status="${status}">${(STATUS_LABEL as Record<string, string>)[status] ?? status}</span>`;
}
