// Share and save: copy link, export model (JSON, ONNX)/results from the worker, import a config.
import { useRef, useState } from 'react';
import { summarizeSuite, type FinishedRun } from '../core/config/suite';
import { curvesToCsv, summaryToCsv } from '../core/export/csv';
import { resultsToJson } from '../core/export/results';
import { parseExperiment } from '../core/config/schema';
import type { ExperimentResults } from '../core/types';
import { downloadBlob, downloadText, safeName } from '../state/download';
import { importConfigText, notify, requestExport, usePlayground } from '../state/store';

export function ExportPanel() {
  const runId = usePlayground((s) => s.run.runId);
  const kind = usePlayground((s) => s.run.kind);
  const phase = usePlayground((s) => s.run.phase);
  const results = usePlayground((s) => s.results);
  const parsed = usePlayground((s) => s.parsed);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const title = usePlayground((s) => s.run.title) || 'run';
  // The worker (a pool: the worker that trained the run, if it still holds it) exports the model it holds.
  const current = usePlayground((s) => (s.run.kind === 'suite' ? (s.run.labels[s.viewRun ?? s.run.runIndex] ?? '') : ''));
  const runIndex = usePlayground((s) => s.viewRun ?? s.run.runIndex);
  const labels = usePlayground((s) => s.run.labels);
  const reopened = usePlayground((s) => s.run.reopened ?? false);
  // In a suite, every run can be exported: finished ones from their results here, the model from the worker that holds it.
  const [pick, setPick] = useState<number | null>(null);
  const chosen = kind === 'suite' ? (pick ?? runIndex) : 0;
  const chosenLabel = kind === 'suite' ? (labels[chosen] ?? '') : '';
  const base = safeName(chosenLabel ? `${title}-${chosenLabel}` : title);
  const workerHolds = runId !== null && !reopened && phase !== 'idle' && phase !== 'error';
  const canExport = workerHolds;
  const canResults = workerHolds || !!results[chosen];

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      notify('info', 'Link copied: it holds the whole config.');
    } catch {
      notify('warn', `Copy failed; the link is: ${location.href}`);
    }
  };
  const fromWorker = async (what: 'model' | 'onnx' | 'results' | 'csv') => {
    setBusy(true);
    try {
      const stored = results[chosen];
      if ((what === 'results' || what === 'csv') && stored) {
        if (what === 'results') downloadText(resultsToJson(stored), `${base}-results.json`);
        else downloadText(curvesToCsv(stored), `${base}-curves.csv`, 'text/csv');
        return;
      }
      const e = await requestExport(30_000, kind === 'suite' ? chosen : undefined);
      // Name the files after the run the worker actually exported.
      const label = e.runIndex !== undefined ? (usePlayground.getState().run.labels[e.runIndex] ?? chosenLabel) : chosenLabel || current;
      const fileBase = safeName(label ? `${title}-${label}` : title);
      if (what === 'onnx') {
        // Built here from model.json's plain data; the encoder (protobuf code) loads on first use.
        const { modelJsonToOnnx } = await import('../core/export/onnx');
        const { presetId } = usePlayground.getState().run;
        const bytes = modelJsonToOnnx(JSON.parse(e.modelJson), { presetId, runName: label || title });
        downloadBlob(new Blob([bytes], { type: 'application/octet-stream' }), `${fileBase}-model.onnx`);
      } else if (what === 'model') downloadText(e.modelJson, `${fileBase}-model.json`);
      else if (what === 'results') downloadText(e.resultsJson, `${fileBase}-results.json`);
      else downloadText(e.csv, `${fileBase}-curves.csv`, 'text/csv');
    } catch (err) {
      notify('error', `Export failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  const suiteSummary = () => {
    const { run } = usePlayground.getState();
    const finished: FinishedRun[] = [];
    results.forEach((r, i) => {
      const spec = run.specs[i];
      const cfg = spec && parseExperiment(spec.config);
      if (!r || !spec || !cfg || !cfg.ok) return;
      finished.push({ run: { name: spec.name, variant: spec.name.replace(/-seed\d+$/, ''), label: run.labels[i] ?? spec.name, seed: spec.seed, config: cfg.config }, results: r });
    });
    const summary = summarizeSuite({ preset: run.presetId, title: run.title, backend: finished[0]?.results.backend ?? '' }, finished);
    downloadText(summaryToCsv(summary), `${safeName(title)}-summary.csv`, 'text/csv');
    downloadText(JSON.stringify(summary, null, 2), `${safeName(title)}-summary.json`);
  };
  const done = results.filter((r): r is ExperimentResults => !!r);
  return (
    <section className="card export" aria-labelledby="export-h">
      <header className="card-head">
        <h3 id="export-h" title="Share the experiment, save what it produced, or load a config file">
          Share, export, import
        </h3>
      </header>
      {kind === 'suite' && labels.length > 1 && (
        <label className="export-run">
          Run to export{' '}
          <select
            aria-label="Run to export"
            value={String(chosen)}
            onChange={(e) => setPick(Number(e.target.value))}
            title="Which run of the suite the exports below save: results of every finished run; the model of the run the worker holds"
          >
            {labels.map((l, i) => (
              <option key={i} value={i} disabled={!results[i] && i !== runIndex}>
                {l}
                {results[i] ? '' : i === runIndex ? ' (in progress)' : ' (not run yet)'}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === 'suite' && !canExport && canResults && (
        <p className="muted small">The model weights are kept only for the run the worker holds{reopened ? ' (a re-opened saved run has none)' : ` (${labels[runIndex] ?? 'the last run'})`}; results and curves of every finished run export here.</p>
      )}
      <div className="button-row">
        <button type="button" onClick={copyLink} disabled={!parsed.ok} title="Copy a link whose URL hash holds the whole config (and suite/seeds)">
          Copy link
        </button>
        <button type="button" onClick={() => fromWorker('model')} disabled={!canExport || busy} title="The config and weights of the model the worker holds (the current run; the last one of a suite), laid out by its structure: levels → modules → experts">
          Export model JSON
        </button>
        <button
          type="button"
          onClick={() => fromWorker('onnx')}
          disabled={!canExport || busy}
          title="The same model as ONNX (opset 17): input x [N, d], output y [N, tasks] (raw outputs, logits for binary tasks) and every gate's softmax weights; runs in ONNX Runtime, converts to PyTorch (docs/onnx.md)"
        >
          Export ONNX
        </button>
        <button type="button" onClick={() => fromWorker('results')} disabled={!canResults || busy} title="Config, backend, seeds, curves, metrics and gate statistics of the current run">
          Export results JSON
        </button>
        <button type="button" onClick={() => fromWorker('csv')} disabled={!canResults || busy} title="Training and validation curves of the current run as CSV">
          Export results CSV
        </button>
        {kind === 'suite' && (
          <button type="button" onClick={suiteSummary} disabled={done.length === 0} title="Final metrics and MTL gains of every finished run of the suite (CSV and JSON)">
            Export suite summary
          </button>
        )}
        <button type="button" onClick={() => fileRef.current?.click()} title="Load a config from a JSON file (a bare config, or results/model JSON that contains one); it is validated first">
          Import config JSON
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label="Config JSON file"
          data-testid="import-config"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) importConfigText(await f.text(), f.name);
            e.target.value = '';
          }}
        />
      </div>
      {busy && <p className="muted small">Asking the worker…</p>}
    </section>
  );
}
