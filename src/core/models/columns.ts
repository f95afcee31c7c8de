// Per-task columns (one MLP per task): the body of Single-task and Cross-Stitch.
// The first layer of every column reads the same input, so it is one packed
// matMul [d, K·h1]; deeper layers are per column.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../data/rng';
import { mergeSlices, type DenseJson, type SharedSlice } from './model';
import { applyDense, glorot, makeDense, matMulInput, toMatrix, toVector, type Dense, type VariableSet } from './ops';

export class Columns {
  readonly W0: tf.Variable;
  readonly b0: tf.Variable;
  readonly deep: Dense[][]; // [layer−1][task]
  constructor(vars: VariableSet, rng: Rng, readonly K: number, readonly inputDim: number, readonly sizes: number[]) {
    const h1 = sizes[0];
    // Column k's first layer occupies columns [k·h1, (k+1)·h1).
    this.W0 = vars.add(glorot(rng, inputDim, h1, inputDim * K * h1), [inputDim, K * h1], 'columns/L0/W');
    this.b0 = vars.zeros([K * h1], 'columns/L0/b');
    this.deep = [];
    for (let l = 1; l < sizes.length; l++)
      this.deep.push(Array.from({ length: K }, (_, k) => makeDense(vars, rng, sizes[l - 1], sizes[l], `col${k}/L${l}`)));
  }

  /** First layer for every column at once: K tensors [B, h1]. */
  first(x: tf.Tensor2D): tf.Tensor2D[] {
    const y = tf.relu(tf.add(matMulInput(x, this.W0 as tf.Tensor2D), this.b0)) as tf.Tensor2D;
    return this.K === 1 ? [y] : (tf.split(y, this.K, 1) as tf.Tensor2D[]);
  }

  layer(l: number, hs: tf.Tensor2D[]): tf.Tensor2D[] {
    return hs.map((h, k) => applyDense(h, this.deep[l - 1][k], true));
  }

  /** Every parameter of columns `ks` (first-layer column slices, deeper layers whole). */
  slices(ks: number[]): SharedSlice[] {
    const h1 = this.sizes[0];
    const out: SharedSlice[] = [];
    for (const k of ks) out.push({ variable: this.W0, cols: [k * h1, (k + 1) * h1] });
    for (const k of ks) out.push({ variable: this.b0, cols: [k * h1, (k + 1) * h1] });
    for (const row of this.deep) for (const k of ks) out.push({ variable: row[k].W }, { variable: row[k].b });
    return mergeSlices(out);
  }

  parameterCount(): number {
    const h1 = this.sizes[0];
    return this.K * (this.inputDim * h1 + h1) + this.deep.flat().reduce((s, l) => s + l.inDim * l.outDim + l.outDim, 0);
  }

  async exportColumn(k: number): Promise<DenseJson[]> {
    const h1 = this.sizes[0];
    const layers: DenseJson[] = [
      {
        W: await toMatrix(this.W0, this.inputDim, this.K * h1, k * h1, h1),
        b: await toVector(this.b0, k * h1, h1),
        activation: 'relu',
      },
    ];
    for (const row of this.deep) {
      const l = row[k];
      layers.push({ W: await toMatrix(l.W, l.inDim, l.outDim), b: await toVector(l.b), activation: 'relu' });
    }
    return layers;
  }
}
