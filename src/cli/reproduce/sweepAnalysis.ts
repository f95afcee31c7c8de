// Part 1, the MMoE paper's correlation sweep: final test MSE (mean over the
// two regression tasks) per model and task correlation p, over seeds.
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { notRun, type Finding } from './findings';
import type { PartSeedResult } from './runSeed';
import { effect, paired, pse } from './paired';
import { num, pm, stat, type Stat } from './stats';

export interface SweepCell {
  model: ModelType;
  label: string;
  p: number;
  perSeed: { seed: number; value: number | null }[];
  stat: Stat;
}

export interface SweepAnalysis {
  models: { model: ModelType; label: string; params: number | null }[];
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
  seeds: number[];
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
      'per model, the degradation Δ = normalised test MSE (MSE / label variance) at the lowest p − at the highest p, paired by seed. ' +
      'shown if Δ > 2 SE for every model; partly shown if for at least one; not shown otherwise.',
  },
  S2: {
    id: 'S2',
    part: 'sweep' as const,
    claim: 'Shared-Bottom degrades most as p falls, OMoE less, MMoE least.',
    source: 'MMoE paper, synthetic-data experiment (SPEC §5)',
    rule:
      'degradation Δ = normalised test MSE (MSE / label variance) at the lowest p − at the highest p, per seed. Two comparisons, paired by seed: Δ(Shared-Bottom) − Δ(OMoE) and Δ(OMoE) − Δ(MMoE). ' +
      'shown if both mean differences are positive by more than 2 SE; partly shown if one is; not shown otherwise.',
  },
  S3: {
    id: 'S3',
    part: 'sweep' as const,
    claim: 'Over many seeds, Shared-Bottom has the widest spread of final loss.',
    source: 'MMoE paper, trainability histograms (SPEC §5)',
    rule:
      'at each p, the variance over seeds of the normalised final test MSE of Shared-Bottom against each other model, as a ratio. ' +
      'A ratio counts only above the one-sided 95% point of the F distribution with (seeds − 1, seeds − 1) degrees of freedom (6.39 at 5 seeds): with few seeds, spreads differ a lot by chance. ' +
      'shown if Shared-Bottom\'s ratio against both others counts at every p; partly shown if at some p; not shown otherwise.',
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
  const models: { model: ModelType; label: string; params: number | null }[] = [];
  for (const r of runs) if (!models.some((m) => m.model === r.results.model)) models.push({ model: r.results.model, label: r.label.replace(/ p=.*$/, ''), params: r.results.params ?? null });
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
  const analysis: SweepAnalysis = { models, ps, cells, normCells, labelCorrelation, degradation, seeds, findings: [] };
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
  const rows = a.degradation.map((d) => {
    const p = paired(a.seeds, (seed) => d.perSeed.find((x) => x.seed === seed)?.value ?? null);
    return { label: d.label, p, e: effect(p) };
  });
  const k = rows.filter((r) => r.e === 'positive').length;
  const verdict = k === rows.length && k > 0 ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
  const evidence = rows.map((r) => `${r.label} Δ = ${pse(r.p)}${r.e === 'positive' ? ' (worse past 2 SE)' : r.e === 'negative' ? ' (better past 2 SE)' : ' (no effect past 2 SE)'}`).join('; ');
  return { ...BASE.S1, verdict, evidence: `normalised test MSE at p = ${a.ps[a.ps.length - 1]?.toFixed(1)} − at p = ${a.ps[0]?.toFixed(1)}, paired by seed: ${evidence}.` };
}

function s2(a: SweepAnalysis): Finding {
  const d = (m: ModelType) => a.degradation.find((x) => x.model === m)!;
  const at = (m: ModelType) => (seed: number) => d(m).perSeed.find((x) => x.seed === seed)?.value ?? null;
  const seeds = a.seeds;
  const c1 = paired(seeds, at('shared-bottom'), at('omoe'));
  const c2 = paired(seeds, at('omoe'), at('mmoe'));
  const k = [c1, c2].filter((c) => effect(c) === 'positive').length;
  const verdict = k === 2 ? 'shown' : k === 1 ? 'partly shown' : 'not shown';
  const evidence =
    `Δ over seeds: ${a.degradation.map((x) => `${x.label} ${pm(x.stat, 4, true)}`).join(', ')}. ` +
    `Paired differences: Δ(Shared-Bottom) − Δ(OMoE) = ${pse(c1)}; Δ(OMoE) − Δ(MMoE) = ${pse(c2)}.`;
  return { ...BASE.S2, verdict, evidence };
}

/** One-sided 95% points of F(n, n) for n = 1..12 (variance ratio of two samples of n + 1). */
const F95: Record<number, number> = { 1: 161.4, 2: 19.0, 3: 9.28, 4: 6.39, 5: 5.05, 6: 4.28, 7: 3.79, 8: 3.44, 9: 3.18, 10: 2.98, 11: 2.82, 12: 2.69 };

function s3(a: SweepAnalysis): Finding {
  const per = a.ps.map((p) => {
    const sd = (m: ModelType) => cell(a, m, p)?.stat ?? null;
    const sb = sd('shared-bottom');
    const others = a.models.filter((m) => m.model !== 'shared-bottom').map(({ model, label }) => {
      const o = sd(model);
      const df = Math.min(sb?.n ?? 0, o?.n ?? 0) - 1;
      const ratio = sb?.std && o?.std ? (sb.std / o.std) ** 2 : null;
      const crit = F95[df] ?? null;
      return { label, ratio, crit, counts: ratio !== null && crit !== null && ratio > crit };
    });
    return { p, others, all: others.length > 0 && others.every((o) => o.counts) };
  });
  const k = per.filter((x) => x.all).length;
  const verdict = k === per.length && k > 0 ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
  const evidence =
    `variance ratio Shared-Bottom / other (95% F point) — ` +
    per.map((x) => `p=${x.p.toFixed(1)}: ${x.others.map((o) => `vs ${o.label} ${num(o.ratio, 2)} (${num(o.crit, 2)})`).join(', ')}`).join('; ') +
    `. Shared-Bottom's spread is significantly the widest at ${k} of ${per.length} p values.`;
  return { ...BASE.S3, verdict, evidence };
}
