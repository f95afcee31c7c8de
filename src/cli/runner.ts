// Runs a list of runs on the current TF.js backend, one after another or on
// `jobs` child processes (runnerChild.ts), and writes results.json, model.json,
// model.onnx and curves.csv per run (flat for a single run, in <out>/<run>/ for
// a suite) plus summary.json/.csv for a suite. Every run owns its seeds, so the
// files do not depend on `jobs` (only the timing fields do).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** Child processes training at once (default 1: everything in this process). */
  jobs?: number;
}

export interface RunnerOutput {
  results: ExperimentResults[];
  summary: SuiteSummary | null;
}

/** Steps per train() call: progress granularity; the trainer reads losses back on its own schedule. */
const CHUNK = 100;
const PROGRESS_EVERY_MS = 2000;

/** Suites reuse generated data between runs with the same data config (a seesaw generates it once per seed). */
export class DatasetCache {
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

export async function runOne(run: SuiteRun, dataset: Dataset, backend: string, log: (s: string) => void): Promise<{ results: ExperimentResults; model: object }> {
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

export function writeRunFiles(dir: string, results: ExperimentResults, model: object | null, preset: string | null = null): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), resultsToJson(results));
  if (model) {
    writeFileSync(join(dir, 'model.json'), toJson(model));
    // The same model as ONNX, built from the structural export above (docs/onnx.md).
    writeFileSync(join(dir, 'model.onnx'), modelJsonToOnnx(model as Record<string, unknown>, { presetId: preset, runName: results.name ?? null }));
  }
  writeFileSync(join(dir, 'curves.csv'), curvesToCsv(results));
}

const CHILD_SCRIPT = fileURLToPath(new URL('./runnerChild.ts', import.meta.url));

/** Parent → child: train this run and write its files into dir. */
export interface ChildTask {
  index: number;
  run: SuiteRun;
  dir: string;
  preset: string | null;
  backend: string;
}
/** Child → parent (structured clone over IPC: typed arrays, NaN and undefined survive). */
export type ChildReply = { type: 'log'; line: string } | { type: 'done'; index: number; results: ExperimentResults } | { type: 'error'; index: number; message: string };

/** `jobs` long-lived children take the runs in order, one at a time each; onDone as each finishes. */
async function runInChildren(runs: SuiteRun[], jobs: number, task: (i: number) => ChildTask, log: (s: string) => void, onDone: (i: number, r: ExperimentResults) => void): Promise<void> {
  const children: ChildProcess[] = [];
  let next = 0;
  let failed = false;
  const lane = async () => {
    const child = fork(CHILD_SCRIPT, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('message', (m: ChildReply) => {
      if (m.type === 'log') log(m.line);
    });
    const train = (t: ChildTask) =>
      new Promise<ExperimentResults>((ok, fail) => {
        const onMessage = (m: ChildReply) => {
          if (m.type === 'log' || m.index !== t.index) return;
          off();
          if (m.type === 'done') ok(m.results);
          else fail(new Error(`run ${t.run.name}: ${m.message}`));
        };
        const onExit = (code: number | null, signal: string | null) => {
          off();
          fail(new Error(`run ${t.run.name}: its process ended (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`));
        };
        const off = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
        child.send(t);
      });
    try {
      while (next < runs.length && !failed) {
        const i = next++;
        logStart(i, runs, log);
        onDone(i, await train(task(i)));
      }
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      child.kill();
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, lane));
  } finally {
    for (const c of children) c.kill();
  }
}

function logStart(i: number, runs: SuiteRun[], log: (s: string) => void): void {
  const run = runs[i];
  const c = run.config;
  log(`[${i + 1}/${runs.length}] ${run.name}: ${c.model.type}, seed ${run.seed} (data ${c.data.seed}, init ${c.train.initSeed}, batch ${c.train.batchSeed}), ${c.train.steps} steps`);
}

export async function runAll(runs: SuiteRun[], o: RunnerOptions): Promise<RunnerOutput> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const jobs = Math.max(1, Math.min(o.jobs ?? 1, runs.length));
  const done: (FinishedRun | null)[] = runs.map(() => null);
  const dirOf = (run: SuiteRun) => (o.layout === 'single' ? o.out : join(o.out, run.name));
  mkdirSync(o.out, { recursive: true });
  const logDone = (i: number) => {
    const results = done[i]!.results;
    const gain = results.mtlGain;
    const names = runs[i].config.data.tasks.map((t, k) => t.name ?? `task ${k + 1}`);
    const gainText = gain ? `  MTL gain ${gain.map((g) => (g === null ? 'n/a' : g.toFixed(4))).join(', ')}` : '';
    log(
      `  ${jobs > 1 ? `${runs[i].name}: ` : ''}${results.status} in ${results.wallSeconds.toFixed(1)} s (${(results.steps / Math.max(results.wallSeconds, 1e-9)).toFixed(0)} steps/s): ` +
        `${results.test ? metricsLine(results.test, names) : 'no test metrics'}${gainText}`,
    );
  };
  if (jobs === 1) {
    const cache = new DatasetCache();
    for (const [i, run] of runs.entries()) {
      logStart(i, runs, log);
      let res: { results: ExperimentResults; model: object };
      try {
        res = await runOne(run, cache.get(run), o.backend, log);
      } catch (e) {
        throw new Error(`run ${run.name}: ${(e as Error).message}`);
      }
      done[i] = { run, results: res.results };
      // Gains need the single-task run of the same seed, which runs first in a preset's seed.
      done[i]!.results = withGains(done.slice(0, i + 1).map((f) => f!.results))[i];
      writeRunFiles(dirOf(run), done[i]!.results, res.model, o.preset);
      logDone(i);
    }
  } else {
    log(`  on ${jobs} processes`);
    await runInChildren(
      runs,
      jobs,
      (i) => ({ index: i, run: runs[i], dir: dirOf(runs[i]), preset: o.preset, backend: o.backend }),
      log,
      (i, results) => {
        done[i] = { run: runs[i], results };
        logDone(i);
      },
    );
  }
  const finished = done as FinishedRun[];
  // Every gain settled over all runs (a config-file suite may list a baseline after the models
  // it serves; children wrote their runs without gains): results.json and curves.csv are
  // written again for every run, so the files are the same whatever the order runs finished in.
  const settled = withGains(finished.map((f) => f.results));
  finished.forEach((f, i) => {
    f.results = settled[i];
    writeRunFiles(dirOf(f.run), f.results, null);
  });
  if (o.layout === 'single') return { results: finished.map((f) => f.results), summary: null };
  const summary = summarizeSuite({ preset: o.preset, title: o.title, backend: o.backend }, finished);
  writeFileSync(join(o.out, 'summary.json'), toJson(summary));
  writeFileSync(join(o.out, 'summary.csv'), summaryToCsv(summary));
  return { results: finished.map((f) => f.results), summary };
}
