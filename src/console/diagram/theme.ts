/** Colours and words of the diagram: AWS console-like status colours, and a tint per state type. */
import type { StateType } from './graph.js';

export const STATE_STATUSES = ['succeeded', 'failed', 'caught', 'retried', 'running', 'notReached', 'aborted'] as const;
export type StateStatus = (typeof STATE_STATUSES)[number];

export interface Paint {
  readonly fill: string;
  readonly stroke: string;
  readonly text: string;
}

export const STATUS_PAINT: Record<StateStatus, Paint> = {
  succeeded: { fill: '#e3f6df', stroke: '#1d8102', text: '#16191f' },
  failed: { fill: '#fde3e0', stroke: '#d13212', text: '#16191f' },
  caught: { fill: '#fdebd3', stroke: '#ec7211', text: '#16191f' },
  retried: { fill: '#fdf6d2', stroke: '#b58d00', text: '#16191f' },
  running: { fill: '#dcecfb', stroke: '#0073bb', text: '#16191f' },
  notReached: { fill: '#f4f5f5', stroke: '#aab7b8', text: '#687078' },
  aborted: { fill: '#e9ebed', stroke: '#545b64', text: '#545b64' },
};

export const STATUS_LABEL: Record<StateStatus, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  caught: 'Caught error',
  retried: 'Retried',
  running: 'In progress',
  notReached: 'Not reached',
  aborted: 'Aborted',
};

/** A state without an execution to colour it. */
export const PLAIN: Paint = { fill: '#ffffff', stroke: '#545b64', text: '#16191f' };

/** The colour of each type's small label (and the Parallel/Map box outlines). */
export const TYPE_TINT: Record<StateType, string> = {
  Task: '#1b5fa8',
  Pass: '#5f6b7a',
  Choice: '#7a3ec8',
  Wait: '#007d8a',
  Succeed: '#1d8102',
  Fail: '#c02a0f',
  Parallel: '#8a5a00',
  Map: '#a0337d',
};

export const INK = {
  edge: '#687078',
  catch: '#d45b07',
  branch: '#9aa5b1',
  label: '#414750',
  terminal: '#545b64',
  terminalFill: '#f2f3f3',
  background: '#ffffff',
  title: '#16191f',
  cluster: '#879596',
} as const;

export const FONT_FAMILY = "'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
