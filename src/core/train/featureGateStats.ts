// What each feature-selection gate (model.featureGates) learnt, on the test
// rows: its mean weight per input dimension, against |w_k|, the true weight of
// its task per dimension (the generator knows it), and their correlation.
import * as tf from '@tensorflow/tfjs';
import { meanFeatureWeight, pearson } from './featureWeights';
import type { MtlModel } from '../models/model';
import type { Dataset, FeatureGateResult } from '../types';

const CHUNK = 4096;

/** [] when the model has no feature gates; null when a weight came out non-finite. */
export async function computeFeatureGateStats(model: MtlModel, ds: Dataset): Promise<FeatureGateResult[] | null> {
  const infos = model.featureGateInfo?.() ?? [];
  if (infos.length === 0) return [];
  const { d, test } = ds;
  const n = test.n;
  const buffers = infos.map(() => new Float32Array(n * d));
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    const ws = tf.tidy(() => (model.forward(tf.tensor2d(test.x.subarray(start * d, (start + rows) * d), [rows, d]), { featureGates: true }).featureGates ?? []).map((g) => g.weights));
    for (let i = 0; i < ws.length; i++) {
      buffers[i].set(await ws[i].data(), start * d);
      ws[i].dispose();
    }
  }
  const absW = ds.functions.w.map((w) => w.map(Math.abs));
  const meanAbs = Array.from({ length: d }, (_, t) => absW.reduce((s, w) => s + w[t], 0) / absW.length);
  const out: FeatureGateResult[] = [];
  for (const [i, info] of infos.entries()) {
    const meanWeight = meanFeatureWeight(buffers[i], n, d);
    if (meanWeight.some((v) => !Number.isFinite(v))) return null;
    const trueAbsWeight = info.id === 'shared' ? meanAbs : absW[Number(info.id.slice(5))];
    out.push({ id: info.id, label: info.label, meanWeight, trueAbsWeight, correlation: pearson(meanWeight, trueAbsWeight) });
  }
  return out;
}
