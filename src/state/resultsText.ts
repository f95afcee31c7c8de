// How the page words a finished run: which step its test numbers come from,
// its parameter count, the baseline its MTL gain is measured against, and the
// level whose task gates the summary figures describe. Pure, no DOM.
import { findBaselines } from '../core/config/suite';
import { MODEL_LABELS } from '../core/config/schema';
import type { ExperimentResults, LevelGateStats } from '../core/types';

type StepFields = Pick<ExperimentResults, 'steps' | 'bestStep' | 'bestStepByTask' | 'selectBest'>;

/**
 * The step(s) a run's test metrics, gate statistics and export come from.
 * Old saved runs (no selectBest) were always measured at the last step.
 */
export function selectedSteps(r: StepFields): { best: boolean; steps: number[] } {
  if (r.selectBest && typeof r.bestStep === 'number') {
    const byTask = r.bestStepByTask?.filter((s) => Number.isFinite(s)) ?? [];
    const distinct = [...new Set(byTask)];
    return { best: true, steps: distinct.length > 1 ? byTask : [r.bestStep] };
  }
  return { best: false, steps: [r.steps] };
}

/** "test at step 840 (best validation)", "test at steps 600 / 840 (best validation per task)" or "test at the last step (2000)". */
export function selectedStepText(r: StepFields, what = 'test'): string {
  const s = selectedSteps(r);
  if (!s.best) return `${what} at the last step (${r.steps})`;
  if (s.steps.length > 1) return `${what} at steps ${s.steps.join(' / ')} (best validation per task)`;
  return `${what} at step ${s.steps[0]} (best validation)`;
}

/** Short form for a table cell: "840 (best validation)", "600 / 840 (best validation per task)", "2000 (last step)". */
export function selectedStepCell(r: StepFields): string {
  const s = selectedSteps(r);
  if (!s.best) return `${r.steps} (last step)`;
  return s.steps.length > 1 ? `${s.steps.join(' / ')} (best validation per task)` : `${s.steps[0]} (best validation)`;
}

/** The step to mark on the curves (per task where single-task baselines select per task); null when selection is off. */
export function bestStepMarks(r: StepFields, K: number): { joint: number | null; task: (number | null)[] } | null {
  if (!r.selectBest || typeof r.bestStep !== 'number') return null;
  const byTask = r.bestStepByTask && r.bestStepByTask.length === K ? r.bestStepByTask : new Array<number>(K).fill(r.bestStep);
  const same = new Set(byTask).size <= 1;
  return { joint: same ? r.bestStep : null, task: byTask.map((s) => (Number.isFinite(s) ? s : null)) };
}

export function fmtCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "4,290 params", or "params n/a" for runs saved before the count existed. */
export function paramsText(params: number | null | undefined): string {
  return typeof params === 'number' && Number.isFinite(params) ? `${fmtCount(params)} params` : 'params n/a';
}

export const stripSeed = (s: string) => s.replace(/ · seed \d+$/, '').replace(/-seed\d+$/, '');

/** "Single-task (4,290 params)". */
export function baselineText(name: string, params: number | null | undefined): string {
  return typeof params === 'number' && Number.isFinite(params) ? `${name} (${paramsText(params)})` : name;
}

/**
 * Per result: how its baseline is named ("Single-task (4,290 params)"), from
 * the result's own `baseline` when it carries its own MTL gain, else the suite's matching
 * single-task run (core findBaselines), named by its label without the seed.
 * Undefined where the run has no baseline.
 */
export function baselineNames(results: ExperimentResults[], labels: string[]): (string | undefined)[] {
  const found = findBaselines(results);
  return results.map((r, i) => {
    // A result that carries its own gain (CLI, suites run with withGains) names its own baseline.
    if (r.mtlGain && r.baseline) {
      const name = stripSeed(r.baseline.name);
      return baselineText(name === r.baseline.model ? MODEL_LABELS[r.baseline.model] : name, r.baseline.params);
    }
    const b = found[i];
    if (!b) return undefined;
    const name = stripSeed(labels[results.indexOf(b)] ?? b.name ?? MODEL_LABELS[b.model]);
    return baselineText(name === b.model ? MODEL_LABELS[b.model] : name, b.params);
  });
}

/** The distinct baselines of a list (for one header or legend line): "vs Single-task (4,290 params)". */
export function baselineHeader(names: (string | undefined)[]): string | null {
  const distinct = [...new Set(names.filter((n): n is string => !!n))];
  if (distinct.length === 0) return null;
  return `vs ${distinct.join('; ')}`;
}

export const isTaskGate = (id: string) => id.startsWith('task:');

/**
 * The level whose task gates a one-number summary describes: the first with
 * two or more task gates (ML-MMoE's inner levels have none: their gates feed
 * next-level experts). Null when no level has task gates.
 */
export function taskGateLevel(levels: LevelGateStats[]): LevelGateStats | null {
  return levels.find((l) => l.gates.filter((g) => isTaskGate(g.id)).length >= 2) ?? null;
}
