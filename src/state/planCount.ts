// How many runs Play will start, stated before Play: the preset bar, the Play
// button and the counters read this, and it is the same computation the suite
// uses to build its runs (buildSuiteRuns), so "12 models × 20 seeds = 240 runs"
// is what starts.
import { buildSuiteRuns, suitePreset } from './suiteSetup';
import { parseSeedList } from './urlHash';
import type { PlaygroundState } from './store/base';

export interface PlanCount {
  runs: number;
  seeds: number;
  /** Runs per seed (models, or models × ratios + baseline for the trade-off sweep). */
  perSeed: number;
  steps: number;
}

let memo: { key: unknown[]; value: PlanCount | null } | null = null;

export function planCount(s: Pick<PlaygroundState, 'suiteId' | 'seedsText' | 'parsed'>, gridKey: unknown = null): PlanCount | null {
  const key = [s.suiteId, s.seedsText, s.parsed, gridKey];
  if (memo && memo.key.every((k, i) => k === key[i])) return memo.value;
  let value: PlanCount | null = null;
  if (s.parsed.ok) {
    const steps = s.parsed.config.train.steps;
    const preset = suitePreset(s.suiteId);
    if (!preset) value = { runs: 1, seeds: 1, perSeed: 1, steps };
    else {
      const seeds = parseSeedList(s.seedsText);
      if (seeds.ok) {
        const built = buildSuiteRuns(preset, seeds.seeds, s.parsed.config);
        if (built.ok) value = { runs: built.runs.length, seeds: seeds.seeds.length, perSeed: built.runs.length / seeds.seeds.length, steps };
      }
    }
  }
  memo = { key, value };
  return value;
}

/** "12 models × 20 seeds = 240 runs" (or "one run"). */
export function planText(p: PlanCount | null, tradeoff = false): string {
  if (!p) return 'fix the settings to see the run count';
  if (p.runs === 1 && p.perSeed === 1 && p.seeds === 1) return 'one run';
  const what = tradeoff ? `${p.perSeed} runs` : `${p.perSeed} model${p.perSeed === 1 ? '' : 's'}`;
  return `${what} × ${p.seeds} seed${p.seeds === 1 ? '' : 's'} = ${p.runs} runs`;
}
