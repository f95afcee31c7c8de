// Gate mixing as three TF.js kernels for the WASM backend, run by the SIMD
// module (simd/kernels.c) on the backend's own heap:
//   MtlMix       out[g][b, :] = Σ_e p[b, g, e] · x[b, e, :]
//   MtlMixGradP  dP[b, g, e]  = Σ_h dy[g][b, h] · x[b, e, h]
//   MtlMixGradX  dX[b, e, :]  = Σ_g p[b, g, e] · dy[g][b, :]
// Why: TF.js 4.22 WASM runs every batched matMul ([B, G, E] × [B, E, H], the
// generic formulation in ops.ts) through a scalar fallback with strided
// reads (`slow_batch_matmul`): in the bench PLE it was a third of a training
// step. Here the inner loops are SIMD over contiguous rows of H, a masked
// pair (p exactly 0: an expert outside the gate) is skipped, and the output
// is either one [B, G, H] tensor or one [B, H] tensor per gate, so no unstack
// (and no stack in the gradient) follows. Skipping masked pairs is exact:
// their dP is multiplied by p = 0 in the softmax gradient.
import * as tf from '@tensorflow/tfjs';
import { simdKernels, type SimdKernels } from './simd/simdKernels';
import { ptr, type KernelArgs, type KernelImpl, type TensorInfo } from './wasmHeap';

export const MIX = 'MtlMix';
const MIX_GRAD_P = 'MtlMixGradP';
const MIX_GRAD_X = 'MtlMixGradX';

const k = (): SimdKernels => {
  const s = simdKernels();
  if (!s) throw new Error('SIMD kernels are not loaded');
  return s;
};

/**
 * dy inputs are named dy0..dy{G−1} (split outputs, row stride H) or dy (one
 * [B, G, H] output: gate g starts at g·H, row stride G·H). `at` is a byte
 * offset in the heap; `stride` counts floats.
 */
function dyOf({ inputs, backend }: KernelArgs, g: number, G: number, H: number): { at: number; stride: number } {
  if (inputs.dy) return { at: ptr(backend, inputs.dy) + 4 * g * H, stride: G * H };
  return { at: ptr(backend, inputs[`dy${g}`]), stride: H };
}

function mix({ inputs: { p, x }, attrs, backend }: KernelArgs): TensorInfo | TensorInfo[] {
  const [B, G, E] = p.shape;
  const H = x.shape[2];
  const split = attrs.split === true;
  const outs = split ? Array.from({ length: G }, () => backend.makeOutput([B, H], 'float32')) : [backend.makeOutput([B, G, H], 'float32')];
  const [pp, xp] = [ptr(backend, p), ptr(backend, x)];
  for (let g = 0; g < G; g++) {
    if (split) k().mix_gate(pp, xp, ptr(backend, outs[g]), B, G, E, H, g, H);
    else k().mix_gate(pp, xp, ptr(backend, outs[0]) + 4 * g * H, B, G, E, H, g, G * H);
  }
  return split ? outs : outs[0];
}

function mixGradP(args: KernelArgs): TensorInfo {
  const { inputs: { p, x }, backend } = args;
  const [B, G, E] = p.shape;
  const H = x.shape[2];
  const out = backend.makeOutput([B, G, E], 'float32');
  for (let g = 0; g < G; g++) {
    const dy = dyOf(args, g, G, H);
    k().mix_grad_p_gate(ptr(backend, p), ptr(backend, x), dy.at, ptr(backend, out), B, G, E, H, g, dy.stride);
  }
  return out;
}

function mixGradX(args: KernelArgs): TensorInfo {
  const { inputs: { p, x }, backend } = args;
  const [B, G, E] = p.shape;
  const H = x.shape[2];
  const out = backend.makeOutput([B, E, H], 'float32');
  for (let g = 0; g < G; g++) {
    const dy = dyOf(args, g, G, H);
    k().mix_grad_x_gate(ptr(backend, p), dy.at, ptr(backend, out), B, G, E, H, g, dy.stride, g === 0 ? 0 : 1);
  }
  return out;
}

let registered = false;
let enabled = true;

/** Registers the kernels on 'wasm' and their gradient (after the SIMD module loaded). Idempotent. */
export function registerMixKernels(): void {
  if (registered || !simdKernels()) return;
  registered = true;
  const reg = (kernelName: string, kernelFunc: KernelImpl) =>
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  reg(MIX, mix);
  reg(MIX_GRAD_P, mixGradP);
  reg(MIX_GRAD_X, mixGradX);
  tf.registerGradient({
    kernelName: MIX,
    inputsToSave: ['p', 'x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [p, x] = saved;
      const inputs: Record<string, tf.Tensor> = { p, x };
      if (Array.isArray(dy)) dy.forEach((d, g) => (inputs[`dy${g}`] = d));
      else inputs.dy = dy;
      const run = (name: string) => tf.engine().runKernel(name, inputs as never, {}) as tf.Tensor;
      return { p: () => run(MIX_GRAD_P), x: () => run(MIX_GRAD_X) };
    },
  });
}

/** True when the current backend runs the mixing kernels. */
export function mixKernelsActive(): boolean {
  return enabled && registered && tf.getBackend() === 'wasm';
}

/** Tests compare the kernels with the generic path on the same backend. */
export function setMixKernelsEnabled(on: boolean): void {
  enabled = on;
}

/**
 * Mixing on the kernels above: one [B, G, H] tensor, or (split) one [B, H]
 * tensor per gate. Call only when mixKernelsActive(). For SOFTMAX gate
 * weights only: the gradient w.r.t. a weight that is exactly 0 is reported
 * as 0, which is exact only when that gradient next meets the softmax's
 * own factor p = 0 (masked experts). AdaTT's weights keep the generic path.
 */
export function mixKernel(p: tf.Tensor3D, x: tf.Tensor3D, split: boolean): tf.Tensor[] {
  // The kernel sizes everything from these shapes: a mismatch would read past x.
  if (p.rank !== 3 || x.rank !== 3 || p.shape[0] !== x.shape[0] || p.shape[2] !== x.shape[1] || p.dtype !== 'float32' || x.dtype !== 'float32')
    throw new Error(`mixKernel: gate weights ${p.dtype}[${p.shape}] do not fit experts ${x.dtype}[${x.shape}]`);
  const r = tf.engine().runKernel(MIX, { p, x } as never, { split } as never) as tf.Tensor | tf.Tensor[];
  return Array.isArray(r) ? r : [r];
}
