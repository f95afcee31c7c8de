// Gradient conflict between tasks (issue 12): on one training batch, the
// cosine between task k's and task j's loss gradients on the model's SHARED
// parameters (MtlModel.sharedParameters), for every pair of tasks. A negative
// cosine means the two tasks pull the shared weights in opposite directions.
//
// The probe runs one backward pass per task restricted to the shared
// variables, concatenates the (sliced, flattened) gradients into G [K, P] and
// returns the K×K cosine matrix on the device; the caller reads it back with
// its other metrics (async data(), never dataSync). A task whose gradient on
// the shared parameters is exactly zero (a stop-gradient read, a task with no
// observed row in the batch) has cosine 0 with every other task.
import * as tf from '@tensorflow/tfjs';
import { cosine } from '../data/linalg';
import type { SharedSlice } from '../models/model';
import type { GradCosinePoint, GradConflict } from '../types';

/** Task pairs (a < b) in the order every cosine list uses. */
export function taskPairs(K: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) out.push([a, b]);
  return out;
}

/** The part of a gradient tensor a slice selects, flattened. */
function sliceGrad(g: tf.Tensor, s: SharedSlice): tf.Tensor1D {
  let t = g;
  if (s.lead) {
    const begin = t.shape.map(() => 0);
    const size = t.shape.map(() => -1);
    begin[0] = s.lead[0];
    size[0] = s.lead[1] - s.lead[0];
    t = tf.slice(t, begin, size);
  }
  if (s.cols) {
    const last = t.rank - 1;
    const begin = t.shape.map(() => 0);
    const size = t.shape.map(() => -1);
    begin[last] = s.cols[0];
    size[last] = s.cols[1] - s.cols[0];
    t = tf.slice(t, begin, size);
  }
  return tf.reshape(t, [-1]) as tf.Tensor1D;
}

/**
 * Per-task gradients on the shared slices, [K, P]. `perTask` builds the
 * per-task losses [K] (a fresh forward pass each call). Call inside tf.tidy.
 */
export function sharedGradients(perTask: () => tf.Tensor1D, K: number, slices: SharedSlice[]): tf.Tensor2D {
  const vars = [...new Set(slices.map((s) => s.variable))];
  const rows: tf.Tensor1D[] = [];
  for (let k = 0; k < K; k++) {
    const { grads } = tf.variableGrads(() => tf.reshape(tf.slice(perTask(), [k], [1]), []) as tf.Scalar, vars);
    const parts = slices.map((s) => {
      const g = grads[s.variable.name] ?? tf.zerosLike(s.variable);
      return sliceGrad(g, s);
    });
    rows.push(parts.length === 1 ? parts[0] : (tf.concat(parts) as tf.Tensor1D));
  }
  return tf.stack(rows) as tf.Tensor2D;
}

/** Cosine matrix [K, K] of the rows of G (0 where a row is zero). */
export function cosineMatrix(G: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const gram = tf.matMul(G, G, false, true);
    const norms = tf.sqrt(tf.sum(tf.square(G), 1));
    const outer = tf.mul(tf.reshape(norms, [-1, 1]), tf.reshape(norms, [1, -1]));
    return tf.clipByValue(tf.div(gram, tf.maximum(outer, 1e-30)), -1, 1) as tf.Tensor2D;
  });
}

/** The probe: K×K cosines on the shared parameters for one batch (kept: the caller disposes). */
export function gradientCosineTensor(perTask: () => tf.Tensor1D, K: number, slices: SharedSlice[]): tf.Tensor2D {
  return tf.tidy(() => cosineMatrix(sharedGradients(perTask, K, slices)));
}

/** The pairs of a K×K cosine matrix read back; null when any value is not finite. */
export function pointFromMatrix(step: number, m: ArrayLike<number>, K: number): GradCosinePoint | null {
  const pairs = taskPairs(K).map(([a, b]) => ({ a, b, cos: m[a * K + b] }));
  return pairs.every((p) => Number.isFinite(p.cos)) ? { step, pairs } : null;
}

/** Per pair: the fraction of measured steps with a negative cosine, and the mean cosine. */
export function summarizeConflict(points: GradCosinePoint[], K: number): GradConflict[] {
  return taskPairs(K).map(([a, b], i) => {
    let n = 0;
    let neg = 0;
    let sum = 0;
    for (const p of points) {
      const c = p.pairs[i]?.cos;
      if (c === undefined || !Number.isFinite(c)) continue;
      n++;
      sum += c;
      if (c < 0) neg++;
    }
    return { a, b, negativeFraction: n ? neg / n : null, meanCos: n ? sum / n : null, n };
  });
}

/** Plain-JS cosine of two vectors (tests, references): one definition, in core/data/linalg.ts. */
export { cosine };
