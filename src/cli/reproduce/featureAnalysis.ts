// Feature-selection gates (preset feature-selection, the brief's Meituan
// example): sparse task features (task A on dims 1–10, task B on 11–20), CGC
// and MMoE with and without a softmax gate over the input features per task.
// Does each task's gate find its own features, and does that buy accuracy?
// Paired by seed, 2-SE rule (paired.ts).
import { pearson } from '../../core/train/featureWeights';
import type { ExperimentResults } from '../../core/types';
import { notRun, type Finding } from './findings';
import { collect, per, type MechanismAnalysis } from './mechanismAnalysis';
import { effect, paired, pse, TWO_SE_RULE, type PairedStat } from './paired';
import type { PartSeedResult } from './runSeed';

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const taskGates = (r: ExperimentResults) => (r.featureGates ?? []).filter((g) => g.id.startsWith('task:'));
const mean = (xs: (number | null)[]) => (xs.length && xs.every((x) => x !== null) ? (xs as number[]).reduce((a, b) => a + b, 0) / xs.length : null);

/** Mean over the task gates of corr(mean feature weight, |w_k|). */
export const ownCorrelation = (r: ExperimentResults): number | null => mean(taskGates(r).map((g) => finite(g.correlation)));
/** Mean over the task gates of corr(gate k, |w_k|) − mean over j ≠ k of corr(gate k, |w_j|). */
export const ownMinusCross = (r: ExperimentResults): number | null => {
  const gs = taskGates(r);
  if (gs.length < 2) return null;
  return mean(
    gs.map((g, k) => {
      const own = finite(g.correlation);
      const cross = mean(gs.filter((_, j) => j !== k).map((o) => finite(pearson(g.meanWeight, o.trueAbsWeight))));
      return own === null || cross === null ? null : own - cross;
    }),
  );
};
export const sharedCorrelation = (r: ExperimentResults): number | null => finite(r.featureGates?.find((g) => g.id === 'shared')?.correlation);

const F = {
  F1: {
    id: 'F1',
    part: 'features' as const,
    claim: "Each task's feature gate puts its weight on its task's own features: the mean feature weight over the test rows correlates positively with |w_k|, the task's true weight per input dimension.",
    source: "the brief's feature-selection gate (Meituan): tasks read different features",
    rule: `per run, the mean over task gates of Pearson r(mean feature weight, |w_k|) over the 100 input dimensions. shown if positive past 2 SE for both CGC and MMoE with feature gates; partly shown if for one; not shown otherwise. (${TWO_SE_RULE}.)`,
  },
  F2: {
    id: 'F2',
    part: 'features' as const,
    claim: "A task's feature gate prefers its own task's features to the other task's.",
    source: "the brief's feature-selection gate: \"delivery time\" matters to one business and not another",
    rule: "per run, the mean over task gates of r(gate k, |w_k|) − r(gate k, |w_j|), j the other task. shown if positive past 2 SE for both CGC and MMoE with feature gates; partly shown if for one; not shown otherwise.",
  },
  F3: {
    id: 'F3',
    part: 'features' as const,
    claim: 'Feature gates improve the task metric over the same model without them.',
    source: "the brief's feature-selection gate",
    rule: 'test MSE without − with feature gates, paired by seed, per task, for CGC and for MMoE (4 comparisons). shown if all 4 are positive past 2 SE; partly shown if at least one; not shown otherwise.',
  },
};

export function analyseFeatures(units: PartSeedResult[]): MechanismAnalysis {
  const { a, at } = collect(units, 'features', [
    ['r(feature weight, abs w_k), task gates', ownCorrelation],
    ['own − other task r', ownMinusCross],
    ['r(shared feature gate, mean abs w_k)', sharedCorrelation],
  ]);
  const withFg = ['cgc-feature-gates', 'mmoe-feature-gates'].map((v) => a.rows.find((r) => r.variant === v)).filter((r) => r !== undefined);
  const correlationFinding = (f: typeof F.F1, metric: (r: ExperimentResults) => number | null): Finding => {
    if (withFg.length === 0) return notRun(f, 'no run with feature gates');
    const ds = withFg.map((row) => ({ row, d: paired(a.seeds, per(at, row.variant, metric)) }));
    if (ds.every((x) => x.d.n === 0)) return notRun(f, 'no feature-gate statistics in these results');
    const k = ds.filter((x) => effect(x.d) === 'positive').length;
    return { ...f, verdict: k === ds.length && ds.length === 2 ? 'shown' : k > 0 ? 'partly shown' : 'not shown', evidence: ds.map((x) => `${x.row.label} ${pse(x.d, 3)}`).join('; ') + '.' };
  };
  const improvement = (): Finding => {
    const pairs = [
      ['cgc', 'cgc-feature-gates'],
      ['mmoe', 'mmoe-feature-gates'],
    ] as const;
    const ds: { label: string; d: PairedStat }[] = [];
    for (const [base, fg] of pairs) {
      const b = a.rows.find((r) => r.variant === base);
      const g = a.rows.find((r) => r.variant === fg);
      if (!b || !g) continue;
      a.taskNames.forEach((name, k) => {
        const mse = (r: ExperimentResults) => finite(r.test?.[k]?.mse);
        ds.push({ label: `${b.label} on ${name}`, d: paired(a.seeds, per(at, b.variant, mse), per(at, g.variant, mse)) });
      });
    }
    if (ds.length === 0 || ds.every((x) => x.d.n === 0)) return notRun(F.F3, 'no pair of runs with and without feature gates');
    const k = ds.filter((x) => effect(x.d) === 'positive').length;
    const worse = ds.filter((x) => effect(x.d) === 'negative').length;
    return {
      ...F.F3,
      verdict: k === ds.length ? 'shown' : k > 0 ? 'partly shown' : 'not shown',
      evidence: ds.map((x) => `${x.label}: MSE without − with ${pse(x.d)}`).join('; ') + `.${worse ? ` ${worse} of ${ds.length} are worse with feature gates past 2 SE.` : ''}`,
    };
  };
  a.findings = [correlationFinding(F.F1, ownCorrelation), correlationFinding(F.F2, ownMinusCross), improvement()];
  return a;
}
