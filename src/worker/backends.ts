// Backend selection for the training worker: try backends in order, check
// every setBackend() result, and say in words why each one was skipped.
// Backends other than the umbrella's webgl/cpu are loaded lazily with import().
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../core/config/schema';
import type { BackendAttempt, BackendName } from './protocol';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { patchWasmKernels } from '../core/backends/wasmKernels';
import { simdKernels } from '../core/backends/simd/simdKernels';

/** `auto` order: hardware WebGPU, then WASM, WebGL, CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

export interface BackendSelection {
  backend: BackendName;
  attempts: BackendAttempt[];
  /** Human description of the WebGPU adapter, when one was probed. */
  adapterInfo?: string;
}

interface Probe {
  ok: boolean;
  reason: string;
  adapterInfo?: string;
}

/** Order to try for a choice: a forced backend first, then the others in auto order. */
export function backendOrder(choice: BackendChoice): BackendName[] {
  return choice === 'auto' ? [...AUTO_ORDER] : [choice, ...AUTO_ORDER.filter((b) => b !== choice)];
}

function describeAdapter(info: GPUAdapterInfo | undefined): string {
  if (!info) return 'unknown adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return parts.length ? parts.join(' / ') : 'unnamed adapter';
}

function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = adapter.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  if (info?.isFallbackAdapter === true || legacy === true) return true;
  const text = `${info?.architecture ?? ''} ${info?.vendor ?? ''} ${info?.description ?? ''}`.toLowerCase();
  return text.includes('swiftshader');
}

async function activate(name: BackendName): Promise<Probe | null> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    return { ok: false, reason: `initialisation failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!ok || tf.getBackend() !== name) return { ok: false, reason: 'tf.setBackend() refused it (initialisation failed)' };
  await tf.ready();
  return null;
}

async function tryWebGPU(forced: boolean): Promise<Probe> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'WebGPU is not available in this browser (no navigator.gpu)' };
  // Same options as tfjs-backend-webgpu's own factory, so we judge the adapter it will get.
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: `requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter (navigator.gpu.requestAdapter() returned null)' };
  const adapterInfo = describeAdapter(adapter.info);
  const software = isSoftwareAdapter(adapter);
  if (software && !forced) {
    return {
      ok: false,
      adapterInfo,
      reason: `only a software (fallback) WebGPU adapter is available (${adapterInfo}); it is 30–60× slower than WASM, so auto skips it (choose WebGPU to force it)`,
    };
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  const failed = await activate('webgpu');
  if (failed) return { ...failed, adapterInfo };
  return {
    ok: true,
    adapterInfo,
    reason: software ? `software (fallback) adapter ${adapterInfo}: expect it to be slow` : `adapter ${adapterInfo}`,
  };
}

let wasmPathsSet = false;
async function tryWasm(): Promise<Probe> {
  if (typeof WebAssembly !== 'object') return { ok: false, reason: 'WebAssembly is not available' };
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Threads: measured on 2 cores they gave no speed-up, and with COOP/COEP in a
  // minified build the thread workers crashed (TFJS-NOTES). We serve no COOP/COEP
  // headers and pin the flag off, so the SIMD single-thread binary is used
  // everywhere, whatever headers a host adds.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!wasmPathsSet) {
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    });
    wasmPathsSet = true;
  }
  const failed = await activate('wasm');
  if (failed) return failed;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // Our own SIMD kernels (gate mixing, bias gradients, Adam) on TF.js's heap.
  await patchWasmKernels();
  const own = simdKernels() ? ' + the playground\'s SIMD kernels' : '';
  return { ok: true, reason: simd ? `WebAssembly with SIMD, 1 thread${own}` : `WebAssembly without SIMD (slower), 1 thread${own}` };
}

async function tryWebGL(): Promise<Probe> {
  // The umbrella package registers webgl; in a worker it needs OffscreenCanvas.
  if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined')
    return { ok: false, reason: 'WebGL needs OffscreenCanvas in a worker, which is missing' };
  const failed = await activate('webgl');
  if (failed) return { ...failed, reason: `WebGL: ${failed.reason}` };
  const version = tf.env().getNumber('WEBGL_VERSION');
  return { ok: true, reason: `WebGL ${version}` };
}

async function tryCpu(): Promise<Probe> {
  const failed = await activate('cpu');
  return failed ?? { ok: true, reason: 'plain JavaScript (slowest, always available)' };
}

async function probe(name: BackendName, forced: boolean): Promise<Probe> {
  switch (name) {
    case 'webgpu':
      return tryWebGPU(forced);
    case 'wasm':
      return tryWasm();
    case 'webgl':
      return tryWebGL();
    case 'cpu':
      return tryCpu();
  }
}

/**
 * Make the first usable backend of `choice`'s order current. Backends in
 * `exclude` (e.g. a lost WebGPU device) are listed as skipped with `excludeReason`.
 */
export async function selectBackend(
  choice: BackendChoice,
  exclude: ReadonlyMap<BackendName, string> = new Map(),
): Promise<BackendSelection> {
  const attempts: BackendAttempt[] = [];
  let adapterInfo: string | undefined;
  const order = backendOrder(choice);
  for (const name of order) {
    const why = exclude.get(name);
    if (why !== undefined) {
      attempts.push({ backend: name, ok: false, reason: why });
      continue;
    }
    let result: Probe;
    try {
      result = await probe(name, choice === name);
    } catch (e) {
      result = { ok: false, reason: `failed to load: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (result.adapterInfo) adapterInfo = result.adapterInfo;
    const forcedNote = choice === name ? 'forced; ' : '';
    attempts.push({ backend: name, ok: result.ok, reason: `${result.ok ? forcedNote : ''}${result.reason}` });
    if (result.ok) return { backend: name, attempts, adapterInfo };
  }
  throw new Error(`no TF.js backend could be initialised: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`);
}

/** The GPUDevice behind the current WebGPU backend, if that is the one in use. */
export function currentWebGPUDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  return backend.device ?? null;
}
