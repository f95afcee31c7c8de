// Task towers: an MLP per task (ReLU hidden layers) then a linear output
// (the logit for a binary task).
//
// Packed: layer l of all K towers is ONE block-diagonal matMul
// [B, Σ in_k] × [Σ in_k, Σ out_k], with the weight multiplied by a constant
// 0/1 block mask so off-block entries stay exactly zero (and get exactly zero
// gradient: task k's loss never reaches task j's tower). Towers are tiny, so
// the wasted arithmetic costs less than the per-task kernels it replaces
// (TFJS-NOTES: small models are bound by kernel launches).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../data/rng';
import type { DenseJson } from './model';
import { matMul, toMatrix, toVector, type VariableSet } from './ops';

interface PackedLayer {
  W: tf.Variable; // [Σ in, Σ out]
  b: tf.Variable; // [Σ out]
  mask: tf.Tensor2D | null; // null when K = 1
  ins: number[];
  outs: number[];
}

export class Towers {
  private readonly layers: PackedLayer[] = [];

  constructor(vars: VariableSet, rng: Rng, readonly numTasks: number, inDims: number[], hidden: number[]) {
    const sizes = [...hidden, 1];
    let ins = [...inDims];
    sizes.forEach((h, l) => {
      const outs = new Array<number>(numTasks).fill(h);
      const rows = ins.reduce((a, b) => a + b, 0);
      const cols = outs.reduce((a, b) => a + b, 0);
      const w = new Float32Array(rows * cols);
      const m = new Float32Array(rows * cols);
      let r0 = 0;
      let c0 = 0;
      for (let k = 0; k < numTasks; k++) {
        const limit = Math.sqrt(6 / (ins[k] + outs[k]));
        for (let r = 0; r < ins[k]; r++)
          for (let c = 0; c < outs[k]; c++) {
            const i = (r0 + r) * cols + c0 + c;
            w[i] = (rng.uniform() * 2 - 1) * limit;
            m[i] = 1;
          }
        r0 += ins[k];
        c0 += outs[k];
      }
      this.layers.push({
        W: vars.add(w, [rows, cols], `towers/L${l}/W`),
        b: vars.zeros([cols], `towers/L${l}/b`),
        mask: numTasks === 1 ? null : tf.tensor2d(m, [rows, cols]),
        ins,
        outs,
      });
      ins = outs;
    });
  }

  /** inputs[k] is task k's tower input; returns [B, K]. */
  apply(inputs: tf.Tensor2D[]): tf.Tensor2D {
    return this.applyPacked(inputs.length === 1 ? inputs[0] : (tf.concat(inputs, 1) as tf.Tensor2D));
  }

  /** The K inputs already side by side: [B, Σ in_k]. */
  applyPacked(packed: tf.Tensor2D): tf.Tensor2D {
    let h = packed;
    this.layers.forEach((l, i) => {
      const W = (l.mask ? tf.mul(l.W, l.mask) : l.W) as tf.Tensor2D;
      h = tf.add(matMul(h, W), l.b) as tf.Tensor2D;
      if (i < this.layers.length - 1) h = tf.relu(h);
    });
    return h;
  }

  parameterCount(): number {
    return this.layers.reduce((s, l) => s + l.ins.reduce((a, n, k) => a + n * l.outs[k] + l.outs[k], 0), 0);
  }

  /** Per task, its own layers (the diagonal blocks). */
  async export(): Promise<DenseJson[][]> {
    const out: DenseJson[][] = Array.from({ length: this.numTasks }, () => []);
    for (const [i, l] of this.layers.entries()) {
      const cols = l.outs.reduce((a, b) => a + b, 0);
      const rows = l.ins.reduce((a, b) => a + b, 0);
      const full = await toMatrix(l.W, rows, cols);
      let r0 = 0;
      let c0 = 0;
      for (let k = 0; k < this.numTasks; k++) {
        out[k].push({
          W: full.slice(r0, r0 + l.ins[k]).map((row) => row.slice(c0, c0 + l.outs[k])),
          b: await toVector(l.b, c0, l.outs[k]),
          activation: i < this.layers.length - 1 ? 'relu' : 'linear',
        });
        r0 += l.ins[k];
        c0 += l.outs[k];
      }
    }
    return out;
  }

  dispose(): void {
    for (const l of this.layers) l.mask?.dispose();
  }
}

export async function exportMlp(layers: { W: tf.Variable; b: tf.Variable; inDim: number; outDim: number }[], reluLast: boolean): Promise<DenseJson[]> {
  return Promise.all(
    layers.map(async (l, i) => ({
      W: await toMatrix(l.W, l.inDim, l.outDim),
      b: await toVector(l.b),
      activation: (i < layers.length - 1 || reluLast ? 'relu' : 'linear') as DenseJson['activation'],
    })),
  );
}
