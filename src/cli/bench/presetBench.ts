// `npm run bench:core -- --presets`: the engine's training steps/s at each
// preset's own default model (a single preset's config, a suite's first
// variant), which are smaller than the bench config, so kernel launches weigh
// more. Each preset runs twice in alternating rounds: with the tape's saves as
// TF.js 4.22 makes them (one Identity kernel + one tape node per saved tensor)
// and as the engine makes them (src/core/backends/tapeSaves.ts), so the
// ratio is measured side by side under the same load.
import * as tf from '@tensorflow/tfjs';
import type { ExperimentInput } from '../../core/config/schema';
import { PRESETS } from '../../core/config/presets';
import { installCheapTapeSaves, uninstallCheapTapeSaves } from '../../core/backends/tapeSaves';
import { Trainer } from '../../core/train/trainer';

export interface PresetFigure {
  preset: string;
  model: string;
  batch: number;
  /** Engine steps/s, and kernel launches per step, with each kind of tape saves. */
  stepsPerSec: number;
  stockTapeStepsPerSec: number;
  kernelsPerStep: number;
  stockTapeKernelsPerStep: number;
}

const ROUNDS = 4;

function defaultModel(p: (typeof PRESETS)[number]): ExperimentInput {
  return p.kind === 'single' ? p.config : p.variants[0].config;
}

async function kernelsPerStep(t: Trainer, steps: number): Promise<number> {
  const prof = await tf.profile(async () => {
    await t.train(steps);
  });
  return prof.kernels.length / steps;
}

export async function benchPresets(stepsPerPreset: number, warmup: number): Promise<PresetFigure[]> {
  const out: PresetFigure[] = [];
  for (const p of PRESETS) {
    const base = defaultModel(p);
    // No evaluation in the window; everything else is the preset's own (readback cadence, probe, weighting).
    const config = { ...base, backend: 'wasm', train: { ...base.train, steps: 1_000_000, evalEvery: 1_000_000 } } as ExperimentInput;
    const cheap = await Trainer.create(config, { backendName: 'wasm' });
    const stock = await Trainer.create(config, { backendName: 'wasm' });
    try {
      const sides = [
        { t: cheap, on: true, s: 0, steps: 0 },
        { t: stock, on: false, s: 0, steps: 0 },
      ];
      const use = (on: boolean) => (on ? installCheapTapeSaves() : uninstallCheapTapeSaves());
      for (const side of sides) {
        use(side.on);
        await side.t.train(warmup);
      }
      use(true);
      const kCheap = await kernelsPerStep(cheap, 5);
      use(false);
      const kStock = await kernelsPerStep(stock, 5);
      for (let r = 0; r < ROUNDS; r++)
        for (const side of r % 2 ? [...sides].reverse() : sides) {
          use(side.on);
          const n = Math.ceil(stepsPerPreset / ROUNDS);
          const t0 = performance.now();
          await side.t.train(n);
          side.s += (performance.now() - t0) / 1000;
          side.steps += n;
        }
      out.push({
        preset: p.id,
        model: cheap.config.model.type,
        batch: cheap.config.train.batchSize,
        stepsPerSec: sides[0].steps / sides[0].s,
        stockTapeStepsPerSec: sides[1].steps / sides[1].s,
        kernelsPerStep: kCheap,
        stockTapeKernelsPerStep: kStock,
      });
    } finally {
      installCheapTapeSaves();
      cheap.dispose();
      stock.dispose();
    }
  }
  return out;
}
