/// <reference lib="webworker" />
// Benchmark-only worker (loaded by harness.html for `npm run bench`, never by
// the app): times, on a chosen backend, either the per-expert matMul loop PLE
// of src/cli/bench or the engine's Trainer called directly, the same way
// bench:core does in Node. Against the engine inside the training worker this
// separates the engine's speed from the worker's own overhead.
import * as tf from '@tensorflow/tfjs';
import { BatchSampler, PerExpertLoopPle } from '../cli/bench/perExpertLoop';
import { mustParseExperiment, resolveConfig, type BackendChoice, type ExperimentInput } from '../core/config/schema';
import { generateDataset } from '../core/data/generator';
import { Trainer } from '../core/train/trainer';
import { selectBackend } from './backends';

declare const self: DedicatedWorkerGlobalScope;

export interface LoopBenchRequest {
  model: 'perExpertLoop' | 'engine';
  backend: BackendChoice;
  config: ExperimentInput;
  warmupSteps: number;
  seconds: number;
}
export type LoopBenchReply =
  | { type: 'result'; backend: string; stepsPerSec: number; steps: number; seconds: number }
  | { type: 'error'; message: string };

const READBACK = 10;

/** The engine alone: Trainer.train() in one go per timed window (readbacks as configured). */
async function runEngine(req: LoopBenchRequest, backend: string): Promise<LoopBenchReply> {
  const trainer = await Trainer.create(req.config, { backendName: backend });
  try {
    await trainer.train(req.warmupSteps);
    const s0 = trainer.step;
    const t0 = performance.now();
    // Chunks end on a readback step (the config's readbackEvery), so the clock is read on finished work.
    const every = trainer.config.train.readbackEvery;
    while (performance.now() - t0 < req.seconds * 1000) {
      const r = await trainer.train(every - (trainer.step % every));
      if (r.diverged) throw new Error('engine diverged during the benchmark');
    }
    const seconds = (performance.now() - t0) / 1000;
    return { type: 'result', backend, stepsPerSec: (trainer.step - s0) / seconds, steps: trainer.step - s0, seconds };
  } finally {
    trainer.dispose();
  }
}

async function run(req: LoopBenchRequest): Promise<LoopBenchReply> {
  const sel = await selectBackend(req.backend);
  if (req.model === 'engine') return runEngine(req, sel.backend);
  const cfg = resolveConfig(mustParseExperiment(req.config));
  const ds = generateDataset(cfg.data);
  const spec = cfg.model.specificExperts;
  const model = new PerExpertLoopPle({
    inputDim: ds.d,
    taskTypes: ds.taskTypes,
    levels: cfg.model.levels,
    specificExperts: spec[0],
    sharedExperts: cfg.model.sharedExperts,
    expertHidden: cfg.model.expertHidden,
    towerHidden: cfg.model.towerHidden,
    learningRate: cfg.train.learningRate,
    adamEpsilon: cfg.train.adamEpsilon,
    initSeed: cfg.train.initSeed,
  });
  const sampler = new BatchSampler(ds.train.x, ds.train.y, ds.train.n, ds.d, ds.K, cfg.train.batchSize, cfg.train.batchSeed);
  let step = 0;
  // Steps until the next readback point at or after `until` ms (the clock only means something after a readback).
  const runUntil = async (minSteps: number, untilMs: number) => {
    const start = step;
    for (;;) {
      step++;
      const b = sampler.next();
      // Read back at step 1 and every READBACK steps, as the engine does.
      const loss = model.trainStep(b.x, b.y, step === 1 || step % READBACK === 0);
      b.x.dispose();
      b.y.dispose();
      if (loss) {
        const v = (await loss.data())[0];
        loss.dispose();
        if (!Number.isFinite(v)) throw new Error('per-expert loop diverged during the benchmark');
        if (step - start >= minSteps && performance.now() >= untilMs) return;
      }
    }
  };
  try {
    await runUntil(req.warmupSteps, 0);
    const s0 = step;
    const t0 = performance.now();
    await runUntil(1, t0 + req.seconds * 1000);
    const seconds = (performance.now() - t0) / 1000;
    return { type: 'result', backend: sel.backend, stepsPerSec: (step - s0) / seconds, steps: step - s0, seconds };
  } finally {
    model.dispose();
    sampler.dispose();
  }
}

self.onmessage = (e: MessageEvent<LoopBenchRequest>) => {
  run(e.data).then(
    (reply) => self.postMessage(reply),
    (err: unknown) => self.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies LoopBenchReply),
  );
};
