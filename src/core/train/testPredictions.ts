// The test split's per-row predictions and labels, as results store them for
// score fusion (src/core/fusion/). Rounded to 6 significant digits: a 2,000-row
// test split of 2 tasks is then ~60 kB of results.json.
import type { Dataset, TestPredictions } from '../types';

const round = (v: number) => Number(v.toPrecision(6));
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** `out` is the model's raw test outputs [n, K] (logits for binary tasks). */
export function testPredictions(out: Float32Array, ds: Dataset, chain: boolean): TestPredictions {
  const { n } = ds.test;
  const K = ds.K;
  const col = (f: (i: number, k: number) => number) => Array.from({ length: K }, (_, k) => Array.from({ length: n }, (_, i) => f(i, k)));
  return {
    scores: col((i, k) => round(ds.taskTypes[k] === 'binary' ? sigmoid(out[i * K + k]) : out[i * K + k])),
    labels: col((i, k) => round(ds.test.y[i * K + k])),
    ...(chain ? { observed: col((i, k) => ds.test.mask[i * K + k]) } : {}),
  };
}
