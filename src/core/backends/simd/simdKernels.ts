// Loads the SIMD kernels (kernels.c → kernels.wasm.ts) onto TF.js's WASM heap.
// The module imports the backend's own WebAssembly.Memory, so a kernel takes
// tensors by their heap offsets and touches nothing else: no copies in or out.
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

type Ptr = number;
export interface SimdKernels {
  mix_gate(p: Ptr, x: Ptr, out: Ptr, B: number, G: number, E: number, H: number, g: number, os: number): void;
  mix_grad_p_gate(p: Ptr, x: Ptr, dy: Ptr, dp: Ptr, B: number, G: number, E: number, H: number, g: number, ds: number): void;
  mix_grad_x_gate(p: Ptr, dy: Ptr, dx: Ptr, B: number, G: number, E: number, H: number, g: number, ds: number, accumulate: number): void;
  sum_rows(x: Ptr, out: Ptr, R: number, C: number): void;
  sum_squares(g: Ptr, n: number): number;
  split_bias_relu(y: Ptr, bias: Ptr, e: Ptr, l: Ptr, B: number, C: number, ec: number): void;
  split_bias_relu_grad(de: Ptr, e: Ptr, dl: Ptr, dy: Ptr, B: number, C: number, ec: number): void;
  relu_bias_grad(de: Ptr, e: Ptr, out: Ptr, B: number, ec: number): void;
  adam(theta: Ptr, g: Ptr, m: Ptr, v: Ptr, out: Ptr, n: number, lrT: number, epsT: number, b1: number, c1: number, b2: number, c2: number, s: number): void;
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const bytes = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

let kernels: SimdKernels | null = null;
let loadedFor: WebAssembly.Memory | null = null;

/**
 * Instantiates the kernels against `memory` (the WASM backend's heap). Null
 * where the engine has no WebAssembly SIMD: callers keep TF.js's own kernels.
 */
export async function loadSimdKernels(memory: unknown): Promise<SimdKernels | null> {
  // A threaded TF.js build keeps its memory elsewhere (we pin threads off, but a
  // host could change that): then, as without SIMD, TF.js's own kernels run.
  if (!(memory instanceof WebAssembly.Memory)) return null;
  if (kernels && loadedFor === memory) return kernels;
  const bytes = decode(KERNELS_WASM_BASE64);
  if (!WebAssembly.validate(bytes)) return null;
  try {
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    kernels = instance.exports as unknown as SimdKernels;
    loadedFor = memory;
  } catch {
    kernels = null; // e.g. a CSP without 'wasm-unsafe-eval' for our module
  }
  return kernels;
}

/** The loaded kernels, or null before loading / without SIMD. */
export function simdKernels(): SimdKernels | null {
  return kernels;
}
