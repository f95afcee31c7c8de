// Every run of the current suite: final test metrics, MTL gains, gate figures.
import { computeMtlGains } from '../core/config/suite';
import type { ExperimentResults } from '../core/types';
import { fmt, fmtSigned } from '../state/format';
import { setViewRun, usePlayground } from '../state/store';

export function SuiteTable() {
  const run = usePlayground((s) => s.run);
  const results = usePlayground((s) => s.results);
  const viewRun = usePlayground((s) => s.viewRun);
  if (run.specs.length === 0) return null;
  const done = results.filter((r): r is ExperimentResults => !!r);
  const gains = computeMtlGains(done);
  const gainOf = (r: ExperimentResults) => r.mtlGain ?? gains[done.indexOf(r)];
  const K = (run.specs[0].config.data?.tasks ?? []).length || 2;
  const names = (run.specs[0].config.data?.tasks ?? []).map((t, k) => t?.name ?? `Task ${k + 1}`);
  return (
    <section className="card suite-table" aria-labelledby="suite-h" data-testid="suite-table">
      <header className="card-head">
        <h3 id="suite-h" title="Final test metrics of every run; MTL gain is against the single-task run with the same data and seeds (positive = better)">
          {run.kind === 'suite' ? `Runs of “${run.title}”` : 'Run'}
        </h3>
      </header>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">run</th>
              <th scope="col">status</th>
              {Array.from({ length: K }, (_, k) => (
                <th scope="col" key={k} title={`Test metric of ${names[k]}: MSE (lower is better) or AUC (higher is better)`}>
                  {names[k]}
                </th>
              ))}
              {Array.from({ length: K }, (_, k) => (
                <th scope="col" key={`g${k}`} title={`MTL gain on ${names[k]} against single-task`}>
                  gain {names[k]}
                </th>
              ))}
              <th scope="col" title="Mean L1 distance between the task gates (level 1)">gate L1</th>
              <th scope="col" title="Mean task-gate entropy in nats (level 1)">entropy</th>
              <th scope="col">show</th>
            </tr>
          </thead>
          <tbody>
            {run.specs.map((s, i) => {
              const r = results[i];
              const g = r ? gainOf(r) : undefined;
              const lvl = r?.gateStats[0];
              return (
                <tr key={i} className={(viewRun ?? run.runIndex) === i ? 'current' : ''}>
                  <td>{run.labels[i] ?? s.name}</td>
                  <td>{r ? (r.status === 'diverged' ? `diverged @${r.divergedAtStep}` : r.status) : i === run.runIndex && run.phase !== 'done' ? run.phase : 'queued'}</td>
                  {Array.from({ length: K }, (_, k) => {
                    const m = r?.test?.[k];
                    return (
                      <td key={k} className="num">
                        {m ? (m.type === 'binary' ? `AUC ${fmt(m.auc, 4)}` : `MSE ${fmt(m.mse, 4)}`) : '—'}
                      </td>
                    );
                  })}
                  {Array.from({ length: K }, (_, k) => (
                    <td key={`g${k}`} className="num">
                      {g ? fmtSigned(g[k]) : '—'}
                    </td>
                  ))}
                  <td className="num">{lvl ? fmt(lvl.taskGateL1, 3) : '—'}</td>
                  <td className="num">{lvl ? fmt(lvl.meanTaskEntropy, 3) : '—'}</td>
                  <td>
                    <button type="button" className="mini" onClick={() => setViewRun(i)} title="Show this run in the architecture, curves and gate timeline" aria-label={`Show ${run.labels[i] ?? s.name}`}>
                      show
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
