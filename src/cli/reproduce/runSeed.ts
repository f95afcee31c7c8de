// One part of the reproduction at one seed: every model of the part's preset,
// trained on the current TF.js backend, with MTL gains against the seed's
// single-task run. No Node APIs: the page's worker can import this and get
// the same numbers as the CLI for the same seeds and backend (the Trainer is
// deterministic given its config; chunking and live gate reads change nothing).
import * as tf from '@tensorflow/tfjs';
import { withGains, type SuiteRun } from '../../core/config/suite';
import { generateDataset } from '../../core/data/generator';
import { Trainer } from '../../core/train/trainer';
import type { Dataset, ExperimentResults } from '../../core/types';
import { partRuns, type PartId, type PartPlan } from './plan';

export interface SeedRun {
  /** Preset variant name, e.g. "mmoe" or "shared-bottom-p0.9". */
  variant: string;
  label: string;
  results: ExperimentResults;
  /**
   * Variance of each task's test labels (observed rows; null for binary
   * tasks): MSE / variance = 1 − R² compares seeds whose data differ in scale.
   */
  testLabelVariance: (number | null)[];
}

export interface PartSeedResult {
  part: PartId;
  seed: number;
  steps: number;
  backend: string;
  runs: SeedRun[];
  /** Wall time of the whole unit: data generation, training, evaluation. */
  wallSeconds: number;
  /**
   * CPU time of this process over the unit (Node only; absent in a browser).
   * On a busy machine wall time grows but CPU time barely does: it is what
   * the unit would take on an idle core.
   */
  cpuSeconds?: number;
}

export interface SeedHooks {
  onRunStart?(run: SuiteRun, index: number, total: number): void;
  onRunDone?(run: SuiteRun, results: ExperimentResults): void;
  /** Checked between chunks; a stopped run is reported with status "stopped". */
  shouldStop?(): boolean;
}

/** Steps per train() call: only the granularity of shouldStop. */
const CHUNK = 100;

/** Process CPU seconds where the runtime can tell (Node), else NaN. */
function cpuNow(): number {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  const u = p?.cpuUsage?.();
  return u ? (u.user + u.system) / 1e6 : NaN;
}

export async function runPartSeed(part: PartPlan, seed: number, hooks: SeedHooks = {}): Promise<PartSeedResult> {
  const t0 = performance.now();
  const c0 = cpuNow();
  const runs = partRuns(part, seed);
  const backend = tf.getBackend();
  const datasets = new Map<string, Dataset>();
  const finished: { run: SuiteRun; results: ExperimentResults; variance: (number | null)[] }[] = [];
  for (const [i, run] of runs.entries()) {
    hooks.onRunStart?.(run, i, runs.length);
    const key = JSON.stringify(run.config.data);
    let dataset = datasets.get(key);
    if (!dataset) {
      dataset = generateDataset(run.config.data);
      datasets.set(key, dataset);
    }
    const trainer = await Trainer.create(run.config, { dataset, name: run.name, backendName: backend });
    let results: ExperimentResults;
    try {
      let stopped = false;
      while (trainer.step < trainer.totalSteps) {
        if (hooks.shouldStop?.()) {
          stopped = true;
          break;
        }
        const chunk = await trainer.train(Math.min(CHUNK, trainer.totalSteps - trainer.step));
        if (chunk.diverged || chunk.steps === 0) break;
      }
      if (stopped) trainer.markStopped();
      results = stopped ? trainer.results() : await trainer.finish();
    } finally {
      trainer.dispose();
    }
    finished.push({ run, results, variance: testLabelVariance(dataset) });
    hooks.onRunDone?.(run, results);
    if (results.status === 'stopped') break;
  }
  const withGain = withGains(finished.map((f) => f.results));
  return {
    part: part.id,
    seed,
    steps: part.steps,
    backend,
    runs: finished.map((f, i) => ({ variant: f.run.variant, label: f.run.label, results: withGain[i], testLabelVariance: f.variance })),
    wallSeconds: (performance.now() - t0) / 1000,
    ...(Number.isFinite(c0) ? { cpuSeconds: cpuNow() - c0 } : {}),
  };
}

/** Population variance of each regression task's test labels over its observed rows. */
export function testLabelVariance(ds: Dataset): (number | null)[] {
  const { n, y, mask } = ds.test;
  return ds.taskTypes.map((type, k) => {
    if (type !== 'regression') return null;
    let m = 0;
    let c = 0;
    for (let i = 0; i < n; i++) if (mask[i * ds.K + k] === 1) {
      m += y[i * ds.K + k];
      c++;
    }
    if (c < 2) return null;
    m /= c;
    let v = 0;
    for (let i = 0; i < n; i++) if (mask[i * ds.K + k] === 1) v += (y[i * ds.K + k] - m) ** 2;
    return v / c;
  });
}
