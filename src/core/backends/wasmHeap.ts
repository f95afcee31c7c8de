// The slice of TF.js's WASM backend that our kernels use: allocate an output,
// view a tensor's heap bytes, find its offset. (Internal API of
// @tensorflow/tfjs-backend-wasm 4.22, pinned in package.json.)
import type * as tf from '@tensorflow/tfjs';

export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm?: { asm?: { memory?: unknown } };
}

export type KernelArgs = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackendLike };
export type KernelImpl = (a: KernelArgs) => TensorInfo | TensorInfo[];

/** A tensor's byte offset in the heap. */
export const ptr = (backend: WasmBackendLike, t: TensorInfo): number => backend.dataIdMap.get(t.dataId).memoryOffset;
