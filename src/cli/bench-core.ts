// `npm run bench:core [-- --json <file>]`: training steps/s of the engine's PLE
// vs a per-expert matMul loop on Node WASM, and tensors alive after the
// engine's timed steps vs before. Both sides do the same work per step: same
// structure and sizes, same batches, MSE, Adam, no gradient clipping, loss
// read back every 10 steps. A second engine row shows the default clipping.
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { mustParseExperiment, type ExperimentInput } from '../core/config/schema';
import { generateDataset } from '../core/data/generator';
import { Trainer } from '../core/train/trainer';
import { BENCH_USAGE, parseBenchArgs } from './args';
import { BatchSampler, PerExpertLoopPle } from './bench/perExpertLoop';
import { useWasmBackend } from './wasm';

const WARMUP = 50;
const READBACK = 10;

const benchConfig = (steps: number, clipNorm: number): ExperimentInput => ({
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
    initSeed: 2,
    batchSeed: 3,
  },
});

interface EngineTiming {
  stepsPerSec: number;
  leaked: number;
}

async function timeEngine(steps: number, clipNorm: number): Promise<EngineTiming> {
  // totalSteps beyond what we run, so the trainer never finishes (and never evaluates) in the window.
  const trainer = await Trainer.create(benchConfig(WARMUP + steps + 1000, clipNorm), { backendName: 'wasm' });
  try {
    await trainer.train(WARMUP);
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const r = await trainer.train(steps);
    const seconds = (performance.now() - t0) / 1000;
    const after = tf.memory().numTensors;
    if (r.diverged) throw new Error('engine diverged during the benchmark');
    return { stepsPerSec: r.steps / seconds, leaked: after - before };
  } finally {
    trainer.dispose();
  }
}

async function timeLoop(steps: number): Promise<EngineTiming> {
  const cfg = benchConfig(steps, 0);
  // The same data as the engine's run.
  const ds = generateDataset(mustParseExperiment(cfg).data);
  const model = new PerExpertLoopPle({
    inputDim: ds.d,
    taskTypes: ds.taskTypes,
    levels: 2,
    specificExperts: 2,
    sharedExperts: 2,
    expertHidden: [64],
    towerHidden: [32],
    learningRate: cfg.train!.learningRate!,
    adamEpsilon: cfg.train!.adamEpsilon!,
    initSeed: 2,
  });
  const sampler = new BatchSampler(ds.train.x, ds.train.y, ds.train.n, ds.d, ds.K, 256, 3);
  const run = async (n: number) => {
    for (let s = 1; s <= n; s++) {
      const b = sampler.next();
      const loss = model.trainStep(b.x, b.y, s % READBACK === 0);
      b.x.dispose();
      b.y.dispose();
      if (loss) {
        const v = (await loss.data())[0];
        loss.dispose();
        if (!Number.isFinite(v)) throw new Error('per-expert loop diverged during the benchmark');
      }
    }
  };
  try {
    await run(WARMUP);
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    await run(steps);
    const seconds = (performance.now() - t0) / 1000;
    return { stepsPerSec: steps / seconds, leaked: tf.memory().numTensors - before };
  } finally {
    model.dispose();
    sampler.dispose();
  }
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseBenchArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`error: ${parsed.error}\n`);
    process.exit(2);
  }
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(BENCH_USAGE + '\n');
    return;
  }
  const backend = await useWasmBackend();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  process.stderr.write(`bench:core on ${backend} (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'}), Node ${process.version}\n`);

  process.stderr.write(`engine: ${WARMUP} warm-up steps, then ${args.steps} timed steps…\n`);
  const engine = await timeEngine(args.steps, 0);
  process.stderr.write(`engine with clipping: ${Math.min(args.steps, 300)} timed steps…\n`);
  const engineClip = await timeEngine(Math.min(args.steps, 300), 5);
  process.stderr.write(`per-expert loop: ${WARMUP} warm-up steps, then ${args.loopSteps} timed steps…\n`);
  const loop = await timeLoop(args.loopSteps);

  const leakedPer1000 = Math.round((engine.leaked * 1000) / args.steps);
  const rows: [string, string, string][] = [
    ['engine (PLE, packed experts)', engine.stepsPerSec.toFixed(1), `${engine.leaked} over ${args.steps} steps`],
    ['engine, clip by global norm 5', engineClip.stepsPerSec.toFixed(1), `${engineClip.leaked} over ${Math.min(args.steps, 300)} steps`],
    ['per-expert matMul loop', loop.stepsPerSec.toFixed(1), `${loop.leaked} over ${args.loopSteps} steps`],
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
    `tensors leaked per 1000 engine steps: ${leakedPer1000}${leakedPer1000 === 0 ? ' (no growth)' : ' (GROWS: a leak)'}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
  if (args.json) {
    const json = {
      stepsPerSec: { engine: round(engine.stepsPerSec), perExpertLoop: round(loop.stepsPerSec) },
      tensorsLeakedPer1000Steps: leakedPer1000,
      backend,
    };
    writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
    process.stderr.write(`wrote ${args.json}\n`);
  }
}

const round = (v: number) => Math.round(v * 10) / 10;

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`error: ${(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
