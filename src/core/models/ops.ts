// Low-level building blocks shared by every model: seeded initialisation and
// a dense matMul whose gradient avoids TF.js's transposed-matMul kernels.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../data/rng';

/**
 * Glorot-uniform weights drawn on the CPU from our own seeded stream, so the
 * same init seed gives bit-identical weights on every backend.
 */
export function glorot(rng: Rng, fanIn: number, fanOut: number, count = fanIn * fanOut): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const a = new Float32Array(count);
  for (let i = 0; i < count; i++) a[i] = (rng.uniform() * 2 - 1) * limit;
  return a;
}

/** Registry of a model's trainable variables (explicit list: no hidden state). */
export class VariableSet {
  readonly list: tf.Variable[] = [];
  private static counter = 0;
  constructor(private readonly prefix: string) {}
  add(values: Float32Array, shape: number[], label: string): tf.Variable {
    const v = tf.tidy(() =>
      tf.variable(tf.tensor(values, shape, 'float32'), true, `${this.prefix}/${label}#${VariableSet.counter++}`),
    );
    this.list.push(v);
    return v;
  }
  zeros(shape: number[], label: string): tf.Variable {
    return this.add(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, label);
  }
  dispose(): void {
    for (const v of this.list) v.dispose();
    this.list.length = 0;
  }
}

/**
 * x·W with a hand-written gradient that transposes explicitly. On WASM a matMul
 * with transposeA/B set is 7–10× slower than transpose + plain matMul, and
 * TF.js's own matMul gradient uses those flags (TFJS-NOTES).
 */
export const matMul = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy)];
    },
  };
}) as never) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/**
 * Same as matMul for a layer whose input is data (no gradient needed): skips
 * the x-gradient matMul.
 */
export const matMulInput = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([x]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs] = saved as [tf.Tensor2D];
      return [tf.zerosLike(xs), tf.matMul(tf.transpose(xs), dy)];
    },
  };
}) as never) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** A dense layer's weights. */
export interface Dense {
  W: tf.Variable;
  b: tf.Variable;
  inDim: number;
  outDim: number;
}

export function makeDense(vars: VariableSet, rng: Rng, inDim: number, outDim: number, label: string): Dense {
  return {
    W: vars.add(glorot(rng, inDim, outDim), [inDim, outDim], `${label}/W`),
    b: vars.zeros([outDim], `${label}/b`),
    inDim,
    outDim,
  };
}

export function applyDense(x: tf.Tensor2D, d: Dense, relu: boolean, isInput = false): tf.Tensor2D {
  const y = tf.add(isInput ? matMulInput(x, d.W as tf.Tensor2D) : matMul(x, d.W as tf.Tensor2D), d.b) as tf.Tensor2D;
  return relu ? tf.relu(y) : y;
}

/** A stack of dense layers: ReLU on hidden layers; the last gets ReLU only if `reluLast`. */
export function makeMlp(vars: VariableSet, rng: Rng, inDim: number, sizes: number[], label: string): Dense[] {
  const layers: Dense[] = [];
  let d = inDim;
  sizes.forEach((h, i) => {
    layers.push(makeDense(vars, rng, d, h, `${label}/L${i}`));
    d = h;
  });
  return layers;
}

export function applyMlp(x: tf.Tensor2D, layers: Dense[], reluLast: boolean, isInput = false): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = applyDense(h, l, i < layers.length - 1 || reluLast, isInput && i === 0);
  });
  return h;
}

/** Read a variable back as nested [rows][cols] arrays (export only). */
export async function toMatrix(t: tf.Tensor, rows: number, cols: number, colStart = 0, colCount = cols): Promise<number[][]> {
  const data = await t.data();
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Array<number>(colCount);
    for (let c = 0; c < colCount; c++) row[c] = data[r * cols + colStart + c];
    out.push(row);
  }
  return out;
}

export async function toVector(t: tf.Tensor, start = 0, count?: number): Promise<number[]> {
  const data = await t.data();
  return Array.from(data.subarray(start, count === undefined ? undefined : start + count));
}

/**
 * Gate mixing: out[b, g, :] = Σ_e p[b, g, e] · x[b, e, :], as one batched
 * matMul [B, G, E] × [B, E, H] (equal batch dims, so the gradient is safe),
 * with a hand-written gradient that transposes explicitly. Cheaper than the
 * broadcast multiply + sum over a [B, G, E, H] tensor, whose gradient needs
 * reductions over inner axes.
 */
export const mixExperts = tf.customGrad(((p: tf.Tensor3D, x: tf.Tensor3D, save: tf.GradSaveFunc) => {
  save([p, x]);
  return {
    value: tf.matMul(p, x),
    gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
      const [ps, xs] = saved as [tf.Tensor3D, tf.Tensor3D];
      return [tf.matMul(dy, tf.transpose(xs, [0, 2, 1])), tf.matMul(tf.transpose(ps, [0, 2, 1]), dy)];
    },
  };
}) as never) as unknown as (p: tf.Tensor3D, x: tf.Tensor3D) => tf.Tensor3D;
