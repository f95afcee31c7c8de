// Runs a list of runs one after another on the current TF.js backend and
// writes results.json, model.json, model.onnx and curves.csv per run (flat for a single
// run, in <out>/<run>/ for a suite) plus summary.json/.csv for a suite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeSuite, withGains, type FinishedRun, type SuiteRun, type SuiteSummary } from '../core/config/suite';
import { generateDataset } from '../core/data/generator';
import { curvesToCsv, summaryToCsv } from '../core/export/csv';
import { modelJsonToOnnx } from '../core/export/onnx';
import { metricsLine, resultsToJson, toJson } from '../core/export/results';
import { Trainer } from '../core/train/trainer';
import type { Dataset, ExperimentResults } from '../core/types';

export interface RunnerOptions {
  out: string;
  /** 'single': files directly in `out`; 'suite': one folder per run plus a summary. */
  layout: 'single' | 'suite';
  preset: string | null;
  title: string;
  backend: string;
  /** Progress lines (stderr by default). */
  log?: (line: string) => void;
}

export interface RunnerOutput {
  results: ExperimentResults[];
  summary: SuiteSummary | null;
}

/** Steps per train() call: progress granularity; the trainer reads losses back on its own schedule. */
const CHUNK = 100;
const PROGRESS_EVERY_MS = 2000;

/** Suites reuse generated data between runs with the same data config (a seesaw generates it once per seed). */
class DatasetCache {
  private readonly map = new Map<string, Dataset>();
  get(run: SuiteRun): Dataset {
    const key = JSON.stringify(run.config.data);
    let ds = this.map.get(key);
    if (!ds) {
      ds = generateDataset(run.config.data);
      this.map.set(key, ds);
      if (this.map.size > 4) this.map.delete(this.map.keys().next().value!);
    }
    return ds;
  }
}

async function runOne(run: SuiteRun, dataset: Dataset, backend: string, log: (s: string) => void): Promise<{ results: ExperimentResults; model: object }> {
  const trainer = await Trainer.create(run.config, { dataset, name: run.name, backendName: backend });
  try {
    const total = trainer.totalSteps;
    let lastLog = performance.now();
    let lastLoss: number | null = null;
    while (trainer.step < total) {
      const chunk = await trainer.train(Math.min(CHUNK, total - trainer.step));
      const p = chunk.curve[chunk.curve.length - 1];
      if (p) lastLoss = p.loss;
      if (chunk.diverged) {
        log(`  diverged at step ${chunk.divergedAtStep ?? trainer.step}: non-finite loss; stopping this run`);
        break;
      }
      if (chunk.steps === 0) break;
      const now = performance.now();
      if (now - lastLog >= PROGRESS_EVERY_MS && trainer.step < total) {
        const sps = trainer.step / trainer.results().wallSeconds;
        log(`  step ${trainer.step}/${total}  loss ${lastLoss?.toFixed(4) ?? 'n/a'}  ${sps.toFixed(0)} steps/s`);
        lastLog = now;
      }
    }
    const results = await trainer.finish();
    const model = await trainer.exportModel();
    return { results, model };
  } finally {
    trainer.dispose();
  }
}

function writeRunFiles(dir: string, results: ExperimentResults, model: object | null, preset: string | null = null): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), resultsToJson(results));
  if (model) {
    writeFileSync(join(dir, 'model.json'), toJson(model));
    // The same model as ONNX, built from the structural export above (docs/onnx.md).
    writeFileSync(join(dir, 'model.onnx'), modelJsonToOnnx(model as Record<string, unknown>, { presetId: preset, runName: results.name ?? null }));
  }
  writeFileSync(join(dir, 'curves.csv'), curvesToCsv(results));
}

export async function runAll(runs: SuiteRun[], o: RunnerOptions): Promise<RunnerOutput> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const cache = new DatasetCache();
  const finished: FinishedRun[] = [];
  const dirOf = (run: SuiteRun) => (o.layout === 'single' ? o.out : join(o.out, run.name));
  mkdirSync(o.out, { recursive: true });
  for (const [i, run] of runs.entries()) {
    const c = run.config;
    log(`[${i + 1}/${runs.length}] ${run.name}: ${c.model.type}, seed ${run.seed} (data ${c.data.seed}, init ${c.train.initSeed}, batch ${c.train.batchSeed}), ${c.train.steps} steps`);
    let res: { results: ExperimentResults; model: object };
    try {
      res = await runOne(run, cache.get(run), o.backend, log);
    } catch (e) {
      throw new Error(`run ${run.name}: ${(e as Error).message}`);
    }
    finished.push({ run, results: res.results });
    // Gains need the single-task run of the same seed, which runs first in a preset's seed.
    const results = withGains(finished.map((f) => f.results))[finished.length - 1];
    const gain = results.mtlGain;
    finished[finished.length - 1].results = results;
    writeRunFiles(dirOf(run), results, res.model, o.preset);
    const names = c.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`);
    const gainText = gain ? `  MTL gain ${gain.map((g) => (g === null ? 'n/a' : g.toFixed(4))).join(', ')}` : '';
    log(
      `  ${results.status} in ${results.wallSeconds.toFixed(1)} s (${(results.steps / Math.max(results.wallSeconds, 1e-9)).toFixed(0)} steps/s): ` +
        `${results.test ? metricsLine(results.test, names) : 'no test metrics'}${gainText}`,
    );
  }
  // A config-file suite may list a baseline after the models it serves: settle every gain now.
  const settled = withGains(finished.map((f) => f.results));
  finished.forEach((f, i) => {
    const before = JSON.stringify([f.results.mtlGain, f.results.baseline]);
    f.results = settled[i];
    if (JSON.stringify([f.results.mtlGain, f.results.baseline]) !== before) writeRunFiles(dirOf(f.run), f.results, null);
  });
  if (o.layout === 'single') return { results: finished.map((f) => f.results), summary: null };
  const summary = summarizeSuite({ preset: o.preset, title: o.title, backend: o.backend }, finished);
  writeFileSync(join(o.out, 'summary.json'), toJson(summary));
  writeFileSync(join(o.out, 'summary.csv'), summaryToCsv(summary));
  return { results: finished.map((f) => f.results), summary };
}
