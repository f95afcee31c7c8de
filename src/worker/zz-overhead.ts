import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Trainer } from '../core/train/trainer';
import { TrainingController } from './controller';
await tf.setBackend('wasm'); await tf.ready();
const cfg: any = { data: { inputDim: 100, nTrain: 8192, nVal: 256, nTest: 256 }, model: { type: 'ple', levels: 2, specificExperts: 2, sharedExperts: 2, expertHidden: [64], towerHidden: [32] }, train: { batchSize: 256, clipNorm: 0, steps: 1000000, evalEvery: 1000000, readbackEvery: 10 }, backend: 'wasm' };
const SEC = 6;
async function direct() {
  const t = await Trainer.create(cfg); await t.train(30);
  const s0 = t.step, t0 = performance.now();
  while (performance.now() - t0 < SEC * 1000) await t.train(10);
  const r = (t.step - s0) / ((performance.now() - t0) / 1000); t.dispose(); return r;
}
async function worker() {
  let last: any = null; let gates = 0;
  const ctl = new TrainingController({ post: (e: any) => { if (e.type === 'snapshot') { last = { step: e.step, at: performance.now() }; if (e.gates) gates++; } },
    createTrainer: (c, o) => Trainer.create(c, o), selectBackend: async () => ({ backend: 'wasm', attempts: [] }), currentDevice: () => null, memory: () => tf.memory() });
  await ctl.handle({ type: 'start', runId: 'x', config: cfg });
  while (!last || last.step < 30) await new Promise((r) => setTimeout(r, 20));
  const a = last; gates = 0;
  await new Promise((r) => setTimeout(r, SEC * 1000));
  const b = last;
  await ctl.handle({ type: 'stop' });
  return [(b.step - a.step) / ((b.at - a.at) / 1000), gates];
}
for (let i = 0; i < 3; i++) { console.log('direct', (await direct()).toFixed(1)); console.log('controller', (await worker()).map((x) => x.toFixed(1)).join(' gates=')); }
