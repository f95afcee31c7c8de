// Score fusion at serving time (the brief's online scoring question): a ranking
// system combines the task predictions p_k of a row into one score,
//   additive        s = Σ_k w_k · p_k
//   multiplicative  s = Π_k p_k^{w_k}   (the PLE paper's online formula; ranked by its log Σ_k w_k·log p_k)
// and each task's test labels are scored under that ONE ranking: AUC for a
// binary task, Spearman's rank correlation for a regression task (on the rows
// where the task is observed). Top-k rows under both fusions and how many they
// share show where the two formulas disagree.
//
// p_k: a binary task's predicted probability σ(logit) (clamped to [1e-6, 1 − 1e-6]
// so log p is finite). A regression prediction is not a probability: p_k is its
// percentile rank among the test rows, (average rank − ½) / n ∈ (0, 1), a
// monotone, scale-free map, so a regression task neither dominates the additive
// sum by its scale nor makes log p undefined by a negative value.
import type { TaskType } from '../config/schema';
import { auc } from '../train/metrics';

export type FusionMode = 'additive' | 'multiplicative';
export const FUSION_MODES: readonly FusionMode[] = ['additive', 'multiplicative'];

export interface FusionInput {
  types: TaskType[];
  /** Per task, one value per row: a probability (binary) or a predicted value (regression). */
  scores: ArrayLike<number>[];
  /** Per task, one label per row. */
  labels: ArrayLike<number>[];
  /** Per task, 1 where the label is observed (absent: every row). */
  observed?: ArrayLike<number>[];
}

const EPS = 1e-6;

/** Average ranks (1-based, ties share their mean) of the values. */
export function averageRanks(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && v[order[j]] === v[order[i]]) j++;
    const avg = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) r[order[t]] = avg;
    i = j;
  }
  return r;
}

/** Spearman's rank correlation (Pearson r of average ranks) on the observed rows; NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>, mask?: ArrayLike<number>): number {
  const idx: number[] = [];
  for (let i = 0; i < a.length; i++) if (!mask || mask[i] === 1) idx.push(i);
  const ra = averageRanks(idx.map((i) => a[i]));
  const rb = averageRanks(idx.map((i) => b[i]));
  const n = idx.length;
  if (n < 2) return NaN;
  const m = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - m) * (rb[i] - m);
    saa += (ra[i] - m) ** 2;
    sbb += (rb[i] - m) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** p_k per row (see the header): probabilities for binary tasks, percentile ranks for regression. */
export function fusionProbabilities(input: FusionInput): Float64Array[] {
  return input.types.map((type, k) => {
    const s = input.scores[k];
    const n = s.length;
    if (type === 'binary') return Float64Array.from({ length: n }, (_, i) => Math.min(1 - EPS, Math.max(EPS, s[i])));
    const r = averageRanks(s);
    return Float64Array.from({ length: n }, (_, i) => (r[i] - 0.5) / n);
  });
}

/** The fused score of every row (multiplicative: its log, the same ranking). Weights must be ≥ 0. */
export function fuse(p: Float64Array[], weights: number[], mode: FusionMode): Float64Array {
  const n = p[0]?.length ?? 0;
  const s = new Float64Array(n);
  p.forEach((pk, k) => {
    const w = weights[k] ?? 0;
    if (!(w > 0)) return;
    for (let i = 0; i < n; i++) s[i] += mode === 'additive' ? w * pk[i] : w * Math.log(pk[i]);
  });
  return s;
}

/** Indices of the k highest scores, best first (ties: the lower row index first). */
export function topK(score: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: score.length }, (_, i) => i)
    .sort((a, b) => score[b] - score[a] || a - b)
    .slice(0, Math.min(k, score.length));
}

/** A task's metric under a ranking score: AUC (binary) or Spearman (regression), observed rows only. */
export function taskMetricUnder(score: ArrayLike<number>, input: FusionInput, k: number): number {
  const mask = input.observed?.[k];
  return input.types[k] === 'binary' ? auc(score, input.labels[k], mask) : spearman(score, input.labels[k], mask);
}

export interface FusionTaskRow {
  task: number;
  type: TaskType;
  metric: 'auc' | 'spearman';
  weight: number;
  /** The task's own prediction as the ranking (no fusion). */
  own: number;
  additive: number;
  multiplicative: number;
}

export interface FusionTable {
  weights: number[];
  tasks: FusionTaskRow[];
  k: number;
  /** Test row indices (0-based) of the top k under each fusion, best first. */
  topAdditive: number[];
  topMultiplicative: number[];
  /** Rows in both top-k lists. */
  shared: number;
}

export const TOP_K = 20;

export function fusionTable(input: FusionInput, weights: number[], k = TOP_K): FusionTable {
  const p = fusionProbabilities(input);
  const add = fuse(p, weights, 'additive');
  const mul = fuse(p, weights, 'multiplicative');
  const tasks = input.types.map((type, t): FusionTaskRow => ({
    task: t,
    type,
    metric: type === 'binary' ? 'auc' : 'spearman',
    weight: weights[t] ?? 0,
    own: taskMetricUnder(p[t], input, t),
    additive: taskMetricUnder(add, input, t),
    multiplicative: taskMetricUnder(mul, input, t),
  }));
  const topAdditive = topK(add, k);
  const topMultiplicative = topK(mul, k);
  const inMul = new Set(topMultiplicative);
  return { weights: [...weights], tasks, k, topAdditive, topMultiplicative, shared: topAdditive.filter((i) => inMul.has(i)).length };
}

const csvCell = (v: string | number) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The fusion table as CSV: one row per task,
 * `task,name,type,metric,weight,own,additive,multiplicative,top_k,top_k_shared`
 * (tasks numbered from 1; the last two columns repeat on every row).
 */
export function fusionCsv(t: FusionTable, names: string[] = []): string {
  const header = ['task', 'name', 'type', 'metric', 'weight', 'own', 'additive', 'multiplicative', 'top_k', 'top_k_shared'];
  const rows = t.tasks.map((r) => [r.task + 1, names[r.task] ?? `task ${r.task + 1}`, r.type, r.metric, r.weight, r.own, r.additive, r.multiplicative, t.k, t.shared]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
