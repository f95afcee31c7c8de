// The gradient tape saves every recorded op's inputs/outputs by cloning them
// (TF.js 4.22 Engine.clone: one Identity kernel launch plus one extra tape
// node per saved tensor, ~50 per training step of the bench model). On WASM,
// Identity only shares the buffer by reference count (wasmKernels.ts), so the
// same result can be had without a kernel launch and without the tape node:
// bump the reference count and wrap the data id in a new tensor. Saved values
// are bit-identical. Only first-order gradients: while a gradient is being
// recorded inside another (gradientDepth > 1; the tape itself runs at depth 1)
// the stock clone runs, since it records the tape node higher-order gradients need.
import * as tf from '@tensorflow/tfjs';

interface EngineInternals {
  clone(x: tf.Tensor): tf.Tensor;
  makeTensorFromTensorInfo(info: { dataId: object; shape: number[]; dtype: tf.DataType }, backend: unknown): tf.Tensor;
  state: { gradientDepth: number; tensorInfo: { get(dataId: object): { backend: unknown } | undefined } };
}

let stockClone: ((x: tf.Tensor) => tf.Tensor) | null = null;

/** Make the tape's saves of WASM tensors launch no kernel. Idempotent. */
export function installCheapTapeSaves(): void {
  if (stockClone) return;
  const engine = tf.engine() as unknown as EngineInternals;
  const wasm = tf.findBackend('wasm') as unknown as { incRef(dataId: object): void } | null;
  if (!wasm || typeof engine.clone !== 'function' || typeof engine.makeTensorFromTensorInfo !== 'function') return;
  const stock = engine.clone;
  stockClone = stock;
  engine.clone = function cheapClone(this: EngineInternals, x: tf.Tensor): tf.Tensor {
    const info = this.state.tensorInfo.get(x.dataId);
    if (this.state.gradientDepth > 1 || !info || info.backend !== wasm || x.dtype === 'string' || x.dtype === 'complex64') return stock.call(this, x);
    wasm.incRef(x.dataId);
    return this.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype }, wasm);
  };
}

/** Put TF.js's own clone back (benchmarks compare both). */
export function uninstallCheapTapeSaves(): void {
  if (!stockClone) return;
  (tf.engine() as unknown as EngineInternals).clone = stockClone;
  stockClone = null;
}
