// Adam over all variables at once, with gradient clipping by global norm.
//
// TF.js's Adam launches ~17 kernels per variable (moments, bias correction,
// assign); at this model size a step is bound by kernel launches, not maths
// (TFJS-NOTES). Here the gradients are concatenated into one flat vector,
// clipped and run through Adam as ~15 kernels in total, then split back.
// On WASM with SIMD, one kernel per variable (simd/kernels.c `adam`) does
// the same update on the heap instead: no concat, split or reshapes.
// Same update as Kingma & Ba / tf.train.adam:
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
//   θ ← θ − lr·m̂/(√v̂ + ε)  =  θ − lr_t·m/(√v + ε_t),
//   lr_t = lr·√(1−β2^t)/(1−β1^t),  ε_t = ε·√(1−β2^t).
import * as tf from '@tensorflow/tfjs';
import { simdKernels } from '../backends/simd/simdKernels';
import { ptr, type WasmBackendLike } from '../backends/wasmHeap';

export class FlatAdam {
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  private readonly sizes: number[];
  private t = 0;
  /** Tests turn this off to compare the SIMD update with the kernel one. */
  preferSimd = true;
  /** Which path the last apply() took (tests check the SIMD one really ran). */
  lastPath: 'simd' | 'kernels' | null = null;

  constructor(
    private readonly vars: tf.Variable[],
    private lr: number,
    private readonly eps: number,
    private readonly clipNorm: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    this.sizes = vars.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /** A new step size from the next update on (the moments are kept: a live change, as TensorFlow Playground makes it). */
  setLearningRate(lr: number): void {
    if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`learning rate must be a positive number (got ${lr})`);
    this.lr = lr;
  }

  /** grads[i] is the gradient of vars[i]. Call inside tf.tidy. */
  apply(grads: tf.Tensor[]): void {
    this.t++;
    const { beta1: b1, beta2: b2 } = this;
    const c2 = Math.sqrt(1 - b2 ** this.t);
    const lrT = (this.lr * c2) / (1 - b1 ** this.t);
    const epsT = this.eps * c2;
    this.lastPath = this.preferSimd && simdKernels() && tf.getBackend() === 'wasm' ? 'simd' : 'kernels';
    if (this.lastPath === 'simd') this.applySimd(grads, lrT, epsT);
    else this.applyKernels(grads, lrT, epsT);
  }

  private applySimd(grads: tf.Tensor[], lrT: number, epsT: number): void {
    const simd = simdKernels()!;
    const backend = tf.backend() as unknown as WasmBackendLike;
    const at = (t: tf.Tensor) => ptr(backend, t);
    let scale = 1;
    if (this.clipNorm > 0) {
      let sq = 0;
      grads.forEach((g, i) => (sq += simd.sum_squares(at(g), this.sizes[i])));
      const norm = Math.sqrt(sq);
      scale = this.clipNorm / Math.max(norm, this.clipNorm); // NaN stays NaN: the run is then reported diverged
    }
    // m and v are this optimizer's own flat buffers, updated in place; every
    // parameter gets a NEW tensor (TF.js caches packed matMul weights per tensor).
    const [m, v] = [at(this.m), at(this.v)];
    let offset = 0;
    this.vars.forEach((variable, i) => {
      const n = this.sizes[i];
      const out = backend.makeOutput(variable.shape, 'float32');
      simd.adam(at(variable), at(grads[i]), m + 4 * offset, v + 4 * offset, ptr(backend, out), n, lrT, epsT, this.beta1, 1 - this.beta1, this.beta2, 1 - this.beta2, scale);
      const next = tf.engine().makeTensorFromTensorInfo(out);
      variable.assign(next); // the variable now holds its own reference
      next.dispose();
      offset += n;
    });
  }

  private applyKernels(grads: tf.Tensor[], lrT: number, epsT: number): void {
    const { beta1: b1, beta2: b2 } = this;
    let g: tf.Tensor1D =
      grads.length === 1 ? tf.reshape(grads[0], [-1]) : (tf.concat(grads.map((x) => tf.reshape(x, [-1]))) as tf.Tensor1D);
    if (this.clipNorm > 0) {
      const norm = tf.sqrt(tf.sum(tf.square(g)));
      g = tf.mul(g, tf.div(this.clipNorm, tf.maximum(norm, this.clipNorm)));
    }
    const m = tf.add(tf.mul(this.m, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(this.v, b2), tf.mul(tf.square(g), 1 - b2));
    this.m.assign(m);
    this.v.assign(v);
    const delta = tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsT)), lrT);
    const parts = this.vars.length === 1 ? [delta] : tf.split(delta, this.sizes);
    this.vars.forEach((variable, i) => variable.assign(tf.sub(variable, tf.reshape(parts[i], variable.shape))));
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
