// Feature-selection gates (model.featureGates; the brief's Meituan example):
// for each module that reads the raw input at the first level (task k's
// experts and gate, and the shared experts and shared gate), a gate of one
// linear layer + softmax over the d input FEATURES:
//   g(x) = softmax(W·x + b) ∈ Δ^d,   x̃ = d · g(x) ⊙ x.
// The factor d makes a uniform gate the identity (every g_i = 1/d), so the
// experts see inputs of the usual scale whatever the gate learns; W and b start
// at zero, i.e. at the identity. The weights g sum to 1 per row (what the page
// and results report). Packed: all gates are ONE matMul x·[d, F·d] and one
// softmax over a [B, F, d] reshape.
//
// Structural export (docs/model-json.md): `featureGates: [{ id, label, input:
// 'input', output: 'features:<id>', scale: d, layers: [{ W, b, activation:
// 'softmax' }] }]`; the first level's experts and gates of module <id> read
// the stream 'features:<id>'.
import * as tf from '@tensorflow/tfjs';
import type { DenseJson, SharedSlice } from './model';
import { matMulInput, toMatrix, toVector, type VariableSet } from './ops';

export const FEATURE_STREAM_PREFIX = 'features:';
export const featureStream = (moduleId: string) => `${FEATURE_STREAM_PREFIX}${moduleId}`;

export interface FeatureGateInfo {
  /** The module whose input it gates: 'task:<k>' | 'shared'. */
  id: string;
  label: string;
}

export interface FeatureGateExport extends FeatureGateInfo {
  input: 'input';
  output: string;
  /** x̃ = scale · softmax(x·W + b) ⊙ x (scale = d). */
  scale: number;
  layers: DenseJson[];
}

export class FeatureGates {
  private readonly W: tf.Variable; // [d, F·d]
  private readonly b: tf.Variable; // [F·d]

  constructor(
    vars: VariableSet,
    readonly inputDim: number,
    readonly gates: FeatureGateInfo[],
  ) {
    const d = inputDim;
    const F = gates.length;
    // Zero init: every gate starts uniform, i.e. x̃ = x (consumes no random numbers,
    // so the rest of the model initialises exactly as without feature gates).
    this.W = vars.zeros([d, F * d], 'featureGates/W');
    this.b = vars.zeros([F * d], 'featureGates/b');
  }

  /** Per gate, in order: the gated input x̃ [B, d] and the weights g [B, d]. */
  apply(x: tf.Tensor2D): { gated: tf.Tensor2D[]; weights: tf.Tensor2D[] } {
    const B = x.shape[0];
    const d = this.inputDim;
    const F = this.gates.length;
    const logits = tf.reshape(tf.add(matMulInput(x, this.W as tf.Tensor2D), this.b), [B, F, d]);
    const probs = tf.softmax(logits) as tf.Tensor3D;
    const gated = tf.mul(probs, tf.reshape(tf.mul(x, d), [B, 1, d])) as tf.Tensor3D;
    const split = (t: tf.Tensor3D) => (F === 1 ? [tf.reshape(t, [B, d]) as tf.Tensor2D] : (tf.unstack(t, 1) as tf.Tensor2D[]));
    return { gated: split(gated), weights: split(probs) };
  }

  parameterCount(): number {
    return this.gates.length * (this.inputDim * this.inputDim + this.inputDim);
  }

  /** The shared module's gate (reached by every task's loss), for the gradient-conflict probe. */
  sharedSlices(): SharedSlice[] {
    const j = this.gates.findIndex((g) => g.id === 'shared');
    if (j < 0) return [];
    const cols: [number, number] = [j * this.inputDim, (j + 1) * this.inputDim];
    return [
      { variable: this.W, cols },
      { variable: this.b, cols },
    ];
  }

  async export(): Promise<FeatureGateExport[]> {
    const d = this.inputDim;
    const cols = this.gates.length * d;
    const out: FeatureGateExport[] = [];
    for (const [j, g] of this.gates.entries()) {
      out.push({
        ...g,
        input: 'input',
        output: featureStream(g.id),
        scale: d,
        layers: [{ W: await toMatrix(this.W, d, cols, j * d, d), b: await toVector(this.b, j * d, d), activation: 'softmax' }],
      });
    }
    return out;
  }
}
