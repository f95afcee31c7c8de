// The badge's one-line account of `auto`'s measurement, e.g.
// "WebGPU 41 steps/s vs WASM 160 steps/s → WASM". Pure: page and harness use it.
import type { BackendAttempt, BackendName } from './protocol';

export const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WASM', webgl: 'WebGL', cpu: 'CPU' };

export const formatRate = (v: number) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));

/** null when no backend was timed (a forced choice, or only one candidate was usable). */
export function probeSummary(attempts: readonly BackendAttempt[], backend: BackendName | null): string | null {
  const timed = attempts.filter((a) => a.stepsPerSec !== undefined);
  if (timed.length === 0 || !backend) return null;
  const parts = timed.map((a) =>
    a.stepsPerSec == null ? `${BACKEND_LABEL[a.backend]} no step within the probe` : `${BACKEND_LABEL[a.backend]} ${formatRate(a.stepsPerSec)} steps/s`,
  );
  return `${parts.join(' vs ')} → ${BACKEND_LABEL[backend]}`;
}
