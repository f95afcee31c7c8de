// The finished results of the run the page shows (the run picker's choice, or
// the run in progress, or else the latest finished run of the current run/suite),
// for panels that need a trained run: feature gates, score fusion.
import type { ExperimentResults } from '../core/types';
import { usePlayground } from '../state/store';

export interface ViewedResult {
  index: number;
  label: string;
  result: ExperimentResults;
}

export function useViewedResult(): ViewedResult | null {
  const results = usePlayground((s) => s.results);
  const viewRun = usePlayground((s) => s.viewRun);
  const runIndex = usePlayground((s) => s.run.runIndex);
  const labels = usePlayground((s) => s.run.labels);
  let i = viewRun ?? runIndex;
  if (!results[i] && viewRun === null) for (let j = results.length - 1; j >= 0; j--) if (results[j]) {
    i = j;
    break;
  }
  const r = results[i];
  return r ? { index: i, label: labels[i] ?? r.name ?? r.model, result: r } : null;
}
