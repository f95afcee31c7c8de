// The parts that each show one mechanism behind a paper's phenomenon
// (issue "Presets whose claims are measured"): gates routing by region under
// a sample-dependent task relationship, negative transfer from overfitting at
// small data, and ESMM on the exposure space. Every finding is a paired
// comparison over seeds with the 2-SE rule (paired.ts).
import type { ModelType } from '../../core/config/schema';
import type { ExperimentResults } from '../../core/types';
import { notRun, type Finding } from './findings';
import { effect, paired, pse, TWO_SE_RULE, type PairedStat } from './paired';
import type { PartId } from './plan';
import type { PartSeedResult } from './runSeed';
import { stat, type Stat } from './stats';

export interface MechanismRow {
  variant: string;
  label: string;
  model: ModelType;
  params: number | null;
  /** Test metric per task over seeds: MSE (regression) or AUC (binary). */
  metric: { name: 'mse' | 'auc'; stat: Stat }[];
  /** MTL gain per task, paired with the single-task run of each seed (null without a baseline). */
  gain: (PairedStat | null)[];
  /** Best validation step over seeds. */
  bestStep: Stat;
  /** Extra per-row numbers a part reports (name → stat). */
  extra: Record<string, Stat>;
}

export interface MechanismAnalysis {
  part: PartId;
  seeds: number[];
  taskNames: string[];
  rows: MechanismRow[];
  /** Column titles of `extra`, in order. */
  extraColumns: string[];
  /** One or two sentences of measured context (e.g. region label correlations). */
  notes: string[];
  findings: Finding[];
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export type Result = (variant: string, seed: number) => ExperimentResults | undefined;

export function collect(units: PartSeedResult[], part: PartId, extras: [string, (r: ExperimentResults) => number | null][]): { a: MechanismAnalysis; at: Result } {
  const seeds = [...new Set(units.map((u) => u.seed))].sort((x, y) => x - y);
  const at: Result = (variant, seed) => {
    const r = units.find((u) => u.seed === seed)?.runs.find((x) => x.variant === variant)?.results;
    return r && r.status === 'done' ? r : undefined;
  };
  const first = units.flatMap((u) => u.runs)[0]?.results;
  const tasks = first?.config.data.tasks ?? [];
  const variants: { variant: string; label: string; model: ModelType }[] = [];
  for (const u of units) for (const r of u.runs) if (!variants.some((v) => v.variant === r.variant)) variants.push({ variant: r.variant, label: r.label, model: r.results.model });
  const rows = variants.map((v): MechanismRow => {
    const rs = seeds.map((s) => at(v.variant, s));
    const any = rs.find((r) => r);
    return {
      ...v,
      params: any?.params ?? null,
      metric: tasks.map((t, k) => {
        const name: 'mse' | 'auc' = t.type === 'binary' ? 'auc' : 'mse';
        return { name, stat: stat(rs.map((r) => finite(r?.test?.[k]?.[name]))) };
      }),
      gain: tasks.map((_, k) => (rs.some((r) => r?.mtlGain) ? paired(seeds, (s) => finite(at(v.variant, s)?.mtlGain?.[k])) : null)),
      bestStep: stat(rs.map((r) => r?.bestStep ?? null)),
      extra: Object.fromEntries(extras.map(([name, f]) => [name, stat(rs.map((r) => (r ? f(r) : null)))])),
    };
  });
  return {
    a: { part, seeds, taskNames: tasks.map((t, k) => t.name ?? `task ${k + 1}`), rows, extraColumns: extras.map(([n]) => n), notes: [], findings: [] },
    at,
  };
}

export const per = (at: Result, variant: string, f: (r: ExperimentResults) => number | null) => (seed: number) => {
  const r = at(variant, seed);
  return r ? f(r) : null;
};

// ---------- gates routing by region (preset mmoe-vs-cgc) ----------

const R = {
  R1: {
    id: 'R1',
    part: 'regional' as const,
    claim: "MMoE's gate for the task whose relationship changes between regions routes the two regions to different experts; the other task's gate does not.",
    source: 'PLE paper §3 ("complex correlation"); trial measurement in SPEC §1 (L1 1.09 ± 0.08 against 0.07)',
    rule: `region L1 of a gate = Σ_e |mean weight on expert e in region 0 − in region 1| over the test rows. Paired by seed: task B's gate − task A's gate. shown if positive past 2 SE; not shown otherwise. (${TWO_SE_RULE}.)`,
  },
  R2: {
    id: 'R2',
    part: 'regional' as const,
    claim: "CGC's task-B gate also routes by region: it moves weight between its own expert and the shared one across the boundary.",
    source: 'trial measurement in SPEC §1 (CGC task-B gate: shared expert 0.8–0.9 in one region, own expert in the other, 4 of 5 seeds)',
    rule: "as R1 for CGC's task gates. shown if positive past 2 SE; not shown otherwise.",
  },
};

const regionL1 = (gate: string) => (r: ExperimentResults) => finite(r.gateStats[0]?.gates.find((g) => g.id === gate)?.regionL1);

export function analyseRegional(units: PartSeedResult[]): MechanismAnalysis {
  const { a, at } = collect(units, 'regional', [
    ['gate A region L1', regionL1('task:0')],
    ['gate B region L1', regionL1('task:1')],
  ]);
  const r0 = units.flatMap((u) => u.runs).map((x) => x.results.data.regionLabelCorrelation).filter((c): c is number[][][] => Array.isArray(c) && c.length === 2);
  if (r0.length) {
    const corr = [0, 1].map((j) => stat(r0.map((c) => c[j]?.[0]?.[1])));
    a.notes.push(
      `Measured Pearson r of the two tasks' targets (training split, mean ± std over seeds): region 0 ${corr[0].mean?.toFixed(2)} ± ${corr[0].std?.toFixed(2)}, region 1 ${corr[1].mean?.toFixed(2)} ± ${corr[1].std?.toFixed(2)}.`,
    );
  }
  const find = (model: ModelType, f: typeof R.R1) => {
    const row = a.rows.find((x) => x.model === model);
    if (!row) return notRun(f, `no ${model} run`);
    const d = paired(a.seeds, per(at, row.variant, regionL1('task:1')), per(at, row.variant, regionL1('task:0')));
    if (d.n === 0) return notRun(f, 'no region statistics (is the generator regional?)');
    return {
      ...f,
      verdict: effect(d) === 'positive' ? ('shown' as const) : ('not shown' as const),
      evidence: `${row.label}: gate B ${pm2(row.extra['gate B region L1'])}, gate A ${pm2(row.extra['gate A region L1'])}; B − A paired ${pse(d, 3)}.`,
    };
  };
  a.findings = [find('mmoe', R.R1), find('cgc', R.R2)];
  return a;
}

const pm2 = (s: Stat) => (s.mean === null ? 'n/a' : `${s.mean.toFixed(3)}${s.std === null ? '' : ` ± ${s.std.toFixed(3)}`}`);

// ---------- negative transfer from overfitting (preset negative-transfer) ----------

const N = {
  N1: {
    id: 'N1',
    part: 'negative' as const,
    claim: 'A large MMoE read at its last step does worse than single-task on the binary task: negative transfer.',
    source: 'issue "Presets whose claims are measured": overfitting at 2,000–8,000 rows cost the larger gated models 4–7 AUC points',
    rule: 'MTL gain of "MMoE (last step)" on the binary task (AUC, paired with single-task by seed). shown if negative past 2 SE; partly shown if negative past 2 SE on the regression task only; not shown otherwise.',
  },
  N2: {
    id: 'N2',
    part: 'negative' as const,
    claim: 'Early stopping (the weights of the best validation step) removes that loss.',
    source: 'SPEC §4, model selection',
    rule: 'on the binary task: shown if MMoE at its best validation step − at its last step, paired by seed, is positive past 2 SE and its gain is not negative past 2 SE; partly shown if only the improvement holds; not shown otherwise.',
  },
  N3: {
    id: 'N3',
    part: 'negative' as const,
    claim: 'Smaller experts (16 units instead of 64) overfit less: at the last step they lose less than the large MMoE.',
    source: 'issue "Presets whose claims are measured": the cure by smaller experts',
    rule: 'on the binary task, last step: shown if the small-expert MMoE − the large one, paired by seed, is positive past 2 SE and the small one\'s gain is not negative past 2 SE; partly shown if only the improvement holds; not shown otherwise.',
  },
};

export function analyseNegative(units: PartSeedResult[]): MechanismAnalysis {
  const { a, at } = collect(units, 'negative', []);
  const bin = a.rows[0]?.metric.findIndex((m) => m.name === 'auc') ?? -1;
  const reg = a.rows[0]?.metric.findIndex((m) => m.name === 'mse') ?? -1;
  const row = (variant: string) => a.rows.find((r) => r.variant === variant);
  const gainK = (variant: string, k: number) => per(at, variant, (r) => finite(r.mtlGain?.[k]));
  const last = row('mmoe-last-step');
  const best = row('mmoe');
  const small = row('mmoe-small');
  const n1 = (): Finding => {
    if (!last || bin < 0) return notRun(N.N1, 'no MMoE (last step) run or no binary task');
    const gb = paired(a.seeds, gainK(last.variant, bin));
    const gr = reg >= 0 ? paired(a.seeds, gainK(last.variant, reg)) : null;
    const verdict = effect(gb) === 'negative' ? 'shown' : gr && effect(gr) === 'negative' ? 'partly shown' : 'not shown';
    return { ...N.N1, verdict, evidence: `MMoE (last step) gain: ${a.taskNames[bin]} ${pse(gb)}${gr ? `; ${a.taskNames[reg]} ${pse(gr)}` : ''}.` };
  };
  const cure = (f: typeof N.N2, better: MechanismRow | undefined, worse: MechanismRow | undefined): Finding => {
    if (!better || !worse || bin < 0) return notRun(f, 'a variant of this comparison did not run');
    const d = paired(a.seeds, gainK(better.variant, bin), gainK(worse.variant, bin));
    const after = paired(a.seeds, gainK(better.variant, bin));
    const improved = effect(d) === 'positive';
    const verdict = improved && effect(after) !== 'negative' ? 'shown' : improved ? 'partly shown' : 'not shown';
    return { ...f, verdict, evidence: `${a.taskNames[bin]} gain: ${worse.label} ${pse(paired(a.seeds, gainK(worse.variant, bin)))}, ${better.label} ${pse(after)}; paired improvement ${pse(d)}.` };
  };
  a.findings = [n1(), cure(N.N2, best, last), cure(N.N3, small, last)];
  return a;
}

// ---------- ESMM on the exposure space (preset esmm) ----------

const E = {
  E1: {
    id: 'E1',
    part: 'esmm' as const,
    claim: 'Scored on every exposure, ESMM\'s CVR beats the models that learnt CVR from clicked rows only (Shared-Bottom, MMoE).',
    source: 'ESMM paper (Ma et al. 2018): sample selection bias; the entire-space model',
    rule: 'CVR AUC on all test exposures, paired by seed: ESMM − Shared-Bottom and ESMM − MMoE. shown if both positive past 2 SE; partly shown if one; not shown otherwise.',
  },
  E2: {
    id: 'E2',
    part: 'esmm' as const,
    claim: 'ESMM\'s pCTCVR = pCTR·pCVR ranks click-and-convert better on every exposure.',
    source: 'ESMM paper: CTCVR on the entire space',
    rule: 'CTCVR AUC (score σ(CTR)·σ(CVR), label click·conversion) on all test exposures, paired by seed: ESMM − Shared-Bottom and ESMM − MMoE. shown if both positive past 2 SE; partly shown if one; not shown otherwise.',
  },
  E3: {
    id: 'E3',
    part: 'esmm' as const,
    claim: 'ESMM over a CGC bottom (task-specific and shared experts) ranks better on every exposure than ESMM over a shared bottom.',
    source: 'the brief\'s Meituan hybrid (ESMM structure, CGC body)',
    rule: 'CVR AUC and CTCVR AUC on all test exposures, paired by seed: ESMM over CGC − ESMM. shown if both positive past 2 SE; partly shown if one; not shown otherwise.',
  },
};

const cvrAll = (r: ExperimentResults) => finite(r.exposure?.cvrAuc);
const ctcvrAll = (r: ExperimentResults) => finite(r.exposure?.ctcvrAuc);

export function analyseEsmm(units: PartSeedResult[]): MechanismAnalysis {
  const { a, at } = collect(units, 'esmm', [
    ['CVR AUC, all exposures', cvrAll],
    ['CTCVR AUC, all exposures', ctcvrAll],
  ]);
  const esmm = a.rows.find((r) => r.variant === 'esmm') ?? a.rows.find((r) => r.model === 'esmm');
  const esmmCgc = a.rows.find((r) => r.variant === 'esmm-cgc');
  const others = a.rows.filter((r) => r.model === 'shared-bottom' || r.model === 'mmoe');
  const vs = (f: typeof E.E1, metric: (r: ExperimentResults) => number | null): Finding => {
    if (!esmm || others.length === 0) return notRun(f, 'no ESMM run, or nothing to compare it with');
    const ds = others.map((o) => ({ o, d: paired(a.seeds, per(at, esmm.variant, metric), per(at, o.variant, metric)) }));
    if (ds.every((x) => x.d.n === 0)) return notRun(f, 'no exposure-space metrics in these results');
    const k = ds.filter((x) => effect(x.d) === 'positive').length;
    const verdict = k === ds.length ? 'shown' : k > 0 ? 'partly shown' : 'not shown';
    return { ...f, verdict, evidence: ds.map((x) => `ESMM − ${x.o.label} ${pse(x.d)}`).join('; ') + '.' };
  };
  const hybrid = (): Finding => {
    if (!esmm || !esmmCgc) return notRun(E.E3, 'no ESMM-over-CGC run, or no ESMM run to compare it with');
    const ds = [cvrAll, ctcvrAll].map((m) => paired(a.seeds, per(at, esmmCgc.variant, m), per(at, esmm.variant, m)));
    if (ds.every((d) => d.n === 0)) return notRun(E.E3, 'no exposure-space metrics in these results');
    const k = ds.filter((d) => effect(d) === 'positive').length;
    const worse = ds.filter((d) => effect(d) === 'negative').length;
    return {
      ...E.E3,
      verdict: k === 2 ? 'shown' : k === 1 ? 'partly shown' : 'not shown',
      evidence: `ESMM over CGC − ESMM: CVR AUC (all exposures) ${pse(ds[0])}; CTCVR AUC (all exposures) ${pse(ds[1])}${worse ? ` (${worse} of 2 worse past 2 SE)` : ''}.`,
    };
  };
  a.findings = [vs(E.E1, cvrAll), vs(E.E2, ctcvrAll), hybrid()];
  return a;
}
