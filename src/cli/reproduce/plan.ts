// What the reproduction runs: three parts, each one of the page's suite
// presets, at a number of seeds and a step budget. Pure data: the CLI, a test
// and the page ("Run all seeds") read the same plan, so the same seeds and
// steps give the same runs everywhere.
import { getPreset, REPRODUCTION_SEEDS, type SuitePreset } from '../../core/config/presets';
import { expandPreset, type SuiteRun } from '../../core/config/suite';

export type PartId = 'sweep' | 'utilisation' | 'seesaw';
export const PART_IDS: readonly PartId[] = ['sweep', 'utilisation', 'seesaw'];

export interface PartPlan {
  id: PartId;
  /** The page's preset this part runs (src/core/config/presets.ts). */
  presetId: string;
  title: string;
  /** Training steps per run. */
  steps: number;
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
};

export const PART_TITLES: Record<PartId, string> = {
  sweep: 'MMoE correlation sweep',
  utilisation: 'Expert utilisation',
  seesaw: 'Seesaw',
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
export const QUICK_STEPS: Record<PartId, number> = { sweep: 30, utilisation: 60, seesaw: 30 };

export function partPreset(id: PartId): SuitePreset {
  const p = getPreset(PRESET_OF[id]);
  if (!p) throw new Error(`preset "${PRESET_OF[id]}" (part ${id}) is missing from presets.ts`);
  if (p.kind !== 'suite') throw new Error(`preset "${p.id}" (part ${id}) must be a suite`);
  return p;
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
  return expandPreset(partPreset(part.id), { seeds: [seed], steps: part.steps });
}
