// For the page: turn the finished results of a preset run (e.g. "Run all
// seeds" of the seesaw preset) into the units the analyses read, so the page
// can show the same tables and verdicts as docs/reproduction.md. Pure core +
// the data generator; no Node APIs.
import type { ExperimentResults } from '../../core/types';
import { generateDataset } from '../../core/data/generator';
import { partRuns, type PartPlan } from './plan';
import { testLabelVariance, type PartSeedResult } from './runSeed';

/**
 * Groups results by seed and matches each to the part's variant whose config
 * it has (seeds and steps included), so a run the user edited is left out
 * instead of being compared as if it were the preset's. The test-label
 * variance is recomputed from the (deterministic) generator when not given.
 */
export function unitsFromResults(
  part: PartPlan,
  results: ExperimentResults[],
  variance: (r: ExperimentResults) => (number | null)[] = cachedVariance(),
): { units: PartSeedResult[]; unmatched: ExperimentResults[] } {
  const bySeed = new Map<number, PartSeedResult>();
  const unmatched: ExperimentResults[] = [];
  for (const r of results) {
    const seed = r.seeds.data;
    let runs;
    try {
      runs = partRuns(part, seed);
    } catch {
      unmatched.push(r);
      continue;
    }
    const key = JSON.stringify(r.config);
    const run = runs.find((x) => JSON.stringify(x.config) === key);
    if (!run) {
      unmatched.push(r);
      continue;
    }
    let u = bySeed.get(seed);
    if (!u) {
      u = { part: part.id, seed, steps: part.steps, backend: r.backend, runs: [], wallSeconds: 0 };
      bySeed.set(seed, u);
    }
    u.runs.push({ variant: run.variant, label: run.label, results: r, testLabelVariance: variance(r) });
    u.wallSeconds += r.wallSeconds;
  }
  return { units: [...bySeed.values()].sort((a, b) => a.seed - b.seed), unmatched };
}

function cachedVariance(): (r: ExperimentResults) => (number | null)[] {
  const cache = new Map<string, (number | null)[]>();
  return (r) => {
    const key = JSON.stringify(r.config.data);
    let v = cache.get(key);
    if (!v) {
      v = testLabelVariance(generateDataset(r.config.data));
      cache.set(key, v);
    }
    return v;
  };
}
