// Which run of a suite the architecture, curves and timeline show; the runs
// training now are marked (a pool of workers trains several at once).
import { setViewRun, usePlayground } from '../state/store';

export function RunPicker() {
  const run = usePlayground((s) => s.run);
  const viewRun = usePlayground((s) => s.viewRun);
  const compare = usePlayground((s) => s.compare);
  if (compare.length === 2) return <p className="run-picker muted small">Showing the two compared saved runs.</p>;
  if (run.specs.length < 2) return null;
  // A suite on a pool trains several runs at once: the picker marks them.
  const training = run.phase === 'running' || run.phase === 'paused' || run.phase === 'starting';
  return (
    <label className="run-picker" title="Which run of the suite the architecture, curves and gate timeline show">
      Showing{' '}
      <select value={viewRun === null ? 'follow' : String(viewRun)} onChange={(e) => setViewRun(e.target.value === 'follow' ? null : Number(e.target.value))} aria-label="Run shown" title="Which run of the suite the architecture, curves and gate timeline show">
        <option value="follow">{run.active.length > 1 ? 'a run in progress' : run.phase === 'running' || run.phase === 'paused' || run.phase === 'starting' ? 'the run in progress' : `the last run (${run.labels[run.runIndex] ?? run.specs[run.runIndex]?.name ?? ''})`}</option>
        {run.specs.map((s, i) => (
          <option key={i} value={i}>
            {(run.labels[i] ?? s.name) + (training && run.active.includes(i) ? ` (${run.phase === 'paused' ? 'paused' : 'training'})` : '')}
          </option>
        ))}
      </select>
    </label>
  );
}
