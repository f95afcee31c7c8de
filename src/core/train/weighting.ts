// Task weighting of the joint loss L = Σ_k ω_k·L_k (SPEC §3):
// fixed ω; PLE's ω_k(t) = ω_k,0·γ_k^epoch; uncertainty weighting (Kendall et
// al. 2018, learned s_k = log σ_k²); GradNorm (Chen et al. 2018).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig, TaskType } from '../config/schema';

export interface Weighting {
  /** Joint loss from per-task losses [K]. */
  combine(perTask: tf.Tensor1D): tf.Scalar;
  /** Called before each step with the current epoch. */
  beginStep(epoch: number): void;
  /** Extra trainable variables updated by the main optimizer. */
  readonly variables: tf.Variable[];
  /** Current ω_k as plain numbers (reads back: call rarely). */
  weights(): Promise<number[]>;
  /** Set the base weights ω_k (ω_k,0 for PLE decay) from the next step on; absent where the weights are learned. */
  setBase?(weights: number[]): void;
  dispose(): void;
}

class FixedWeighting implements Weighting {
  readonly variables: tf.Variable[] = [];
  protected omega: tf.Tensor1D;
  protected current: number[];
  private unit: boolean;
  constructor(protected base: number[]) {
    this.current = [...base];
    this.omega = tf.tensor1d(base);
    this.unit = base.every((w) => w === 1);
  }
  combine(perTask: tf.Tensor1D): tf.Scalar {
    return (this.unit ? tf.sum(perTask) : tf.sum(tf.mul(perTask, this.omega))) as tf.Scalar;
  }
  beginStep(_epoch: number): void {}
  async weights(): Promise<number[]> {
    return [...this.current];
  }
  setBase(weights: number[]): void {
    if (weights.length !== this.base.length || !weights.every((w) => Number.isFinite(w) && w >= 0)) throw new Error(`task weights: need ${this.base.length} numbers ≥ 0`);
    this.base = [...weights];
    this.unit = false;
    this.refresh();
  }
  protected refresh(): void {
    this.current = [...this.base];
    this.omega.dispose();
    this.omega = tf.tensor1d(this.current);
  }
  dispose(): void {
    this.omega.dispose();
  }
}

class PleDecayWeighting extends FixedWeighting {
  private epoch = 0;
  constructor(base: number[], private readonly gammas: number[]) {
    super(base);
  }
  override combine(perTask: tf.Tensor1D): tf.Scalar {
    return tf.sum(tf.mul(perTask, this.omega)) as tf.Scalar;
  }
  override beginStep(epoch: number): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    this.refresh();
  }
  protected override refresh(): void {
    this.current = this.base.map((w, k) => w * this.gammas[k] ** this.epoch);
    this.omega.dispose();
    this.omega = tf.tensor1d(this.current);
  }
}

/**
 * Kendall et al.: regression ½·e^(−s)·L + ½·s, classification e^(−s)·L + ½·s,
 * with s = log σ² learned per task (s starts at 0, i.e. σ = 1).
 */
class UncertaintyWeighting implements Weighting {
  readonly variables: tf.Variable[];
  private readonly logVar: tf.Variable;
  private readonly coef: tf.Tensor1D;
  constructor(types: TaskType[]) {
    this.logVar = tf.tidy(() => tf.variable(tf.zeros([types.length]), true));
    this.coef = tf.tensor1d(types.map((t) => (t === 'regression' ? 0.5 : 1)));
    this.variables = [this.logVar];
  }
  combine(perTask: tf.Tensor1D): tf.Scalar {
    const precision = tf.mul(this.coef, tf.exp(tf.neg(this.logVar)));
    return tf.sum(tf.add(tf.mul(precision, perTask), tf.mul(0.5, this.logVar))) as tf.Scalar;
  }
  beginStep(): void {}
  async weights(): Promise<number[]> {
    const w = tf.tidy(() => tf.mul(this.coef, tf.exp(tf.neg(this.logVar))));
    const out = Array.from(await w.data());
    w.dispose();
    return out;
  }
  dispose(): void {
    this.logVar.dispose();
    this.coef.dispose();
  }
}

/**
 * GradNorm: weights w_k (Σw = K) are moved so that the gradient norms
 * G_k = ||∇_W w_k·L_k|| on the last shared layer W approach
 * mean(G)·r_k^α, r_k = (L_k/L_k(0)) / mean(L/L(0)). The trainer computes the
 * per-task norms and calls `update`; all on device, no readback.
 */
export class GradNormWeighting implements Weighting {
  readonly variables: tf.Variable[] = [];
  readonly w: tf.Variable;
  private initialLoss: tf.Tensor1D | null = null;
  constructor(
    private readonly K: number,
    private readonly alpha: number,
    private readonly lr: number,
  ) {
    this.w = tf.tidy(() => tf.variable(tf.ones([K]), false));
  }
  combine(perTask: tf.Tensor1D): tf.Scalar {
    return tf.sum(tf.mul(perTask, this.w)) as tf.Scalar;
  }
  beginStep(): void {}
  /** norms: ||∇_W L_k|| [K]; perTask: current L_k [K]. */
  update(norms: tf.Tensor1D, perTask: tf.Tensor1D): void {
    if (!this.initialLoss) {
      this.initialLoss = tf.keep(tf.maximum(perTask.clone(), 1e-8)) as tf.Tensor1D;
      return;
    }
    const next = tf.tidy(() => {
      const G = tf.mul(this.w, norms);
      const ratio = tf.div(perTask, this.initialLoss!);
      const r = tf.div(ratio, tf.mean(ratio));
      const target = tf.mul(tf.mean(G), tf.pow(r, this.alpha));
      // d/dw_k Σ_j |w_j·n_j − target_j| with the target held constant.
      const grad = tf.mul(tf.sign(tf.sub(G, target)), norms);
      const w = tf.maximum(tf.sub(this.w, tf.mul(this.lr, grad)), 1e-3);
      return tf.mul(w, tf.div(this.K, tf.sum(w)));
    });
    this.w.assign(next);
    next.dispose();
  }
  async weights(): Promise<number[]> {
    return Array.from(await this.w.data());
  }
  dispose(): void {
    this.w.dispose();
    this.initialLoss?.dispose();
  }
}

export function makeWeighting(cfg: ResolvedConfig, hasSharedLayer: boolean): Weighting {
  const w = cfg.train.weighting;
  const types = cfg.data.tasks.map((t) => t.type);
  switch (w.kind) {
    case 'ple-decay':
      return new PleDecayWeighting(w.weights, w.gammas);
    case 'uncertainty':
      return new UncertaintyWeighting(types);
    case 'gradnorm':
      // Nothing shared (single-task): GradNorm has nothing to balance.
      return hasSharedLayer ? new GradNormWeighting(types.length, w.gradnormAlpha, w.gradnormLr) : new FixedWeighting(w.weights);
    default:
      return new FixedWeighting(w.weights);
  }
}
