// Faster replacements for six TF.js 4.22 WASM kernels.
//
// Measured in Node (tfjs-backend-wasm 4.22): Slice copies its WHOLE input
// out of the wasm heap (`readSync` → HEAPU8.slice, a fresh ArrayBuffer) before
// taking the slice, so slicing 100 floats out of a 70k-float tensor cost
// ~0.6–0.8 ms; SplitV and Unpack call that Slice once per output. Identity
// (run by the gradient tape to save every op's inputs) copies data that is
// immutable anyway. Here Slice reads the heap through views, and Identity
// shares the buffer by reference count, as the CPU backend and WASM's own
// Reshape do. Results are bit-identical; only the copies go away.
// Transpose (2-D, and the two 3-D permutations the models use) and Sum over
// the leading axis of a matrix (every bias gradient: the stock kernel
// transposes first) are plain loops over heap views: at these sizes the
// stock kernels' per-call set-up costs more than the work. Other shapes go to
// the stock kernels.
import * as tf from '@tensorflow/tfjs';
import { registerMixKernels } from './mixKernels';
import { registerExpertLayerKernels } from './expertLayerKernels';
import { loadSimdKernels, simdKernels } from './simd/simdKernels';
import { installCheapTapeSaves } from './tapeSaves';
import { ptr, type KernelArgs, type KernelImpl as StockKernel, type TensorInfo, type WasmBackendLike } from './wasmHeap';

function sliceView(x: TensorInfo, begin: number[], size: number[], backend: WasmBackendLike): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views are taken after makeOutput: an allocation may grow (and detach) the heap.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * x.shape[i + 1];
  // Copy runs of the innermost contiguous block, walking the outer indices.
  let inner = rank - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === x.shape[inner]) inner--;
  const run = size.slice(inner).reduce((a, b) => a * b, 1);
  const outerCount = size.slice(0, inner).reduce((a, b) => a * b, 1);
  const idx = new Array<number>(inner).fill(0);
  let o = 0;
  for (let n = 0; n < outerCount; n++) {
    let off = begin[inner] * strides[inner];
    for (let i = 0; i < inner; i++) off += (begin[i] + idx[i]) * strides[i];
    ov.set(xv.subarray(off, off + run), o);
    o += run;
    for (let i = inner - 1; i >= 0; i--) {
      if (++idx[i] < size[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

function parse(x: TensorInfo, begin: unknown, size: unknown): [number[], number[]] {
  const b = (Array.isArray(begin) ? begin : [begin]) as number[];
  const s = (Array.isArray(size) ? size : [size]) as number[];
  const bb = x.shape.map((_, i) => b[i] ?? 0);
  const ss = x.shape.map((d, i) => (s[i] === undefined || s[i] === -1 ? d - bb[i] : s[i]));
  return [bb, ss];
}

/** out = xᵀ for x [R, C], in cache-sized tiles. */
function transpose2d(x: Float32Array | Int32Array | Uint8Array, out: typeof x, R: number, C: number): void {
  const T = 32;
  for (let r0 = 0; r0 < R; r0 += T) {
    const r1 = Math.min(R, r0 + T);
    for (let c0 = 0; c0 < C; c0 += T) {
      const c1 = Math.min(C, c0 + T);
      for (let r = r0; r < r1; r++) {
        const row = r * C;
        for (let c = c0; c < c1; c++) out[c * R + r] = x[row + c];
      }
    }
  }
}

function fastTranspose(stock: StockKernel): StockKernel {
  return (args) => {
    const { inputs: { x }, attrs, backend } = args;
    const perm = attrs.perm as number[];
    const s = x.shape;
    const key = perm.join(',');
    if (x.dtype === 'string' || !(key === '1,0' || key === '0,2,1' || key === '1,0,2')) return stock(args);
    const out = backend.makeOutput(perm.map((p) => s[p]), x.dtype);
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    if (key === '1,0') transpose2d(xv, ov, s[0], s[1]);
    else if (key === '0,2,1') {
      const n = s[1] * s[2];
      for (let b = 0; b < s[0]; b++) transpose2d(xv.subarray(b * n, (b + 1) * n), ov.subarray(b * n, (b + 1) * n), s[1], s[2]);
    } else {
      // [A, B, C] → [B, A, C]: move runs of C.
      const [A, B, C] = s;
      for (let a = 0; a < A; a++)
        for (let b = 0; b < B; b++) ov.set(xv.subarray((a * B + b) * C, (a * B + b + 1) * C), (b * A + a) * C);
    }
    return out;
  };
}

function fastSum(stock: StockKernel): StockKernel {
  return (args) => {
    const { inputs: { x }, attrs, backend } = args;
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const simd = simdKernels();
    if (!simd || x.dtype !== 'float32' || x.shape.length !== 2 || axes.length !== 1 || axes[0] !== 0) return stock(args);
    const [R, C] = x.shape;
    const out = backend.makeOutput(attrs.keepDims ? [1, C] : [C], 'float32');
    simd.sum_rows(ptr(backend, x), ptr(backend, out), R, C);
    return out;
  };
}

let patching: Promise<void> | null = null;

/**
 * Re-registers the kernels above on the 'wasm' backend and, where the engine
 * has WebAssembly SIMD, loads the SIMD kernels (gate mixing, bias gradients,
 * Adam) onto its heap. Call with the wasm backend active. Idempotent.
 */
export function patchWasmKernels(): Promise<void> {
  // One shared promise: two trainers created at once both wait for the SIMD
  // module, so no run starts on one path and continues on the other. A call
  // before the wasm backend exists, or a failed one, is not remembered.
  const backend = tf.findBackend('wasm') as unknown as WasmBackendLike | null;
  if (!backend) return Promise.resolve();
  patching ??= install(backend).catch((e: unknown) => {
    patching = null;
    throw e;
  });
  return patching;
}

let replaced = false;

async function install(backend: WasmBackendLike): Promise<void> {
  await loadSimdKernels(backend.wasm?.asm?.memory);
  registerMixKernels();
  registerExpertLayerKernels();
  // The tape's saves of wasm tensors: a reference count, no Identity launch (tapeSaves.ts).
  installCheapTapeSaves();
  if (replaced) return;
  replaced = true;
  const stock = (kernelName: string): StockKernel => {
    const k = tf.getKernel(kernelName, 'wasm');
    if (!k) throw new Error(`TF.js WASM has no ${kernelName} kernel`);
    return k.kernelFunc as unknown as StockKernel;
  };
  const replace = (kernelName: string, kernelFunc: StockKernel) => {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  };
  replace('Transpose', fastTranspose(stock('Transpose')));
  replace('Sum', fastSum(stock('Sum')));
  replace('Slice', ({ inputs: { x }, attrs, backend }) => {
    if (x.dtype === 'string') throw new Error('string slice is not supported');
    const [b, s] = parse(x, attrs.begin, attrs.size);
    return sliceView(x, b, s, backend);
  });
  replace('Identity', ({ inputs: { x }, backend }) => {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  replace('SplitV', ({ inputs: { x }, attrs, backend }) => {
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits as number | number[], axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[axis] = n;
      const out = sliceView(x, begin, size, backend);
      begin[axis] += n;
      return out;
    });
  });
  replace('Unpack', ({ inputs: { value }, attrs, backend }) => {
    let axis = attrs.axis as number;
    if (axis < 0) axis += value.shape.length;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(value.shape.length).fill(0);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      begin[axis] = i;
      const out = sliceView(value, begin, size, backend);
      return { ...out, shape: outShape };
    });
  });
}
