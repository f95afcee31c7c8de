// What the reproduction runs: three parts, each one of the page's suite
// presets, at a number of seeds and a step budget. Pure data: the CLI, a test
// and the page ("Run all seeds") read the same plan, so the same seeds and
// steps give the same runs everywhere.
import { getPreset, REPRODUCTION_SEEDS, type SuitePreset } from '../../core/config/presets';
import { expandPreset, type SuiteRun } from '../../core/config/suite';

export type PartId = 'sweep' | 'utilisation' | 'seesaw' | 'regional' | 'negative' | 'esmm' | 'tradeoff' | 'features';
/** One part per mechanism and generator mode, each one of the page's suite presets. */
export const PART_IDS: readonly PartId[] = ['sweep', 'utilisation', 'regional', 'seesaw', 'tradeoff', 'negative', 'esmm', 'features'];

export interface PartPlan {
  id: PartId;
  /** The page's preset this part runs (src/core/config/presets.ts). */
  presetId: string;
  title: string;
  /** Training steps per run. */
  steps: number;
  /** A calibration setting (calibrate.ts) that changes the preset; absent = the preset as committed. */
  setting?: string;
}

export type Mode = 'full' | 'quick';

export interface ReproductionPlan {
  mode: Mode;
  seeds: number[];
  parts: PartPlan[];
}

const PRESET_OF: Record<PartId, string> = {
  sweep: 'correlation-sweep',
  utilisation: 'expert-utilisation',
  seesaw: 'seesaw',
  regional: 'mmoe-vs-cgc',
  negative: 'negative-transfer',
  esmm: 'esmm',
  tradeoff: 'seesaw-tradeoff',
  features: 'feature-selection',
};

export const PART_TITLES: Record<PartId, string> = {
  sweep: 'MMoE correlation sweep',
  utilisation: 'Expert utilisation and the gate bias',
  seesaw: 'Seesaw from loss-scale imbalance',
  regional: 'Gates routing by region',
  negative: 'Negative transfer from overfitting',
  esmm: 'ESMM on the exposure space',
  tradeoff: 'The seesaw as a trade-off curve',
  features: 'Feature-selection gates',
};

/** Five seeds, the minimum. */
export const FULL_SEEDS = [...REPRODUCTION_SEEDS];
/** Three seeds: the fewest for which "most seeds" means something. */
export const QUICK_SEEDS = [1, 2, 3];
/**
 * Quick budgets: enough steps for the gates to leave their initial state and
 * every code path (training, evaluation, gate statistics, MTL gains, report,
 * figures) to run, small enough for the unit-test suite. Not for conclusions.
 */
export const QUICK_STEPS: Record<PartId, number> = { sweep: 30, utilisation: 60, seesaw: 30, regional: 40, negative: 40, esmm: 30, tradeoff: 20, features: 40 };

/** Calibration settings: named changes of a part's preset (calibrate.ts registers them; pure data). */
export type SettingFn = (p: SuitePreset) => SuitePreset;
const SETTINGS = new Map<string, SettingFn>();
export function registerSetting(part: PartId, id: string, fn: SettingFn): void {
  SETTINGS.set(`${part}/${id}`, fn);
}

export function partPreset(id: PartId, setting?: string): SuitePreset {
  const p = getPreset(PRESET_OF[id]);
  if (!p) throw new Error(`preset "${PRESET_OF[id]}" (part ${id}) is missing from presets.ts`);
  if (p.kind !== 'suite') throw new Error(`preset "${p.id}" (part ${id}) must be a suite`);
  if (!setting || setting === 'preset') return p;
  const fn = SETTINGS.get(`${id}/${setting}`);
  if (!fn) throw new Error(`unknown calibration setting "${setting}" for part ${id}`);
  return fn(p);
}

/** Full size runs each preset at its own step budget: exactly what the page runs for that preset. */
export function makePlan(mode: Mode, o: { seeds?: number[]; parts?: PartId[] } = {}): ReproductionPlan {
  const ids = o.parts ?? [...PART_IDS];
  return {
    mode,
    seeds: o.seeds ?? (mode === 'full' ? FULL_SEEDS : QUICK_SEEDS),
    parts: ids.map((id) => {
      const preset = partPreset(id);
      return { id, presetId: preset.id, title: PART_TITLES[id], steps: mode === 'full' ? preset.steps : QUICK_STEPS[id] };
    }),
  };
}

/** The runs of one part at one seed, single-task baselines first (expandPreset's order). */
export function partRuns(part: PartPlan, seed: number): SuiteRun[] {
  return expandPreset(partPreset(part.id, part.setting), { seeds: [seed], steps: part.steps });
}
