/**
 * Compile-time check that the processor's copy of the raw object's shape (each function folder
 * deploys alone, so neither imports the other) is the collector's, member for member. Types only:
 * vitest runs nothing here; `npm run typecheck` fails on drift.
 */
import type { RawMetrics as Written, SOURCES as WrittenSources } from '../../src/pipeline/functions/data-collector/raw-metrics.js';
import type { RawMetrics as Read, SOURCES as ReadSources } from '../../src/pipeline/functions/metrics-processor/raw-metrics.js';
import type { Drift, Expect, Messages, NoDifference } from '../api/shape-drift.js';

export type RawShapeDrift = NoDifference<Messages<Drift<Written, Read, 'RawMetrics'>>>;
export type SourcesAlike = Expect<(typeof WrittenSources)[number] extends (typeof ReadSources)[number] ? ((typeof ReadSources)[number] extends (typeof WrittenSources)[number] ? true : false) : false>;
