// The reproduction end to end in Node: run every (part, seed) unit, in this
// process or in child processes, analyse, write the report, figures and JSON.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../wasm';
import { analyse } from './analyse';
import { seesawFigure, sweepFigure, tradeoffFigure, utilisationFigure } from './figures';
import type { PartPlan, ReproductionPlan } from './plan';
import { compactRecordJson, type ReproductionRecord } from './record';
import { allFindings, buildReport, FIGURE_IDS, partFigureName, type Analyses, type FigurePaths } from './report';
import { runPartSeed, type PartSeedResult } from './runSeed';
import { inflateRecord, mergePlans, type CompactRecordFile } from './merge';

export interface PipelineOptions {
  out: string;
  /** Report file name inside `out`. */
  reportName?: string;
  /** Parallel child processes; 1 runs everything in this process. */
  jobs?: number;
  log?: (line: string) => void;
  /** Keep the parts this plan does not run from `out`/reproduction.json (merge.ts). */
  merge?: boolean;
}

export interface PipelineOutput {
  record: ReproductionRecord;
  analyses: Analyses;
  files: { report: string; json: string; figures: string[] };
}

const REPRODUCE_SCRIPT = fileURLToPath(new URL('../reproduce.ts', import.meta.url));

export async function runInProcess(units: { part: PartPlan; seed: number }[], log: (s: string) => void): Promise<PartSeedResult[]> {
  const out: PartSeedResult[] = [];
  for (const { part, seed } of units) {
    out.push(
      await runPartSeed(part, seed, {
        onRunDone: (run, r) => log(`  ${part.id} seed ${seed} ${run.variant}: ${r.status}, ${r.steps} steps in ${r.wallSeconds.toFixed(1)} s`),
      }),
    );
  }
  return out;
}

/** One child per unit, `jobs` at a time; each writes its PartSeedResult as JSON. */
export async function runInChildren(units: { part: PartPlan; seed: number }[], jobs: number, log: (s: string) => void): Promise<PartSeedResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'reproduce-'));
  const results: PartSeedResult[] = new Array(units.length);
  let next = 0;
  const worker = async () => {
    while (next < units.length) {
      const i = next++;
      const { part, seed } = units[i];
      const file = join(dir, `${part.id}-${part.setting ?? 'preset'}-${seed}.json`);
      await new Promise<void>((ok, fail) => {
        const child = spawn(process.execPath, [...process.execArgv, REPRODUCE_SCRIPT, '--unit', `${part.id}:${seed}:${part.steps}${part.setting ? `:${part.setting}` : ''}`, '--unit-out', file], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d: Buffer) => {
          const text = d.toString();
          err = (err + text).slice(-4000);
          for (const line of text.split('\n')) if (line.startsWith('  ')) log(line);
        });
        child.on('error', fail);
        child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`unit ${part.id} seed ${seed} failed (exit ${code}): ${err.trim().split('\n').slice(-3).join(' / ')}`))));
      });
      results[i] = JSON.parse(readFileSync(file, 'utf8')) as PartSeedResult;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, units.length) }, worker));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** Child side of runInChildren. */
export async function runUnitToFile(part: PartPlan, seed: number, file: string): Promise<void> {
  await useWasmBackend();
  const r = await runPartSeed(part, seed, {
    onRunDone: (run, res) => process.stderr.write(`  ${part.id} seed ${seed} ${run.variant}: ${res.status}, ${res.steps} steps in ${res.wallSeconds.toFixed(1)} s\n`),
  });
  writeFileSync(file, JSON.stringify(r));
}

export async function reproduce(plan: ReproductionPlan, o: PipelineOptions): Promise<PipelineOutput> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  // Read the record to merge into first: a bad or missing file fails before any training.
  const old = o.merge ? inflateRecord(JSON.parse(readFileSync(join(o.out, 'reproduction.json'), 'utf8')) as CompactRecordFile) : null;
  if (old) mergePlans(old, plan, []);
  const jobs = Math.max(1, o.jobs ?? 1);
  const t0 = performance.now();
  const backend = await useWasmBackend();
  const loadStart = loadavg()[0];
  // Part-major order: a part's seeds run together, so its time is easy to read in the log.
  const units = plan.parts.flatMap((part) => plan.seeds.map((seed) => ({ part, seed })));
  log(`reproduce (${plan.mode}): ${units.length} units (${plan.parts.map((p) => p.id).join(', ')} × seeds ${plan.seeds.join(',')}) on ${backend}, ${jobs} process${jobs === 1 ? '' : 'es'} → ${o.out}`);
  let results = jobs === 1 ? await runInProcess(units, log) : await runInChildren(units, jobs, log);
  let merged: ReproductionRecord['merged'];
  if (old) {
    const m = mergePlans(old, plan, results);
    plan = m.plan;
    results = m.units;
    merged = { keptFrom: old.env.date, parts: m.kept };
    log(`merged: kept ${m.kept.join(', ') || 'no part'} from the reproduction of ${old.env.date}`);
  }
  const cpu = cpus();
  const record: ReproductionRecord = {
    version: 1,
    plan,
    env: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      node: process.version,
      tfjs: tf.version.tfjs,
      backend,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model.trim() ?? 'unknown CPU',
      loadStart,
      loadEnd: loadavg()[0],
      jobs,
    },
    units: results,
    ...(merged ? { merged } : {}),
    elapsedSeconds: 0,
  };
  const analyses = analyse(results, plan.parts.map((p) => p.id));
  const figDir = join(o.out, 'figures');
  mkdirSync(figDir, { recursive: true });
  const svgs: Record<keyof FigurePaths, string | null> = {
    sweep: analyses.sweep ? sweepFigure(analyses.sweep) : null,
    sweepNormalised: analyses.sweep ? sweepFigure(analyses.sweep, true) : null,
    utilisation: analyses.utilisation ? utilisationFigure(analyses.utilisation) : null,
    seesaw: analyses.seesaw ? seesawFigure(analyses.seesaw, `seeds ${plan.seeds.join(', ')}, ${plan.parts.find((p) => p.id === 'seesaw')?.steps} steps`) : null,
    tradeoff: analyses.tradeoff ? tradeoffFigure(analyses.tradeoff, `seeds ${plan.seeds.join(', ')}, ${plan.parts.find((p) => p.id === 'tradeoff')?.steps} steps`) : null,
  };
  const figures: string[] = [];
  const rel: FigurePaths = { sweep: null, sweepNormalised: null, utilisation: null, seesaw: null, tradeoff: null };
  for (const id of FIGURE_IDS) {
    const svg = svgs[id];
    if (!svg) continue;
    const path = join(figDir, partFigureName[id]);
    writeFileSync(path, svg);
    figures.push(path);
    rel[id] = `figures/${partFigureName[id]}`;
  }
  record.elapsedSeconds = (performance.now() - t0) / 1000;
  const report = join(o.out, o.reportName ?? 'reproduction.md');
  writeFileSync(report, buildReport(record, analyses, rel));
  const json = join(o.out, 'reproduction.json');
  const findings = allFindings(analyses).map(({ id, part, claim, verdict, rule, evidence }) => ({ id, part, claim, verdict, rule, evidence }));
  writeFileSync(json, compactRecordJson(record, findings));
  // The verdicts alone, small enough for the page's article and presets (src/components/Article.tsx).
  writeFileSync(join(o.out, 'findings.json'), JSON.stringify({ generated: record.env.date, mode: plan.mode, seeds: plan.seeds, findings }, null, 2) + '\n');
  log(`done in ${record.elapsedSeconds.toFixed(1)} s: ${resolve(report)}`);
  return { record, analyses, files: { report, json, figures } };
}
