// Part 1, the MMoE paper's correlation sweep: final test MSE (mean over the
// two regression tasks) per model and task correlation p, over seeds.
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { notRun, type Finding } from './findings';
import type { PartSeedResult } from './runSeed';
import { clearlyPositive, num, pm, se, signed, stat, type Stat } from './stats';

export interface SweepCell {
  model: ModelType;
  label: string;
  p: number;
  perSeed: { seed: number; value: number | null }[];
  stat: Stat;
}

export interface SweepAnalysis {
  models: { model: ModelType; label: string }[];
  /** Requested correlations, highest first. */
  ps: number[];
  /** Test MSE, mean over the two tasks (the page's sweep chart). */
  cells: SweepCell[];
  /**
   * Test MSE / variance of the task's test labels (= 1 − R²), mean over the
   * two tasks. Seeds draw different sine terms, so their label variance (and
   * every model's MSE) differs several-fold between seeds; the findings use
   * this scale-free form so one high-variance seed does not decide them.
   */
  normCells: SweepCell[];
  /** Measured Pearson r of the two regression targets (training split) per p, over seeds. */
  labelCorrelation: { p: number; stat: Stat }[];
  /** Per model: normalised test MSE at the lowest p minus at the highest p, paired by seed. */
  degradation: { model: ModelType; label: string; perSeed: { seed: number; value: number }[]; stat: Stat }[];
  findings: Finding[];
}

/** Mean test MSE over the regression tasks (what the MMoE paper and the app's sweep chart plot). */
export function meanTestMse(r: ExperimentResults): number | null {
  if (r.status !== 'done') return null;
  const v = (r.test ?? []).filter((m) => m.type === 'regression' && typeof m.mse === 'number' && Number.isFinite(m.mse)).map((m) => m.mse as number);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

const BASE = {
  S1: {
    id: 'S1',
    part: 'sweep' as const,
    claim: 'Every model does worse as the task correlation p falls.',
    source: 'MMoE paper, synthetic-data experiment (SPEC §5)',
    rule:
      'on the normalised test MSE (MSE / label variance, mean over tasks and seeds): shown if, for every model, it rises at each step p = 1.0 → 0.9 → 0.8 → 0.5; ' +
      'partly shown if at least one model has a higher value at the lowest p than at the highest; not shown otherwise.',
  },
  S2: {
    id: 'S2',
    part: 'sweep' as const,
    claim: 'Shared-Bottom degrades most as p falls, OMoE less, MMoE least.',
    source: 'MMoE paper, synthetic-data experiment (SPEC §5)',
    rule:
      'degradation Δ = normalised test MSE (MSE / label variance) at the lowest p − at the highest p, per seed. Two comparisons, paired by seed: Δ(Shared-Bottom) − Δ(OMoE) and Δ(OMoE) − Δ(MMoE). ' +
      'shown if both mean differences are positive by more than one standard error; partly shown if at least one mean difference is positive; not shown otherwise.',
  },
  S3: {
    id: 'S3',
    part: 'sweep' as const,
    claim: 'Over many seeds, Shared-Bottom has the widest spread of final loss.',
    source: 'MMoE paper, trainability histograms (SPEC §5)',
    rule:
      'at each p, compare the standard deviation over seeds of the normalised final test MSE (MSE / label variance) of the three models. ' +
      'shown if Shared-Bottom has the largest at every p; partly shown if at half of the p values or more; not shown otherwise.',
  },
};

/** Mean over regression tasks of MSE / label variance (1 − R²). */
export function meanNormalisedMse(r: ExperimentResults, variance: (number | null)[]): number | null {
  if (r.status !== 'done') return null;
  const v = (r.test ?? []).flatMap((m, k) => {
    const s = variance[k];
    return m.type === 'regression' && typeof m.mse === 'number' && Number.isFinite(m.mse) && s !== null && s !== undefined && s > 0 ? [m.mse / s] : [];
  });
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

export function analyseSweep(units: PartSeedResult[]): SweepAnalysis {
  const runs = units.flatMap((u) => u.runs.map((r) => ({ seed: u.seed, ...r })));
  const models: { model: ModelType; label: string }[] = [];
  for (const r of runs) if (!models.some((m) => m.model === r.results.model)) models.push({ model: r.results.model, label: r.label.replace(/ p=.*$/, '') });
  const ps = [...new Set(runs.map((r) => r.results.config.data.correlation))].sort((a, b) => b - a);
  const seeds = [...new Set(units.map((u) => u.seed))].sort((a, b) => a - b);
  const find = (model: ModelType, p: number, seed: number) =>
    runs.find((x) => x.seed === seed && x.results.model === model && x.results.config.data.correlation === p);
  const raw = (model: ModelType, p: number, seed: number): number | null => {
    const r = find(model, p, seed);
    return r ? meanTestMse(r.results) : null;
  };
  const value = (model: ModelType, p: number, seed: number): number | null => {
    const r = find(model, p, seed);
    return r ? meanNormalisedMse(r.results, r.testLabelVariance) : null;
  };
  const table = (f: typeof raw): SweepCell[] =>
    models.flatMap(({ model, label }) =>
      ps.map((p) => {
        const perSeed = seeds.map((seed) => ({ seed, value: f(model, p, seed) }));
        return { model, label, p, perSeed, stat: stat(perSeed.map((s) => s.value)) };
      }),
    );
  const cells = table(raw);
  const normCells = table(value);
  const labelCorrelation = ps.map((p) => ({
    p,
    stat: stat(
      seeds.map((seed) => {
        const r = runs.find((x) => x.seed === seed && x.results.config.data.correlation === p);
        return r ? r.results.data.labelCorrelation[0]?.[1] : null;
      }),
    ),
  }));
  const hi = ps[0];
  const lo = ps[ps.length - 1];
  const degradation = models.map(({ model, label }) => {
    const perSeed = seeds
      .map((seed) => ({ seed, a: value(model, lo, seed), b: value(model, hi, seed) }))
      .filter((s): s is { seed: number; a: number; b: number } => s.a !== null && s.b !== null)
      .map((s) => ({ seed: s.seed, value: s.a - s.b }));
    return { model, label, perSeed, stat: stat(perSeed.map((s) => s.value)) };
  });
  const analysis: SweepAnalysis = { models, ps, cells, normCells, labelCorrelation, degradation, findings: [] };
  analysis.findings = sweepFindings(analysis);
  return analysis;
}

const cell = (a: SweepAnalysis, model: string, p: number) => a.normCells.find((c) => c.model === model && c.p === p);

function sweepFindings(a: SweepAnalysis): Finding[] {
  const need: ModelType[] = ['shared-bottom', 'omoe', 'mmoe'];
  const have = need.every((m) => a.models.some((x) => x.model === m)) && a.ps.length >= 2 && a.normCells.some((c) => c.stat.n > 0);
  if (!have) return [notRun(BASE.S1), notRun(BASE.S2), notRun(BASE.S3)];
  const spread = a.normCells.every((c) => c.stat.n >= 2);
  return [s1(a), s2(a), spread ? s3(a) : notRun(BASE.S3, 'a spread over seeds needs at least 2 finished seeds per model and p')];
}

function s1(a: SweepAnalysis): Finding {
  const rows = a.models.map(({ model, label }) => {
    const means = a.ps.map((p) => cell(a, model, p)?.stat.mean ?? null);
    const monotone = means.every((m, i) => m !== null && (i === 0 || m > (means[i - 1] as number)));
    const first = means[0];
    const last = means[means.length - 1];
    const worse = first !== null && last !== null && last > first;
    return { label, means, monotone, worse };
  });
  const verdict = rows.every((r) => r.monotone) ? 'shown' : rows.some((r) => r.worse) ? 'partly shown' : 'not shown';
  const evidence = rows
    .map((r) => `${r.label}: ${r.means.map((m, i) => `p=${a.ps[i].toFixed(1)} ${num(m)}`).join(', ')} (${r.monotone ? 'rises at every step' : r.worse ? 'higher at the lowest p, not at every step' : 'not higher at the lowest p'})`)
    .join('; ');
  return { ...BASE.S1, verdict, evidence: `normalised test MSE, mean over seeds — ${evidence}.` };
}

function s2(a: SweepAnalysis): Finding {
  const d = (m: ModelType) => a.degradation.find((x) => x.model === m)!;
  const paired = (x: ModelType, y: ModelType) => {
    const dx = d(x);
    const dy = d(y);
    const diffs = dx.perSeed.flatMap((s) => {
      const o = dy.perSeed.find((t) => t.seed === s.seed);
      return o ? [s.value - o.value] : [];
    });
    return stat(diffs);
  };
  const c1 = paired('shared-bottom', 'omoe');
  const c2 = paired('omoe', 'mmoe');
  const verdict =
    clearlyPositive(c1) && clearlyPositive(c2) ? 'shown' : (c1.mean ?? 0) > 0 || (c2.mean ?? 0) > 0 ? 'partly shown' : 'not shown';
  const fmtDiff = (s: typeof c1) => `${signed(s.mean)} (SE ${num(se(s))}, ${s.n} seeds)`;
  const evidence =
    `Δ over seeds: ${a.degradation.map((x) => `${x.label} ${pm(x.stat, 4, true)}`).join(', ')}. ` +
    `Paired differences: Δ(Shared-Bottom) − Δ(OMoE) = ${fmtDiff(c1)}; Δ(OMoE) − Δ(MMoE) = ${fmtDiff(c2)}.`;
  return { ...BASE.S2, verdict, evidence };
}

function s3(a: SweepAnalysis): Finding {
  const per = a.ps.map((p) => {
    const stds = a.models.map(({ model, label }) => ({ model, label, std: cell(a, model, p)?.stat.std ?? null }));
    const valid = stds.filter((s): s is typeof s & { std: number } => s.std !== null);
    const widest = valid.length === stds.length ? valid.reduce((b, s) => (s.std > b.std ? s : b)) : null;
    return { p, stds, sbWidest: widest?.model === 'shared-bottom' };
  });
  const k = per.filter((x) => x.sbWidest).length;
  const verdict = k === per.length ? 'shown' : k >= per.length / 2 ? 'partly shown' : 'not shown';
  const evidence =
    `Shared-Bottom has the widest spread at ${k} of ${per.length} p values. Std over seeds — ` +
    per.map((x) => `p=${x.p.toFixed(1)}: ${x.stds.map((s) => `${s.label} ${num(s.std)}`).join(', ')}`).join('; ') +
    '. For reference, std of the raw test MSE (mostly the seeds\' label variance) — ' +
    a.ps.map((p) => `p=${p.toFixed(1)}: ${a.models.map(({ model, label }) => `${label} ${num(a.cells.find((c) => c.model === model && c.p === p)?.stat.std)}`).join(', ')}`).join('; ') +
    '.';
  return { ...BASE.S3, verdict, evidence };
}
