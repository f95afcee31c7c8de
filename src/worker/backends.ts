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
import type { ExperimentConfig } from '../core/config/schema';
import { generateDataset } from '../core/data/generator';
import type { Dataset } from '../core/types';
import { PROBE_BUDGET_MS, shapeKey, timeTraining } from './backendProbe';
import { BACKEND_LABEL, formatRate } from './probeText';

/** `auto` order: hardware WebGPU, then WASM, WebGL, CPU. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

export interface BackendSelection {
  backend: BackendName;
  attempts: BackendAttempt[];
  /** Human description of the WebGPU adapter, when one was probed. */
  adapterInfo?: string;
  /** `auto` with a config: the shape the choice was measured for, and the data the probe generated. */
  probeKey?: string;
  dataset?: Dataset;
}

/** `auto` times the run's own config on each usable candidate (see selectMeasured). */
export interface AutoProbe {
  config: ExperimentConfig;
  dataset?: Dataset;
  hooks?: ProbeHooks;
}

export interface ProbeHooks {
  /** Test hook: these backends' probes throw. */
  failBackends?: readonly BackendName[];
  /** Test hook: time a software (fallback) WebGPU adapter as if it were hardware. */
  softwareWebGPU?: boolean;
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

async function tryWebGPU(forced: boolean, allowSoftware = false): Promise<Probe> {
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
  if (software && !forced && !allowSoftware) {
    return {
      ok: false,
      adapterInfo,
      reason: `only a software (fallback) WebGPU adapter is available (${adapterInfo}); it is 30–60× slower than WASM and its first step alone (shader compilation, 3–20 s) outlasts auto's probe, so auto does not time it (choose WebGPU to force it)`,
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
  autoProbe?: AutoProbe,
): Promise<BackendSelection> {
  if (choice === 'auto' && autoProbe) return selectMeasured(exclude, autoProbe);
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

// ---------- auto by measurement ----------

/** Measured choices of this session (this worker), per model shape and hooks. */
const measuredCache = new Map<string, BackendSelection>();

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * `auto` for a known config: find which of hardware WebGPU and WASM are usable,
 * time the config on each (≤ PROBE_BUDGET_MS in all, WASM first so a GPU's
 * background shader compilation cannot slow WASM's measurement) and keep the
 * faster. One usable candidate is taken without timing; with none, WebGL then
 * CPU as before. The choice is cached per model shape for the worker's life.
 */
async function selectMeasured(exclude: ReadonlyMap<BackendName, string>, probe: AutoProbe): Promise<BackendSelection> {
  const hooks = probe.hooks ?? {};
  const key = `${shapeKey(probe.config)}|${JSON.stringify(hooks)}`;
  const cached = measuredCache.get(key);
  if (cached && !cached.attempts.some((a) => exclude.has(a.backend))) {
    const ok = (await activate(cached.backend)) === null;
    if (ok)
      return {
        ...cached,
        dataset: probe.dataset,
        attempts: cached.attempts.map((a) => (a.ok ? { ...a, reason: `${a.reason} (measured earlier this session for this model shape)` } : a)),
      };
  }
  const attempts = new Map<BackendName, BackendAttempt>();
  let adapterInfo: string | undefined;
  const usable: BackendName[] = [];
  for (const name of ['webgpu', 'wasm'] as const) {
    const why = exclude.get(name);
    if (why !== undefined) {
      attempts.set(name, { backend: name, ok: false, reason: why });
      continue;
    }
    let r: Probe;
    try {
      r = name === 'webgpu' ? await tryWebGPU(false, hooks.softwareWebGPU === true) : await tryWasm();
    } catch (e) {
      r = { ok: false, reason: `failed to load: ${errText(e)}` };
    }
    if (r.adapterInfo) adapterInfo = r.adapterInfo;
    attempts.set(name, { backend: name, ok: r.ok, reason: r.reason });
    if (r.ok) usable.push(name);
  }
  let dataset = probe.dataset;
  if (usable.length >= 2) {
    dataset ??= generateDataset(probe.config.data); // the run needs it anyway: not part of the probe's time
    const t0 = performance.now();
    // WASM first, with a bit over a third of the budget; the GPU gets the rest (its first step compiles shaders).
    for (const name of ['wasm', 'webgpu'] as const) {
      const slice = name === 'wasm' ? 0.37 * PROBE_BUDGET_MS : t0 + 0.97 * PROBE_BUDGET_MS - performance.now();
      const before = attempts.get(name)!;
      try {
        if (hooks.failBackends?.includes(name)) throw new Error('simulated failure (test hook)');
        const failed = await activate(name);
        if (failed) throw new Error(failed.reason);
        const { timing, dataset: ds } = await timeTraining(probe.config, dataset, slice, { synchronous: name === 'wasm' });
        dataset = ds;
        const measured =
          timing.stepsPerSec === null
            ? `its first step (kernel/shader compilation) did not finish within ${(slice / 1000).toFixed(2)} s`
            : `${formatRate(timing.stepsPerSec)} steps/s over ${timing.steps} steps after the first (${timing.firstStepMs.toFixed(0)} ms)`;
        attempts.set(name, { ...before, stepsPerSec: timing.stepsPerSec, reason: `measured ${measured}; ${before.reason}` });
      } catch (e) {
        attempts.set(name, { backend: name, ok: false, reason: `the timing probe failed (${errText(e)}); ${before.reason}` });
        usable.splice(usable.indexOf(name), 1);
      }
    }
  }
  const rateOf = (b: BackendName) => attempts.get(b)?.stepsPerSec ?? -1;
  const pick = usable.length ? usable.reduce((best, b) => (rateOf(b) > rateOf(best) ? b : best), usable.includes('wasm') ? 'wasm' : usable[0]) : null;
  if (pick) {
    const failed = await activate(pick);
    if (!failed) {
      const timed = usable.length >= 2;
      for (const b of usable) {
        const a = attempts.get(b)!;
        if (b === pick)
          attempts.set(b, { ...a, ok: true, reason: timed ? `${a.reason}; auto: the faster of the timed backends` : `${a.reason}; auto: the only usable candidate among WebGPU and WASM, so not timed` });
        else
          attempts.set(b, {
            ...a,
            ok: false,
            reason: `${a.reason}; auto: slower than ${BACKEND_LABEL[pick]} on this model, so not used (choose ${BACKEND_LABEL[b]} to force it)`,
          });
      }
      const sel: BackendSelection = { backend: pick, attempts: [...attempts.values()], adapterInfo, probeKey: key, dataset };
      measuredCache.set(key, { ...sel, dataset: undefined });
      return sel;
    }
    attempts.set(pick, { backend: pick, ok: false, reason: failed.reason });
  }
  // Nothing better usable: WebGL, then CPU, untimed.
  const rest = await selectBackend('auto', new Map([...exclude, ...[...attempts.values()].map((a) => [a.backend, a.reason] as const)]));
  return { ...rest, adapterInfo: rest.adapterInfo ?? adapterInfo, probeKey: key, dataset };
}

/** The GPUDevice behind the current WebGPU backend, if that is the one in use. */
export function currentWebGPUDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  return backend.device ?? null;
}
