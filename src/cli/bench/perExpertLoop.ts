// The benchmark's baseline ONLY: a straightforward PLE written the way most
// reference code is, one tf.matMul per expert layer, one variable per weight
// and bias, TF.js's own matMul gradient, gate mixing by a JavaScript loop over
// experts. Same structure, sizes, loss and optimizer as the engine's PLE
// (SPEC §2), so `npm run bench:core` compares implementations, not models.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/data/rng';

export interface LoopPleConfig {
  inputDim: number;
  taskTypes: ('regression' | 'binary')[];
  levels: number;
  /** Task-specific experts per task (same count for every task). */
  specificExperts: number;
  sharedExperts: number;
  expertHidden: number[];
  towerHidden: number[];
  learningRate: number;
  adamEpsilon: number;
  initSeed: number;
}

interface Dense {
  W: tf.Variable;
  /** null for a bias-free gate (model.gateBias = false). */
  b: tf.Variable | null;
}

function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const a = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < a.length; i++) a[i] = (rng.uniform() * 2 - 1) * limit;
  return a;
}

/** One level: experts per module, a gate per task, and a shared gate except on the last level. */
interface Level {
  taskExperts: Dense[][][]; // [task][expert][layer]
  sharedExperts: Dense[][]; // [expert][layer]
  taskGates: Dense[]; // one linear layer per task
  sharedGate: Dense | null;
}

export class PerExpertLoopPle {
  readonly variables: tf.Variable[] = [];
  private readonly levels: Level[] = [];
  private readonly towers: Dense[][] = [];
  private readonly optimizer: tf.AdamOptimizer;
  private readonly K: number;

  constructor(private readonly cfg: LoopPleConfig) {
    const rng = new Rng(cfg.initSeed);
    this.K = cfg.taskTypes.length;
    const dense = (i: number, o: number, bias = true): Dense => {
      const W = tf.variable(tf.tensor2d(glorot(rng, i, o), [i, o]));
      this.variables.push(W);
      const b = bias ? tf.variable(tf.zeros([o])) : null;
      if (b) this.variables.push(b);
      return { W, b };
    };
    const mlp = (inDim: number, sizes: number[]): Dense[] => sizes.map((h, i) => dense(i === 0 ? inDim : sizes[i - 1], h));
    const E = cfg.expertHidden[cfg.expertHidden.length - 1];
    let inDim = cfg.inputDim;
    for (let l = 0; l < cfg.levels; l++) {
      const last = l === cfg.levels - 1;
      const nTask = cfg.specificExperts + cfg.sharedExperts;
      this.levels.push({
        taskExperts: Array.from({ length: this.K }, () => Array.from({ length: cfg.specificExperts }, () => mlp(inDim, cfg.expertHidden))),
        sharedExperts: Array.from({ length: cfg.sharedExperts }, () => mlp(inDim, cfg.expertHidden)),
        // Gates: one linear layer with a trained bias, as the engine's default (model.gateBias).
        taskGates: Array.from({ length: this.K }, () => dense(inDim, nTask)),
        sharedGate: last ? null : dense(inDim, this.K * cfg.specificExperts + cfg.sharedExperts),
      });
      inDim = E;
    }
    for (let k = 0; k < this.K; k++) this.towers.push(mlp(E, [...cfg.towerHidden, 1]));
    this.optimizer = tf.train.adam(cfg.learningRate, 0.9, 0.999, cfg.adamEpsilon);
  }

  private static layer(x: tf.Tensor2D, d: Dense, relu: boolean): tf.Tensor2D {
    const xw: tf.Tensor2D = tf.matMul(x, d.W as tf.Tensor2D);
    const y = d.b ? (tf.add(xw, d.b) as tf.Tensor2D) : xw;
    return relu ? (tf.relu(y) as tf.Tensor2D) : y;
  }

  private static expert(x: tf.Tensor2D, layers: Dense[]): tf.Tensor2D {
    return layers.reduce((h, d) => PerExpertLoopPle.layer(h, d, true), x);
  }

  /** Σ_i g_i·E_i, one expert at a time. */
  private static mix(gateIn: tf.Tensor2D, gate: Dense, experts: tf.Tensor2D[]): tf.Tensor2D {
    const g = tf.softmax(PerExpertLoopPle.layer(gateIn, gate, false));
    const cols = tf.split(g, experts.length, 1);
    return tf.addN(experts.map((e, i) => tf.mul(cols[i], e))) as tf.Tensor2D;
  }

  /** [B, K]: one output per task (logit for a binary task). */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    let taskIn: tf.Tensor2D[] = new Array(this.K).fill(x);
    let sharedIn = x;
    for (const lvl of this.levels) {
      const own = lvl.taskExperts.map((experts, k) => experts.map((e) => PerExpertLoopPle.expert(taskIn[k], e)));
      const shared = lvl.sharedExperts.map((e) => PerExpertLoopPle.expert(sharedIn, e));
      const nextTask = lvl.taskGates.map((g, k) => PerExpertLoopPle.mix(taskIn[k], g, [...own[k], ...shared]));
      if (lvl.sharedGate) sharedIn = PerExpertLoopPle.mix(sharedIn, lvl.sharedGate, [...own.flat(), ...shared]);
      taskIn = nextTask;
    }
    const outs = this.towers.map((t, k) => t.reduce((h, d, i) => PerExpertLoopPle.layer(h, d, i < t.length - 1), taskIn[k]));
    return tf.concat(outs, 1) as tf.Tensor2D;
  }

  /** Joint loss Σ_k L_k: MSE for regression, sigmoid cross-entropy on logits for binary. */
  loss(x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
    const out = this.forward(x);
    const preds = tf.split(out, this.K, 1);
    const labels = tf.split(y, this.K, 1);
    const losses = this.cfg.taskTypes.map((t, k) =>
      t === 'binary' ? tf.losses.sigmoidCrossEntropy(labels[k], preds[k]) : tf.mean(tf.squaredDifference(preds[k], labels[k])),
    );
    return tf.addN(losses) as tf.Scalar;
  }

  /** One Adam step; returns the loss tensor when asked (the caller reads and disposes it). */
  trainStep(x: tf.Tensor2D, y: tf.Tensor2D, returnLoss = false): tf.Scalar | null {
    return this.optimizer.minimize(() => this.loss(x, y), returnLoss, this.variables);
  }

  /** Trainable parameters (to check that the baseline has the engine's sizes). */
  parameterCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const v of this.variables) v.dispose();
  }
}

/** Seeded mini-batches from row-major training arrays, kept on the backend. */
export class BatchSampler {
  private readonly x: tf.Tensor2D;
  private readonly y: tf.Tensor2D;
  private readonly order: Int32Array;
  private pos: number;
  private readonly rng: Rng;

  constructor(x: Float32Array, y: Float32Array, n: number, d: number, K: number, private readonly batch: number, seed: number) {
    this.x = tf.tensor2d(x, [n, d]);
    this.y = tf.tensor2d(y, [n, K]);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.rng = new Rng(seed);
    this.pos = n; // shuffle on first use
  }

  /** Caller disposes both tensors. */
  next(): { x: tf.Tensor2D; y: tf.Tensor2D } {
    if (this.pos + this.batch > this.order.length) {
      this.rng.shuffle(this.order);
      this.pos = 0;
    }
    const idx = tf.tensor1d(this.order.subarray(this.pos, this.pos + this.batch), 'int32');
    this.pos += this.batch;
    const out = { x: tf.gather(this.x, idx) as tf.Tensor2D, y: tf.gather(this.y, idx) as tf.Tensor2D };
    idx.dispose();
    return out;
  }

  dispose(): void {
    this.x.dispose();
    this.y.dispose();
  }
}
