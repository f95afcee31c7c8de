// The first layer of a packed expert group on WASM, as one SIMD kernel each
// way (simd/kernels.c): the group's matMul output y [B, C] holds the experts'
// pre-activations (columns [0, ec)) and its gates' logits (the rest), so
//   MtlSplitBiasRelu       e = relu(y[:, :ec] + b),  l = y[:, ec:]
//   MtlSplitBiasReluGradY  dy = [de·(e > 0), dl]
//   MtlReluBiasGradB       db = Σ_rows de·(e > 0)
// replace Slice ×2, Add, Relu forward and PadV2 ×2, Add, Step, Multiply, Sum
// backward (about ten kernel launches per group). They run the same float
// operations in the same order as those TF.js kernels, so training numbers
// are bit-identical with and without them (tested).
import * as tf from '@tensorflow/tfjs';
import { simdKernels } from './simd/simdKernels';
import { ptr, type KernelArgs, type KernelImpl, type TensorInfo } from './wasmHeap';

const FWD = 'MtlSplitBiasRelu';
const GRAD_Y = 'MtlSplitBiasReluGradY';
const GRAD_B = 'MtlReluBiasGradB';

function fwd({ inputs: { y, b }, attrs, backend }: KernelArgs): TensorInfo[] {
  const [B, C] = y.shape;
  const ec = attrs.ec as number;
  const e = backend.makeOutput([B, ec], 'float32');
  const outs = [e];
  if (C > ec) outs.push(backend.makeOutput([B, C - ec], 'float32'));
  simdKernels()!.split_bias_relu(ptr(backend, y), ptr(backend, b), ptr(backend, e), C > ec ? ptr(backend, outs[1]) : 0, B, C, ec);
  return outs;
}

function gradY({ inputs: { de, e, dl }, attrs, backend }: KernelArgs): TensorInfo {
  const [B, ec] = e.shape;
  const C = attrs.C as number;
  const dy = backend.makeOutput([B, C], 'float32');
  simdKernels()!.split_bias_relu_grad(ptr(backend, de), ptr(backend, e), dl ? ptr(backend, dl) : 0, ptr(backend, dy), B, C, ec);
  return dy;
}

function gradB({ inputs: { de, e }, backend }: KernelArgs): TensorInfo {
  const [B, ec] = e.shape;
  const db = backend.makeOutput([ec], 'float32');
  simdKernels()!.relu_bias_grad(ptr(backend, de), ptr(backend, e), ptr(backend, db), B, ec);
  return db;
}

let registered = false;
let enabled = true;

/** Registers the kernels on 'wasm' and their gradient (after the SIMD module loaded). Idempotent. */
export function registerExpertLayerKernels(): void {
  if (registered || !simdKernels()) return;
  registered = true;
  const reg = (kernelName: string, kernelFunc: KernelImpl) =>
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  reg(FWD, fwd);
  reg(GRAD_Y, gradY);
  reg(GRAD_B, gradB);
  tf.registerGradient({
    kernelName: FWD,
    inputsToSave: [],
    outputsToSave: [true, false],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs) => {
      const [e] = saved;
      const dys = Array.isArray(dy) ? dy : [dy];
      const C = (attrs as { C: number }).C;
      const run = (name: string, inputs: Record<string, tf.Tensor>) => tf.engine().runKernel(name, inputs as never, { C } as never) as tf.Tensor;
      return {
        y: () => run(GRAD_Y, dys.length > 1 ? { de: dys[0], e, dl: dys[1] } : { de: dys[0], e }),
        b: () => run(GRAD_B, { de: dys[0], e }),
      };
    },
  });
}

/** True when the current backend runs these kernels. */
export function expertLayerKernelsActive(): boolean {
  return enabled && registered && tf.getBackend() === 'wasm';
}

/** Tests compare the kernels with the generic path on the same backend. */
export function setExpertLayerKernelsEnabled(on: boolean): void {
  enabled = on;
}

/**
 * e = relu(y[:, :ec] + b) and, when y has more columns, l = y[:, ec:].
 * Call only when expertLayerKernelsActive().
 */
export function splitBiasRelu(y: tf.Tensor2D, b: tf.Tensor1D, ec: number): [tf.Tensor2D, tf.Tensor2D | null] {
  const [, C] = y.shape;
  if (y.dtype !== 'float32' || b.dtype !== 'float32' || b.shape[0] !== ec || ec > C)
    throw new Error(`splitBiasRelu: bias ${b.dtype}[${b.shape}] does not fit ${ec} of y ${y.dtype}[${y.shape}]`);
  const r = tf.engine().runKernel(FWD, { y, b } as never, { ec, C } as never) as unknown as tf.Tensor2D[];
  return [r[0], r[1] ?? null];
}
