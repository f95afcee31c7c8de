// `auto`'s measurement: time a few training steps of the ACTUAL config on a
// backend that is already current, within a wall-clock slice. The timed window
// starts after the first step (which compiles kernels/shaders) and ends on a
// loss readback, so a GPU's queued work is finished inside the window.
import type { ExperimentConfig } from '../core/config/schema';
import { Trainer } from '../core/train/trainer';
import type { Dataset } from '../core/types';

/** The whole `auto` probe, every candidate together (the limit). */
export const PROBE_BUDGET_MS = 1500;

export interface ProbeTiming {
  /** Steps per second after the first step; null when the first step did not finish in the slice. */
  stepsPerSec: number | null;
  /** Timed steps (after the first). */
  steps: number;
  firstStepMs: number;
  /** Wall time of the whole probe of this backend (trainer build included). */
  totalMs: number;
}

/** What makes two configs the same for speed: the model, input width, tasks, batch, the loss machinery. */
export function shapeKey(c: ExperimentConfig): string {
  return JSON.stringify({
    model: c.model,
    d: c.data.inputDim,
    tasks: c.data.tasks.map((t) => t.type),
    chain: c.data.chain,
    batch: c.train.batchSize,
    weighting: c.train.weighting.kind,
    clip: c.train.clipNorm > 0,
    readback: c.train.readbackEvery,
  });
}

const now = () => performance.now();

/**
 * Time `config` on the current backend for at most `sliceMs`. The probe trainer
 * never evaluates or probes gradients; it reads the loss back at the config's
 * own cadence. A first step still running at the deadline is abandoned: it
 * finishes in the background (its tensors are freed when it settles) and the
 * backend is reported as not having finished a step.
 */
export async function timeTraining(
  config: ExperimentConfig,
  dataset: Dataset | undefined,
  sliceMs: number,
  /**
   * CPU backends (WASM) compute a step synchronously, so their first step cannot be
   * abandoned; they always get one timed chunk, even past the slice on a loaded machine.
   */
  opts: { synchronous: boolean } = { synchronous: false },
): Promise<{ timing: ProbeTiming; dataset: Dataset }> {
  const t0 = now();
  const R = config.train.readbackEvery;
  const probeConfig: ExperimentConfig = {
    ...config,
    train: { ...config.train, steps: 1_000_000, evalEvery: 1_000_000, gradCosineEvery: 0, selectBest: false },
  };
  const trainer = await Trainer.create(probeConfig, { dataset });
  let abandoned = false;
  const first = trainer.train(1, () => abandoned);
  const deadline = t0 + sliceMs;
  const finished = opts.synchronous || await Promise.race([first.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, deadline - now())))]);
  const firstStepMs = now() - t0;
  if (!finished) {
    abandoned = true;
    // Never run another step: the backend is about to change under it.
    void first.finally(() => trainer.dispose()).catch(() => undefined);
    return { timing: { stepsPerSec: null, steps: 0, firstStepMs, totalMs: now() - t0 }, dataset: trainer.dataset };
  }
  try {
    await first;
    // Chunks end on a readback step (multiples of R), so each train() call returns synchronised.
    const tStart = now();
    let steps = 0;
    let chunkMs = 0;
    while ((opts.synchronous && steps === 0) || now() + chunkMs < deadline) {
      const n = R - (trainer.step % R);
      const c0 = now();
      const r = await trainer.train(n);
      chunkMs = now() - c0;
      steps += r.steps;
      if (r.diverged || r.steps === 0) break;
      if (now() > deadline) break;
    }
    const elapsed = now() - tStart;
    return {
      timing: { stepsPerSec: steps > 0 && elapsed > 0 ? (steps * 1000) / elapsed : null, steps, firstStepMs, totalMs: now() - t0 },
      dataset: trainer.dataset,
    };
  } finally {
    trainer.dispose();
  }
}
