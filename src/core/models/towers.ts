// Task towers: an MLP per task (ReLU hidden layers) then a linear output
// (the logit for a binary task).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../data/rng';
import type { DenseJson } from './model';
import { applyMlp, makeMlp, toMatrix, toVector, type Dense, type VariableSet } from './ops';

export class Towers {
  readonly layers: Dense[][];
  constructor(vars: VariableSet, rng: Rng, numTasks: number, inDims: number[], hidden: number[]) {
    this.layers = [];
    for (let k = 0; k < numTasks; k++) this.layers.push(makeMlp(vars, rng, inDims[k], [...hidden, 1], `tower${k}`));
  }

  /** inputs[k] is task k's tower input; returns [B, K]. */
  apply(inputs: tf.Tensor2D[]): tf.Tensor2D {
    const cols = inputs.map((h, k) => applyMlp(h, this.layers[k], false));
    return cols.length === 1 ? cols[0] : (tf.concat(cols, 1) as tf.Tensor2D);
  }

  parameterCount(): number {
    return this.layers.flat().reduce((s, l) => s + l.inDim * l.outDim + l.outDim, 0);
  }

  async export(): Promise<DenseJson[][]> {
    return Promise.all(this.layers.map((layers) => exportMlp(layers, false)));
  }
}

export async function exportMlp(layers: Dense[], reluLast: boolean): Promise<DenseJson[]> {
  return Promise.all(
    layers.map(async (l, i) => ({
      W: await toMatrix(l.W, l.inDim, l.outDim),
      b: await toVector(l.b),
      activation: (i < layers.length - 1 || reluLast ? 'relu' : 'linear') as DenseJson['activation'],
    })),
  );
}
