// results.json: one run's config, seeds, backend, curves, final metrics and
// gate statistics (layout documented in docs/export-format.md). Pure: the CLI
// writes the string to disk, the page offers it as a download.
import type { ExperimentResults, TaskMetrics } from '../types';

/** JSON with 2-space indent; NaN and ±Infinity become null (JSON has neither). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export function resultsToJson(results: ExperimentResults): string {
  return toJson(results);
}

export class ResultsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsFormatError';
  }
}

/**
 * Read a results.json back (e.g. an import in the page). Checks the version
 * and the fields every consumer relies on; nulls stay null (a metric that was
 * not finite is null, never NaN).
 */
export function parseResultsJson(text: string): ExperimentResults {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ResultsFormatError(`results.json is not valid JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== 'object') throw new ResultsFormatError('results.json must hold an object');
  const r = v as Record<string, unknown>;
  if (r.version !== 1) throw new ResultsFormatError(`results.json version must be 1 (got ${JSON.stringify(r.version)})`);
  for (const key of ['model', 'status', 'backend'] as const)
    if (typeof r[key] !== 'string') throw new ResultsFormatError(`results.json: "${key}" must be a string`);
  if (!r.config || typeof r.config !== 'object') throw new ResultsFormatError('results.json: "config" is missing');
  for (const key of ['train', 'val', 'gateStats', 'taskWeights'] as const)
    if (!Array.isArray(r[key])) throw new ResultsFormatError(`results.json: "${key}" must be an array`);
  if (r.test !== null && !Array.isArray(r.test)) throw new ResultsFormatError('results.json: "test" must be an array or null');
  return v as ExperimentResults;
}

/** A copy with the MTL gain per task (or without it when there was no baseline). */
export function withMtlGain(results: ExperimentResults, gain: (number | null)[] | undefined): ExperimentResults {
  const { mtlGain: _old, ...rest } = results;
  return gain ? { ...rest, mtlGain: gain } : rest;
}

function fmt(v: number | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : 'n/a';
}

/** "A mse 0.1234 · B auc 0.8123" — the headline test metric of every task. */
export function metricsLine(metrics: TaskMetrics[], names: string[] = []): string {
  return metrics
    .map((m) => {
      const name = names[m.task] ?? `task ${m.task + 1}`;
      return m.type === 'binary' ? `${name} auc ${fmt(m.auc)}` : `${name} mse ${fmt(m.mse)}`;
    })
    .join(' · ');
}
