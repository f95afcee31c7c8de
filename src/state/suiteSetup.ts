// A suite preset in the page: the form shows one run's config; the fields the
// preset varies between runs (model type, correlation, ...) and the seeds are
// locked, and every other edit is applied to all runs as an override.
import { getPreset, type Preset, type SuitePreset } from '../core/config/presets';
import { expandPreset, type SuiteRun } from '../core/config/suite';
import { parseExperiment, type ExperimentConfig } from '../core/config/schema';
import type { SuiteRunSpec } from '../worker/protocol';
import { deepMerge, diff, omitPaths, variedPaths } from './configEdit';
import { TRADEOFF_ID, tradeoffGridPreset } from './tradeoffGrid';

/** Set by the suite's seed scheme (seed n → data n, init n+1000, batch n+2000), not by the form. */
export const SUITE_LOCKED = ['data.seed', 'train.initSeed', 'train.batchSeed', 'train.evalEvery'];

export function suitePreset(id: string | null): SuitePreset | null {
  // The trade-off sweep runs the grid the suite box sets (ratios, models).
  if (id === TRADEOFF_ID) return tradeoffGridPreset();
  const p: Preset | undefined = id ? getPreset(id) : undefined;
  return p && p.kind === 'suite' ? p : null;
}

export interface SuiteBase {
  base: ExperimentConfig;
  /** Dotted paths that differ between the suite's runs, plus the seed fields. */
  locked: Set<string>;
  runs: SuiteRun[];
}

/** The config the form shows for a suite: its first variant (in the preset's order) at the first seed. */
export function suiteBase(preset: SuitePreset, seeds: number[], steps: number): SuiteBase {
  const runs = expandPreset(preset, { seeds: [seeds[0]], steps });
  const first = runs.find((r) => r.variant === preset.variants[0].name) ?? runs[0];
  const locked = variedPaths(runs.map((r) => r.config));
  for (const p of SUITE_LOCKED) locked.add(p);
  return { base: first.config, locked, runs };
}

/** The user's edits relative to the suite's base, minus locked fields and steps (steps go through expandPreset). */
export function suiteOverrides(draft: unknown, sb: SuiteBase): Record<string, unknown> {
  const d = diff(draft, sb.base);
  const out = omitPaths(d ?? {}, [...sb.locked, 'train.steps']);
  return (out as Record<string, unknown>) ?? {};
}

export type SuiteRunsResult = { ok: true; runs: SuiteRunSpec[]; configs: ExperimentConfig[] } | { ok: false; message: string };

/** Every run of the suite, with the user's overrides, validated. */
export function buildSuiteRuns(preset: SuitePreset, seeds: number[], draft: ExperimentConfig): SuiteRunsResult {
  let expanded: SuiteRun[];
  try {
    expanded = expandPreset(preset, { seeds, steps: draft.train.steps });
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  const overrides = suiteOverrides(draft, suiteBase(preset, seeds, draft.train.steps));
  const runs: SuiteRunSpec[] = [];
  const configs: ExperimentConfig[] = [];
  for (const r of expanded) {
    const parsed = parseExperiment(deepMerge(r.config, overrides));
    if (!parsed.ok) return { ok: false, message: `${r.name}: ${parsed.message}` };
    runs.push({ name: r.name, seed: r.seed, config: parsed.config });
    configs.push(parsed.config);
  }
  return { ok: true, runs, configs };
}
