// The measurement behind `npm run bench:core` (src/cli/bench-core.ts): training steps/s of the engine's PLE
// vs a per-expert matMul loop on Node WASM, and tensors alive after the
// engine's timed steps vs before. Both sides do the same work per step: same
// structure and sizes, same batches, MSE, Adam, no gradient clipping, loss
// read back every 10 steps. A second engine row shows the default clipping.
// The sides run in alternating rounds so load changes on a shared machine
// affect all of them alike.
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { mustParseExperiment, type ExperimentInput } from '../../core/config/schema';
import { generateDataset } from '../../core/data/generator';
import { Trainer } from '../../core/train/trainer';
import type { BenchArgs } from '../args';
import { BatchSampler, PerExpertLoopPle } from './perExpertLoop';
import { useWasmBackend } from '../wasm';
import { patchWasmKernels } from '../../core/backends/wasmKernels';
import { simdKernels } from '../../core/backends/simd/simdKernels';
import { benchPresets, type PresetFigure } from './presetBench';

const READBACK = 10;

const benchConfig = (steps: number, clipNorm: number, gradCosineEvery = 0): ExperimentInput => ({
  data: { tasks: [{ type: 'regression' }, { type: 'regression' }], inputDim: 100, nTrain: 8192, nVal: 256, nTest: 256, correlation: 0.5, seed: 1 },
  model: { type: 'ple', levels: 2, specificExperts: 2, sharedExperts: 2, expertHidden: [64], towerHidden: [32], gateHidden: [] },
  train: {
    batchSize: 256,
    learningRate: 0.003,
    adamEpsilon: 1e-7,
    clipNorm,
    steps,
    // No validation inside the timed window.
    evalEvery: 1_000_000,
    readbackEvery: READBACK,
    // The gradient-conflict probe: off in the base rows, at its default cadence in its own row.
    gradCosineEvery,
    initSeed: 2,
    batchSeed: 3,
  },
});

/** A model under test: train n steps (reading the loss back every READBACK steps). */
interface Side {
  train(n: number): Promise<void>;
  dispose(): void;
}

async function engineSide(totalSteps: number, warmup: number, clipNorm: number, gradCosineEvery = 0): Promise<Side> {
  // totalSteps beyond what we run, so the trainer never finishes (and never evaluates) in the window.
  const trainer = await Trainer.create(benchConfig(totalSteps + warmup + 1000, clipNorm, gradCosineEvery), { backendName: 'wasm' });
  return {
    async train(n) {
      const r = await trainer.train(n);
      if (r.diverged) throw new Error('engine diverged during the benchmark');
      if (r.steps !== n) throw new Error(`engine ran ${r.steps} of ${n} steps`);
    },
    dispose: () => trainer.dispose(),
  };
}

function loopSide(): Side {
  const cfg = mustParseExperiment(benchConfig(1, 0));
  // The same data, init seed and batch seed as the engine's run.
  const ds = generateDataset(cfg.data);
  const model = new PerExpertLoopPle({
    inputDim: ds.d,
    taskTypes: ds.taskTypes,
    levels: 2,
    specificExperts: 2,
    sharedExperts: 2,
    expertHidden: [64],
    towerHidden: [32],
    learningRate: cfg.train.learningRate,
    adamEpsilon: cfg.train.adamEpsilon,
    initSeed: cfg.train.initSeed,
  });
  const sampler = new BatchSampler(ds.train.x, ds.train.y, ds.train.n, ds.d, ds.K, cfg.train.batchSize, cfg.train.batchSeed);
  let step = 0;
  return {
    async train(n) {
      for (let i = 0; i < n; i++) {
        step++;
        const b = sampler.next();
        const loss = model.trainStep(b.x, b.y, step % READBACK === 0);
        b.x.dispose();
        b.y.dispose();
        if (loss) {
          const v = (await loss.data())[0];
          loss.dispose();
          if (!Number.isFinite(v)) throw new Error('per-expert loop diverged during the benchmark');
        }
      }
    },
    dispose() {
      model.dispose();
      sampler.dispose();
    },
  };
}

interface Timing {
  steps: number;
  seconds: number;
  /** tf.memory().numTensors after − before, summed over this side's timed chunks. */
  leaked: number;
}

/**
 * Times several sides in alternating rounds, so a change in machine load
 * (shared CI boxes) hits all of them alike and their ratio stays fair.
 */
async function timeInterleaved(sides: { side: Side; steps: number }[], rounds: number, warmup: number): Promise<Timing[]> {
  for (const { side } of sides) await side.train(warmup);
  const out: Timing[] = sides.map(() => ({ steps: 0, seconds: 0, leaked: 0 }));
  for (let r = 0; r < rounds; r++)
    for (const [i, { side, steps }] of sides.entries()) {
      const n = Math.floor(steps / rounds) + (r < steps % rounds ? 1 : 0);
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      await side.train(n);
      out[i].seconds += (performance.now() - t0) / 1000;
      out[i].leaked += tf.memory().numTensors - before;
      out[i].steps += n;
    }
  return out;
}

const ROUNDS = 5;
/** train.gradCosineEvery's default (schema.ts). */
const GRAD_COSINE_DEFAULT = mustParseExperiment({}).train.gradCosineEvery;
const CLIP_STEPS = 300;

/** Runs the benchmark, prints the table to stdout, writes --json when asked. */
export async function runBench(args: BenchArgs): Promise<void> {
  const backend = await useWasmBackend();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  // Trainer.create loads the engine's own SIMD kernels; load them now to say so.
  await patchWasmKernels();
  const own = simdKernels() ? 'engine SIMD kernels on' : 'engine SIMD kernels UNAVAILABLE';
  process.stderr.write(`bench:core on ${backend} (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}, ${own}), Node ${process.version}\n`);

  const clipSteps = Math.min(args.steps, CLIP_STEPS);
  process.stderr.write(
    `${args.warmup} warm-up steps each, then ${ROUNDS} alternating rounds: engine ${args.steps} steps, ` +
      `engine with clipping ${clipSteps}, per-expert loop ${args.loopSteps}…\n`,
  );
  const sides = [
    { side: await engineSide(args.steps, args.warmup, 0), steps: args.steps },
    { side: await engineSide(clipSteps, args.warmup, 5), steps: clipSteps },
    { side: loopSide(), steps: args.loopSteps },
    { side: await engineSide(args.steps, args.warmup, 0, GRAD_COSINE_DEFAULT), steps: args.steps },
  ];
  let timings: Timing[];
  try {
    timings = await timeInterleaved(sides, ROUNDS, args.warmup);
  } finally {
    for (const { side } of sides) side.dispose();
  }
  const sps = (t: Timing) => t.steps / t.seconds;
  const [engine, engineClip, loop, engineCos] = timings.map((t) => ({ ...t, stepsPerSec: sps(t) }));

  const leakedPer1000 = Math.round((engine.leaked * 1000) / engine.steps);
  const rows: [string, string, string][] = [
    ['engine (PLE, packed experts)', engine.stepsPerSec.toFixed(1), `${engine.leaked} over ${engine.steps} steps`],
    ['engine, clip by global norm 5', engineClip.stepsPerSec.toFixed(1), `${engineClip.leaked} over ${engineClip.steps} steps`],
    ['per-expert matMul loop', loop.stepsPerSec.toFixed(1), `${loop.leaked} over ${loop.steps} steps`],
    [`engine + gradient cosine at the default cadence (every ${GRAD_COSINE_DEFAULT})`, engineCos.stepsPerSec.toFixed(1), `${engineCos.leaked} over ${engineCos.steps} steps`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length), 5);
  const w1 = Math.max(...rows.map((r) => r[1].length), 7);
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`;
  const out = [
    `bench config: 2 regression tasks, PLE 2 levels, 2 specific + 2 shared experts/level, experts [64], towers [32] + linear,`,
    `input 100, batch 256, Adam (lr 0.003, eps 1e-7), no clipping unless stated, loss read back every ${READBACK} steps; backend ${backend}`,
    '',
    line('model', 'steps/s', 'tensors alive after − before'),
    line('-'.repeat(w0), '-'.repeat(w1), '-'.repeat(28)),
    ...rows.map((r) => line(...r)),
    '',
    `engine / per-expert loop: ${(engine.stepsPerSec / loop.stepsPerSec).toFixed(2)}x`,
    `gradient-cosine probe cost: ${(100 * (1 - engineCos.stepsPerSec / engine.stepsPerSec)).toFixed(1)}% of steps/s (same run, alternating rounds)`,
    `tensors leaked per 1000 engine steps: ${leakedPer1000}${leakedPer1000 === 0 ? ' (no growth)' : ' (GROWS: a leak)'}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
  let presets: PresetFigure[] | null = null;
  if (args.presetSteps > 0) {
    process.stderr.write(`presets: ${args.presetSteps} timed steps per preset and kind of tape saves, alternating…\n`);
    presets = await benchPresets(args.presetSteps, Math.min(args.warmup, 20));
    const pw = Math.max(...presets.map((p) => p.preset.length), 6);
    process.stdout.write(
      [
        '',
        `the engine at each preset's default model (a suite's first variant), steps/s; "TF.js tape saves" = Identity clones as TF.js makes them`,
        `${'preset'.padEnd(pw)}  ${'model'.padEnd(14)}  batch  steps/s  TF.js tape saves  ratio  kernels/step (TF.js saves)`,
        ...presets.map(
          (p) =>
            `${p.preset.padEnd(pw)}  ${p.model.padEnd(14)}  ${String(p.batch).padStart(5)}  ${p.stepsPerSec.toFixed(1).padStart(7)}  ${p.stockTapeStepsPerSec.toFixed(1).padStart(16)}  ${(p.stepsPerSec / p.stockTapeStepsPerSec).toFixed(2).padStart(4)}x  ${p.kernelsPerStep.toFixed(0)} (${p.stockTapeKernelsPerStep.toFixed(0)})`,
        ),
        '',
      ].join('\n'),
    );
  }
  if (args.json) {
    const json = {
      stepsPerSec: { engine: round(engine.stepsPerSec), perExpertLoop: round(loop.stepsPerSec) },
      tensorsLeakedPer1000Steps: leakedPer1000,
      backend,
      ...(presets ? { presets: presets.map((p) => ({ ...p, stepsPerSec: round(p.stepsPerSec), stockTapeStepsPerSec: round(p.stockTapeStepsPerSec), kernelsPerStep: round(p.kernelsPerStep), stockTapeKernelsPerStep: round(p.stockTapeKernelsPerStep) })) } : {}),
    };
    writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
    process.stderr.write(`wrote ${args.json}\n`);
  }
}

const round = (v: number) => Math.round(v * 10) / 10;

