// Evaluation metrics (SPEC §4) on plain arrays: MSE, exact AUC, log-loss from
// logits, Pearson r, per-task metrics under the sample-space mask δ, MTL gain.
import type { TaskType } from '../config/schema';
import type { Split, TaskMetrics } from '../types';

type Num = ArrayLike<number>;

/** Indices of the rows with mask = 1 (all rows without a mask). */
function observedRows(n: number, mask?: Num): Int32Array {
  if (!mask) return Int32Array.from({ length: n }, (_, i) => i);
  let c = 0;
  for (let i = 0; i < n; i++) if (mask[i] === 1) c++;
  const idx = new Int32Array(c);
  c = 0;
  for (let i = 0; i < n; i++) if (mask[i] === 1) idx[c++] = i;
  return idx;
}

/**
 * Exact ROC AUC = P(score⁺ > score⁻) + ½·P(tie), via Mann–Whitney U with average
 * ranks; O(n log n). Labels > 0.5 are positives. NaN when a class is absent.
 */
export function auc(scores: Num, labels: Num, mask?: Num): number {
  const idx = observedRows(scores.length, mask);
  const n = idx.length;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = scores[idx[i]];
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a] - s[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && s[order[j]] === s[order[i]]) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1..j share their mean
    for (let t = i; t < j; t++)
      if (labels[idx[order[t]]] > 0.5) {
        nPos++;
        rankSumPos += avgRank;
      }
    i = j;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Mean sigmoid cross-entropy from logits z, stable for any finite z:
 * max(z, 0) − z·y + log1p(exp(−|z|)). NaN when no row is observed.
 */
export function logLoss(logits: Num, labels: Num, mask?: Num): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < logits.length; i++) {
    if (mask && mask[i] !== 1) continue;
    const z = logits[i];
    sum += Math.max(z, 0) - z * labels[i] + Math.log1p(Math.exp(-Math.abs(z)));
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/** Mean squared error; NaN when no row is observed. */
export function mse(pred: Num, target: Num, mask?: Num): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (mask && mask[i] !== 1) continue;
    const e = pred[i] - target[i];
    sum += e * e;
    n++;
  }
  return n > 0 ? sum / n : NaN;
}

/** Pearson correlation; NaN when either side is constant or empty. */
export function pearson(a: Num, b: Num): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Per-task metrics on the rows where the task is observed (mask = 1).
 * `outputs` is [n, K] row-major: predictions for regression, logits for binary.
 *
 * No NaN ever leaves this function (reports must not carry NaN):
 * - n = 0 (no observed row): `loss` is 0, the same convention as the masked
 *   training loss (an empty mask contributes nothing), and mse/auc/logloss are
 *   omitted; consumers must read `n` before trusting `loss`.
 * - a binary task whose observed rows hold a single class: `auc` is omitted
 *   (undefined), `logloss`/`loss` are still reported.
 */
export function taskMetrics(outputs: Num, split: Split, taskTypes: TaskType[], targetScale?: { std: number }[]): TaskMetrics[] {
  const K = taskTypes.length;
  const n = split.n;
  if (outputs.length !== n * K) throw new Error(`taskMetrics: outputs has ${outputs.length} values, expected ${n}×${K}`);
  return taskTypes.map((type, k) => {
    const out = new Float64Array(n);
    const y = new Float64Array(n);
    const mask = new Float64Array(n);
    let observed = 0;
    for (let i = 0; i < n; i++) {
      out[i] = outputs[i * K + k];
      y[i] = split.y[i * K + k];
      mask[i] = split.mask[i * K + k];
      if (mask[i] === 1) observed++;
    }
    if (observed === 0) return { task: k, type, loss: 0, n: 0 };
    if (type === 'regression') {
      const v = mse(out, y, mask);
      const std = targetScale?.[k]?.std ?? 1;
      return { task: k, type, loss: v, mse: v, rawMse: v * std * std, n: observed };
    }
    const ll = logLoss(out, y, mask);
    const a = auc(out, y, mask);
    const m: TaskMetrics = { task: k, type, loss: ll, logloss: ll, n: observed };
    if (Number.isFinite(a)) m.auc = a;
    return m;
  });
}

/**
 * MTL gain (SPEC §4), positive = better than the single-task model:
 * AUC: model − single; MSE: single − model. Null when either side lacks the metric.
 */
export function mtlGain(type: TaskType, model: TaskMetrics, single: TaskMetrics): number | null {
  const pick = (m: TaskMetrics) => (m.n > 0 ? (type === 'binary' ? m.auc : m.mse) : undefined);
  const a = pick(model);
  const b = pick(single);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return type === 'binary' ? a - b : b - a;
}

/**
 * ESMM's exposure space (Ma et al. 2018): on a click → conversion chain (tasks
 * 0 and 1 binary), the CVR and CTCVR AUC over EVERY row, clicked or not. The
 * generator knows the conversion label of unclicked rows too; a model trained
 * on clicked rows only never saw them (sample selection bias). pCTCVR =
 * σ(CTR logit)·σ(CVR logit), scored against click·conversion.
 */
export function exposureMetrics(outputs: Num, split: Split, K: number): { cvrAuc: number | null; ctcvrAuc: number | null; n: number } {
  const n = split.n;
  const cvrScore = new Float64Array(n);
  const cvrLabel = new Float64Array(n);
  const ctcvrScore = new Float64Array(n);
  const ctcvrLabel = new Float64Array(n);
  const sig = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
  for (let i = 0; i < n; i++) {
    const o0 = outputs[i * K];
    const o1 = outputs[i * K + 1];
    cvrScore[i] = o1;
    cvrLabel[i] = split.y[i * K + 1];
    ctcvrScore[i] = sig(o0) * sig(o1);
    ctcvrLabel[i] = split.y[i * K] * split.y[i * K + 1];
  }
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  return { cvrAuc: fin(auc(cvrScore, cvrLabel)), ctcvrAuc: fin(auc(ctcvrScore, ctcvrLabel)), n };
}
