// The calibration study (issue "Presets whose claims are measured"): every
// part of the reproduction under its preset's committed setting and under
// the alternatives of settings.ts, over the same seeds, analysed by the same
// rules. It shows where each claim is robust (past 2 SE) and where it is not,
// null results included, so a preset's setting is chosen from numbers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../wasm';
import { analyse } from '../reproduce/analyse';
import type { Finding } from '../reproduce/findings';
import { configDiff } from '../reproduce/configDiff';
import { runInChildren, runInProcess } from '../reproduce/pipeline';
import { makePlan, partPreset, PART_TITLES, QUICK_STEPS, type PartId, type PartPlan } from '../reproduce/plan';
import { allFindings } from '../reproduce/report';
import type { PartSeedResult } from '../reproduce/runSeed';
import { fmtDuration } from '../../state/format';
import { CHOICE, SETTINGS } from './settings';

export interface CalibrationOptions {
  mode: 'full' | 'quick';
  seeds: number[];
  parts: PartId[];
  jobs: number;
  out: string;
  /** Quick mode: the alternative settings tried per part (default 1). */
  quickSettings?: number;
  log?: (line: string) => void;
}

export interface CalibrationSetting {
  id: string;
  label: string;
  /** The committed preset's own setting. */
  chosen: boolean;
  /** What it changes against the preset, per variant (config paths). */
  changes: string[];
  findings: Pick<Finding, 'id' | 'claim' | 'rule' | 'verdict' | 'evidence'>[];
  runs: {
    variant: string;
    seed: number;
    model: string;
    params: number | null;
    status: string;
    bestStep: number | null;
    test: { task: number; mse?: number; rawMse?: number; auc?: number }[];
    mtlGain: (number | null)[] | null;
    exposure?: { cvrAuc: number | null; ctcvrAuc: number | null };
  }[];
}

export interface CalibrationRecord {
  version: 1;
  mode: 'full' | 'quick';
  date: string;
  seeds: number[];
  steps: Record<string, number>;
  env: { node: string; tfjs: string; cpus: number; cpuModel: string; jobs: number; loadStart: number; loadEnd: number };
  elapsedSeconds: number;
  parts: { part: PartId; title: string; preset: string; why: string; settings: CalibrationSetting[] }[];
}

export async function runCalibration(o: CalibrationOptions): Promise<CalibrationRecord> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const t0 = performance.now();
  await useWasmBackend();
  const loadStart = loadavg()[0];
  const plan = makePlan(o.mode, { parts: o.parts, seeds: o.seeds });
  const settingsOf = (id: PartId) => {
    const alt = SETTINGS[id];
    return [{ id: 'preset', label: 'the preset as committed' }, ...(o.mode === 'quick' ? alt.slice(0, o.quickSettings ?? 1) : alt)];
  };
  const units: { part: PartPlan; seed: number }[] = [];
  for (const part of plan.parts)
    for (const s of settingsOf(part.id))
      for (const seed of plan.seeds) units.push({ part: { ...part, steps: o.mode === 'quick' ? QUICK_STEPS[part.id] : part.steps, ...(s.id === 'preset' ? {} : { setting: s.id }) }, seed });
  log(`calibrate (${o.mode}): ${units.length} units over ${plan.parts.length} parts, seeds ${plan.seeds.join(',')}, ${o.jobs} process${o.jobs === 1 ? '' : 'es'}`);
  const results = o.jobs === 1 ? await runInProcess(units, log) : await runInChildren(units, o.jobs, log);
  const cpu = cpus();
  const rec: CalibrationRecord = {
    version: 1,
    mode: o.mode,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    seeds: plan.seeds,
    steps: Object.fromEntries(plan.parts.map((p) => [p.id, o.mode === 'quick' ? QUICK_STEPS[p.id] : p.steps])),
    env: { node: process.version, tfjs: tf.version.tfjs, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? 'unknown CPU', jobs: o.jobs, loadStart, loadEnd: 0 },
    elapsedSeconds: 0,
    parts: plan.parts.map((part) => {
      const base = partPreset(part.id);
      return {
        part: part.id,
        title: PART_TITLES[part.id],
        preset: base.id,
        why: CHOICE[part.id],
        settings: settingsOf(part.id).map((s) => {
          const mine: PartSeedResult[] = results.filter((r, i) => units[i].part.id === part.id && (units[i].part.setting ?? 'preset') === s.id);
          const a = analyse(mine, [part.id]);
          const preset = partPreset(part.id, s.id);
          const changes = [
            ...new Set(
              preset.variants.flatMap((v) => {
                const b = base.variants.find((x) => x.name === v.name);
                return b ? configDiff({ ...b.config } as never, { ...v.config } as never) : [];
              }),
            ),
          ];
          if (preset.variants.length < base.variants.length) changes.push(`models: ${preset.variants.map((v) => v.name).join(', ')}`);
          return {
            id: s.id,
            label: s.label,
            chosen: s.id === 'preset',
            changes,
            findings: allFindings(a).map(({ id, claim, rule, verdict, evidence }) => ({ id, claim, rule, verdict, evidence })),
            runs: mine.flatMap((u) =>
              u.runs.map((r) => ({
                variant: r.variant,
                seed: u.seed,
                model: r.results.model,
                params: r.results.params ?? null,
                status: r.results.status,
                bestStep: r.results.bestStep ?? null,
                test: (r.results.test ?? []).map((m) => ({ task: m.task, ...(m.mse !== undefined ? { mse: m.mse, rawMse: m.rawMse } : {}), ...(m.auc !== undefined ? { auc: m.auc } : {}) })),
                mtlGain: r.results.mtlGain ?? null,
                ...(r.results.exposure ? { exposure: { cvrAuc: r.results.exposure.cvrAuc, ctcvrAuc: r.results.exposure.ctcvrAuc } } : {}),
              })),
            ),
          };
        }),
      };
    }),
  };
  rec.env.loadEnd = loadavg()[0];
  rec.elapsedSeconds = (performance.now() - t0) / 1000;
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'calibration.json'), JSON.stringify(rec, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
  writeFileSync(join(o.out, 'calibration.md'), calibrationReport(rec));
  return rec;
}

const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');

export function calibrationReport(rec: CalibrationRecord): string {
  const out: string[] = [
    '# Calibration: where each preset\'s claim holds',
    '',
    `> Generated by \`npm run calibrate${rec.mode === 'quick' ? ' -- --quick' : ''}\` on ${rec.date}. Do not edit by hand: rerun the command.`,
    ...(rec.mode === 'quick' ? ['>', '> **Quick mode**: tiny step budgets for the test suite; not evidence.'] : []),
    '',
    'Each part of the reproduction (one page preset, one mechanism) is run under the preset\'s committed setting and under alternative settings, over the same seeds, ' +
      `and judged by the same rules as docs/reproduction.md: comparisons paired by seed, an effect counted only past 2 standard errors. Every result is listed, null results included. ` +
      `Seeds ${rec.seeds.join(', ')}; each seed n sets data = n, init = n + 1000, batch = n + 2000. Parameter counts per model are in calibration.json and in the reproduction's tables.`,
    '',
    '## Headline',
    '',
    table(
      ['Part (preset)', 'Setting', ...['verdicts']],
      rec.parts.flatMap((p) => p.settings.map((s) => [`${p.title} (\`${p.preset}\`)`, `${s.chosen ? '**preset**: ' : ''}${s.label}`, s.findings.map((f) => `${f.id} ${f.verdict}`).join(', ')])),
    ),
  ];
  for (const p of rec.parts) {
    out.push('', `## ${p.title} (\`${p.preset}\`, ${rec.steps[p.part]} steps)`, '', `**Why the preset uses its setting:** ${p.why}`);
    for (const s of p.settings) {
      const params = [...new Map(s.runs.map((r) => [r.variant, r.params])).entries()].map(([v, n]) => `${v} ${n ?? 'n/a'}`).join(', ');
      out.push(
        '',
        `### ${s.chosen ? 'Preset: ' : ''}${s.label}`,
        '',
        s.changes.length ? `Changes against the preset: ${s.changes.join('; ')}.` : 'The preset as committed.',
        '',
        `Parameters: ${params}.`,
        '',
        ...s.findings.flatMap((f) => [`- **${f.id}** (${f.verdict}): ${f.claim} Numbers: ${f.evidence}`]),
      );
    }
  }
  out.push(
    '',
    '## Run time',
    '',
    `${fmtDuration(rec.elapsedSeconds)} with ${rec.env.jobs} process${rec.env.jobs === 1 ? '' : 'es'} on ${rec.env.cpus} × ${rec.env.cpuModel} (1-minute load ${rec.env.loadStart.toFixed(1)} at the start, ${rec.env.loadEnd.toFixed(1)} at the end), Node ${rec.env.node}, TF.js ${rec.env.tfjs} (wasm). ` +
      'Cut to stay within 30 minutes on 2 cores: the seesaw\'s alternative settings train only the models its findings read (single-task, Shared-Bottom with and without uncertainty weighting, MMoE, CGC, PLE), and each part tries 2–4 alternatives, one change at a time.',
  );
  return out.join('\n') + '\n';
}

/** calibration.md again from calibration.json, with the current reasons (CHOICE) per part. */
export function renderCalibration(dir: string): void {
  const rec = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')) as CalibrationRecord;
  for (const p of rec.parts) p.why = CHOICE[p.part];
  writeFileSync(join(dir, 'calibration.json'), JSON.stringify(rec) + '\n');
  writeFileSync(join(dir, 'calibration.md'), calibrationReport(rec));
}
