// Every run of the current suite: parameters, the step the test numbers come
// from, final test metrics, MTL gains against a named baseline, gate figures
// (what training added first, then the partly structural union L1).
import { computeMtlGains } from '../core/config/suite';
import type { ExperimentResults, TaskMetrics } from '../core/types';
import { fmt, fmtSigned } from '../state/format';
import { baselineHeader, baselineNames, fmtCount, selectedStepCell, selectedStepText, taskGateLevel } from '../state/resultsText';
import { setViewRun, usePlayground, type RunInfo } from '../state/store';

function metricCell(m: TaskMetrics, standardized: boolean): { text: string; title: string } {
  if (m.type === 'binary') return { text: `AUC ${fmt(m.auc, 4)}`, title: `AUC ${fmt(m.auc, 4)} · log-loss ${fmt(m.logloss, 4)} on ${m.n} observed test rows` };
  const raw = typeof m.rawMse === 'number' ? ` · raw-scale MSE ${fmt(m.rawMse, 4)}` : '';
  return {
    text: `MSE ${fmt(m.mse, 4)}`,
    title: `${standardized ? 'MSE on standardised targets (1 − R² on train statistics)' : 'MSE on the raw targets'}${raw} · ${m.n} observed test rows`,
  };
}

/** A gate figure of the level with task gates, naming the level when it is not level 1 (ML-MMoE). */
function gateCells(r: ExperimentResults | null) {
  const lvl = r ? taskGateLevel(r.gateStats) : null;
  if (!lvl) return { shared: '—', union: '—', entropy: '—', title: r && r.gateStats.length ? 'No level with two or more task gates' : 'No gates' };
  const at = lvl.level === 0 ? '' : ` (L${lvl.level + 1})`;
  const s = lvl.sharedTaskGateL1;
  return {
    shared: s === undefined ? 'n/r' : s === null ? 'n/a' : fmt(s, 3) + at,
    union: fmt(lvl.taskGateL1, 3) + at,
    entropy: fmt(lvl.meanTaskEntropy, 3) + at,
    title:
      `Level ${lvl.level + 1}` +
      (s === undefined ? ': shared-expert L1 not recorded (run saved before it existed)' : s === null ? ': the task gates share no expert' : ''),
  };
}

/** A run without results: failed (and why), training now, or still queued. */
function statusOf(run: RunInfo, i: number): string {
  const failed = run.failed.find((f) => f.runIndex === i);
  if (failed) return `failed: ${failed.message}`;
  const training = run.active.length ? run.active.includes(i) : i === run.runIndex;
  if (training && run.phase !== 'done') return run.phase;
  return run.phase === 'stopped' || run.phase === 'error' ? 'not run' : 'queued';
}

export function SuiteTable() {
  const run = usePlayground((s) => s.run);
  const results = usePlayground((s) => s.results);
  const viewRun = usePlayground((s) => s.viewRun);
  if (run.specs.length === 0) return null;
  const doneIdx = results.flatMap((r, i) => (r ? [i] : []));
  const done = doneIdx.map((i) => results[i]!);
  const gains = computeMtlGains(done);
  const baselines = baselineNames(
    done,
    doneIdx.map((i) => run.labels[i] ?? run.specs[i]?.name ?? ''),
  );
  const at = (r: ExperimentResults) => done.indexOf(r);
  const gainOf = (r: ExperimentResults) => r.mtlGain ?? gains[at(r)];
  const vs = baselineHeader(baselines);
  const K = (run.specs[0].config.data?.tasks ?? []).length || 2;
  const names = (run.specs[0].config.data?.tasks ?? []).map((t, k) => t?.name ?? `Task ${k + 1}`);
  const standardized = run.specs[0].config.data?.standardizeTargets !== false;
  return (
    <section className="card suite-table" aria-labelledby="suite-h" data-testid="suite-table">
      <header className="card-head">
        <h3 id="suite-h" title="Final test metrics of every run, at the step each run's numbers come from; MTL gain is against the single-task run with the same data, seeds and steps (positive = better)">
          {run.kind === 'suite' ? `Runs of “${run.title}”` : 'Run'}
        </h3>
      </header>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                run
              </th>
              <th scope="col" rowSpan={2}>
                status
              </th>
              <th scope="col" rowSpan={2} title="Trainable parameters of the model (for single-task: all K task models together)">
                params
              </th>
              <th scope="col" rowSpan={2} title="The step whose weights the test metrics, gate figures and export come from: the best joint validation loss (train.selectBest), or the last step">
                test at step
              </th>
              <th scope="colgroup" colSpan={K} title={standardized ? 'Test MSE on standardised targets (hover a cell for the raw-scale MSE) or AUC' : 'Test MSE or AUC'}>
                test metrics
              </th>
              <th scope="colgroup" colSpan={K} data-testid="gain-baseline" title="MTL gain against the single-task run with the same data, seeds and steps: MSE(single) − MSE(model), AUC(model) − AUC(single); positive is better">
                MTL gain {vs ?? 'vs single-task (none in this run)'}
              </th>
              <th scope="colgroup" colSpan={3} title="The task gates of the first level that has two or more (level 1, except ML-MMoE's last level)">
                task gates
              </th>
              <th scope="col" rowSpan={2}>
                show
              </th>
            </tr>
            <tr>
              {Array.from({ length: K }, (_, k) => (
                <th scope="col" key={k} title={`Test metric of ${names[k]}: MSE (lower is better) or AUC (higher is better)`}>
                  {names[k]}
                </th>
              ))}
              {Array.from({ length: K }, (_, k) => (
                <th scope="col" key={`g${k}`} title={`MTL gain on ${names[k]} ${vs ?? 'against single-task'}`}>
                  gain {names[k]}
                </th>
              ))}
              <th scope="col" title="What training added: mean L1 distance between task gates over only the experts both see, each renormalised (0 = same use, 2 = disjoint)">
                shared-expert L1
              </th>
              <th scope="col" title="Mean L1 distance over the union of the gates' experts: partly structural, since a private expert counts as 0 for the other gate (≈ 1 or more in CGC whatever is learnt)">
                union L1 (partly structural)
              </th>
              <th scope="col" title="Mean task-gate entropy in nats">
                entropy
              </th>
            </tr>
          </thead>
          <tbody>
            {run.specs.map((s, i) => {
              const r = results[i];
              const g = r ? gainOf(r) : undefined;
              const gc = gateCells(r);
              const base = r ? baselines[at(r)] : undefined;
              return (
                <tr key={i} className={(viewRun ?? run.runIndex) === i ? 'current' : ''}>
                  <td>{run.labels[i] ?? s.name}</td>
                  <td>{r ? (r.status === 'diverged' ? `diverged @${r.divergedAtStep}` : r.status) : statusOf(run, i)}</td>
                  <td className="num" data-testid="run-params">
                    {typeof r?.params === 'number' ? fmtCount(r.params) : '—'}
                  </td>
                  <td className="num" data-testid="run-test-step" title={r?.test ? selectedStepText(r) : undefined}>
                    {r?.test ? selectedStepCell(r) : '—'}
                  </td>
                  {Array.from({ length: K }, (_, k) => {
                    const m = r?.test?.[k];
                    const c = m ? metricCell(m, standardized) : null;
                    return (
                      <td key={k} className="num" title={c?.title}>
                        {c ? c.text : '—'}
                      </td>
                    );
                  })}
                  {Array.from({ length: K }, (_, k) => (
                    <td key={`g${k}`} className="num" title={base ? `vs ${base}` : undefined}>
                      {g ? fmtSigned(g[k]) : '—'}
                    </td>
                  ))}
                  <td className="num" title={gc.title}>
                    {gc.shared}
                  </td>
                  <td className="num" title={gc.title}>
                    {gc.union}
                  </td>
                  <td className="num" title={gc.title}>
                    {gc.entropy}
                  </td>
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
