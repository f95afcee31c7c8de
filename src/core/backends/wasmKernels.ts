// Faster replacements for four TF.js 4.22 WASM kernels.
//
// Measured in Node (tfjs-backend-wasm 4.22): Slice copies its WHOLE input
// out of the wasm heap (`readSync` → HEAPU8.slice, a fresh ArrayBuffer) before
// taking the slice, so slicing 100 floats out of a 70k-float tensor cost
// ~0.6–0.8 ms; SplitV and Unpack call that Slice once per output. Identity
// (run by the gradient tape to save every op's inputs) copies data that is
// immutable anyway. Here Slice reads the heap through views, and Identity
// shares the buffer by reference count, as the CPU backend and WASM's own
// Reshape do. Results are bit-identical; only the copies go away.
import * as tf from '@tensorflow/tfjs';

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}
type KernelArgs = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackendLike };

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

let patched = false;

/** Re-register the kernels on the 'wasm' backend. Idempotent; harmless if wasm is never used. */
export function patchWasmKernels(): void {
  if (patched) return;
  patched = true;
  const replace = (kernelName: string, kernelFunc: (a: KernelArgs) => TensorInfo | TensorInfo[]) => {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  };
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
