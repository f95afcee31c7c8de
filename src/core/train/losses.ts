// Per-task losses on a batch, masked by the sample space δ (SPEC §3):
// L_k = Σ_i δ_k^i·loss_k(i) / Σ_i δ_k^i. MSE for regression; sigmoid
// cross-entropy on LOGITS for binary tasks (never log of a probability).
import * as tf from '@tensorflow/tfjs';
import type { TaskType } from '../config/schema';

export class TaskLoss {
  private readonly isBinary: tf.Tensor2D | null;
  private readonly allBinary: boolean;
  private readonly allRegression: boolean;

  constructor(types: TaskType[], private readonly masked: boolean) {
    this.allBinary = types.every((t) => t === 'binary');
    this.allRegression = types.every((t) => t === 'regression');
    this.isBinary =
      this.allBinary || this.allRegression ? null : tf.tensor2d(types.map((t) => (t === 'binary' ? 1 : 0)), [1, types.length]);
  }

  /** Elementwise loss [B, K] from raw outputs (logits for binary tasks). */
  elementwise(out: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
    const sq = () => tf.square(tf.sub(out, y));
    // max(z, 0) − z·y + log(1 + exp(−|z|)): stable for any logit.
    const bce = () => tf.add(tf.sub(tf.relu(out), tf.mul(out, y)), tf.log1p(tf.exp(tf.neg(tf.abs(out)))));
    if (this.allRegression) return sq() as tf.Tensor2D;
    if (this.allBinary) return bce() as tf.Tensor2D;
    return tf.where(tf.cast(tf.broadcastTo(this.isBinary!, out.shape), 'bool'), bce(), sq()) as tf.Tensor2D;
  }

  /** Per-task masked mean loss, [K]. */
  perTask(out: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor2D | null): tf.Tensor1D {
    const e = this.elementwise(out, y);
    if (!this.masked || !mask) return tf.mean(e, 0) as tf.Tensor1D;
    // A batch with no observed row for a task contributes 0 (not 0/0).
    return tf.div(tf.sum(tf.mul(e, mask), 0), tf.maximum(tf.sum(mask, 0), 1)) as tf.Tensor1D;
  }

  dispose(): void {
    this.isBinary?.dispose();
  }
}
