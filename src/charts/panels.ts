// Which runs a chart shows: two runs picked in the run list, or the runs of
// the current suite / single run (finished results first, live data otherwise).
import type { ExperimentResults, LevelGateStats } from '../core/types';
import { liveStore, type LiveRun } from '../state/live';
import { selectedSteps } from '../state/resultsText';
import { lookupStored, usePlayground } from '../state/store';

export interface GatePanel {
  key: string;
  title: string;
  model: string;
  step: number;
  levels: LevelGateStats[];
  /** Where the numbers come from, for the legend. */
  source: 'live' | 'final' | 'saved';
  /** The panel head's note: where and at which step the numbers come from. */
  note: string;
}

/** "step 840 (best val.)" or "last step 2000": the weights a finished run's gate statistics come from. */
function finalNote(r: ExperimentResults): string {
  const s = selectedSteps(r);
  return s.best ? `step ${s.steps.join(' / ')} (best val.)` : `last step ${r.steps}`;
}

export function comparedResults(): { key: string; label: string; result: ExperimentResults }[] {
  const { compare } = usePlayground.getState();
  if (compare.length !== 2) return [];
  return compare.map((k) => lookupStored(k)).filter((x): x is NonNullable<typeof x> => !!x).map((x, i) => ({ key: compare[i], label: `${x.label} (${x.stored.title})`, result: x.result }));
}

export function gatePanels(): GatePanel[] {
  const compared = comparedResults();
  if (compared.length === 2)
    return compared
      .filter((c) => c.result.gateStats.length > 0)
      .map((c) => ({
        key: c.key,
        title: c.label,
        model: c.result.model,
        step: c.result.bestStep ?? c.result.steps,
        levels: c.result.gateStats,
        source: 'saved' as const,
        note: `saved · ${finalNote(c.result)}`,
      }));
  const { run, results } = usePlayground.getState();
  const live = liveStore.getState().runs;
  const n = Math.max(run.specs.length, live.length, results.length);
  const out: GatePanel[] = [];
  for (let i = 0; i < n; i++) {
    const r = results[i];
    const lr: LiveRun | undefined = live[i];
    const title = run.labels[i] ?? lr?.name ?? r?.model ?? `run ${i + 1}`;
    if (r && r.gateStats.length)
      out.push({ key: `run${i}`, title, model: r.model, step: r.bestStep ?? r.steps, levels: r.gateStats, source: 'final', note: `test · ${finalNote(r)}` });
    else if (lr?.gates && lr.gates.length)
      out.push({ key: `run${i}`, title, model: lr.model, step: lr.gatesStep, levels: lr.gates, source: 'live', note: `live · step ${lr.gatesStep}` });
  }
  return out;
}
