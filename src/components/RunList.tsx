// Finished runs kept in IndexedDB: load, export, delete, pick two to compare.
import { curvesToCsv } from '../core/export/csv';
import { fmt } from '../state/format';
import { fmtCount, paramsText, selectedStepCell, selectedStepText } from '../state/resultsText';
import { downloadText, safeName } from '../state/download';
import { clearCompare, lookupStored, openStored, removeHistory, retrySave, toggleCompare, usePlayground } from '../state/store';

export function RunList() {
  const history = usePlayground((s) => s.history);
  const error = usePlayground((s) => s.historyError);
  const compare = usePlayground((s) => s.compare);
  const unsaved = usePlayground((s) => s.unsavedTitle);
  return (
    <section className="card runs" aria-labelledby="runs-h" data-testid="run-list">
      <header className="card-head">
        <h3 id="runs-h" title="Every finished run is saved in this browser (IndexedDB) and survives reloads. Tick two runs to compare their gates and curves.">
          Saved runs ({history.length})
        </h3>
        {compare.length > 0 && (
          <button type="button" className="mini" onClick={clearCompare} title="Stop comparing; the charts follow the current run again">
            Clear comparison
          </button>
        )}
      </header>
      {error && (
        <p className="field-error" role="alert" data-testid="history-error">
          {error}
        </p>
      )}
      {unsaved && (
        <button type="button" className="mini" onClick={() => void retrySave()} title="Try to save the finished run again (after freeing space)">
          Save “{unsaved}” again
        </button>
      )}
      {compare.length === 1 && <p className="muted small">Pick one more run to compare.</p>}
      {compare.length === 2 && (
        <div className="compare-note" data-testid="compare-note">
          Comparing two saved runs: the utilisation and curve charts show them side by side.
          <table className="compare-table">
            <thead>
              <tr>
                <th scope="col">run</th>
                <th scope="col" title="Trainable parameters">
                  params
                </th>
                <th scope="col" title="The step the test metrics and gate figures come from">
                  test at step
                </th>
              </tr>
            </thead>
            <tbody>
              {compare.map((key) => {
                const x = lookupStored(key);
                if (!x) return null;
                return (
                  <tr key={key}>
                    <td>
                      {x.label} <span className="muted">({x.stored.title})</span>
                    </td>
                    <td className="num">{typeof x.result.params === 'number' ? fmtCount(x.result.params) : '—'}</td>
                    <td className="num">{x.result.test ? selectedStepCell(x.result) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {history.length === 0 ? (
        <p className="muted small">No saved runs yet: every run that finishes appears here.</p>
      ) : (
        <ul className="run-items">
          {history.map((h) => (
            <li key={h.id} className="run-item" data-testid="saved-run">
              <div className="run-item-head">
                <strong>{h.title}</strong> <span className="muted small">{new Date(h.savedAt).toLocaleString()}</span>
                <span className="run-item-tools">
                  <button
                    type="button"
                    className="mini"
                    onClick={() => openStored(h.id)}
                    title="Open this run (every run of a suite) with all its charts, from what was saved: nothing is retrained"
                    aria-label={`Open saved run ${h.title}`}
                  >
                    open
                  </button>
                  <button
                    type="button"
                    className="mini"
                    onClick={() => downloadText(JSON.stringify(h.results.length === 1 ? h.results[0] : h.results, null, 2), `${safeName(h.title)}-results.json`)}
                    title="Download the saved results as JSON"
                  >
                    JSON
                  </button>
                  <button
                    type="button"
                    className="mini"
                    onClick={() => h.results.forEach((r, i) => downloadText(curvesToCsv(r), `${safeName(h.title)}-${safeName(h.labels[i] ?? r.model)}-curves.csv`, 'text/csv'))}
                    title="Download the curves as CSV (one file per run)"
                  >
                    CSV
                  </button>
                  <button type="button" className="mini danger" onClick={() => removeHistory(h.id)} title="Delete this saved run" aria-label={`Delete saved run ${h.title}`}>
                    delete
                  </button>
                </span>
              </div>
              <ul className="run-results">
                {h.results.map((r, i) => {
                  const key = `${h.id}#${i}`;
                  const label = h.labels[i] ?? r.model;
                  return (
                    <li key={key}>
                      <label title="Compare this run with another one">
                        <input type="checkbox" checked={compare.includes(key)} onChange={() => toggleCompare(key)} aria-label={`Compare ${label} of ${h.title}`} /> {label}
                      </label>{' '}
                      <span className="muted small" data-testid="saved-result">
                        {r.status === 'diverged' ? `diverged at step ${r.divergedAtStep ?? '?'}` : `${r.steps} steps`} · {paramsText(r.params)}
                        {r.test ? ` · ${selectedStepText(r)}: ` : ' · '}
                        {(r.test ?? []).map((m, k) => (m.type === 'binary' ? `AUC${k + 1} ${fmt(m.auc, 3)}` : `MSE${k + 1} ${fmt(m.mse, 3)}`)).join(' · ')}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
