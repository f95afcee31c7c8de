import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../config/schema';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const small = (model: NonNullable<ExperimentInput['model']>): ExperimentInput => ({
  data: { tasks: [{ type: 'regression' }, { type: 'binary' }], inputDim: 12, featureSupport: 4, correlation: 0, nTrain: 512, nVal: 64, nTest: 100 },
  model: { expertHidden: [8], towerHidden: [4], sharedExperts: 1, specificExperts: 1, ...model },
  train: { steps: 30, batchSize: 64, evalEvery: 10 },
});

describe('feature-gate statistics and test predictions in the results', () => {
  it('CGC with feature gates: one entry per task + shared, weights sum to 1, |w_k| from the generator, a correlation', async () => {
    const t = await Trainer.create(small({ type: 'cgc', featureGates: true }));
    try {
      await t.train(t.totalSteps);
      const r = await t.finish();
      expect(r.featureGates?.map((g) => g.id)).toEqual(['task:0', 'task:1', 'shared']);
      for (const g of r.featureGates!) {
        expect(g.meanWeight).toHaveLength(12);
        expect(g.meanWeight.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(g.correlation).not.toBeNull();
      }
      expect(r.featureGates![0].trueAbsWeight).toEqual(t.dataset.functions.w[0].map(Math.abs));
      expect(r.featureGates![2].trueAbsWeight[0]).toBeCloseTo((Math.abs(t.dataset.functions.w[0][0]) + Math.abs(t.dataset.functions.w[1][0])) / 2, 12);
      // Per-row test predictions: a probability for the binary task, labels as the split holds them.
      const p = r.testPredictions!;
      expect(p.scores.map((s) => s.length)).toEqual([100, 100]);
      expect(p.scores[1].every((v) => v > 0 && v < 1)).toBe(true);
      expect(p.labels[1].every((v) => v === 0 || v === 1)).toBe(true);
      expect(p.observed).toBeUndefined();
    } finally {
      t.dispose();
    }
  });

  it('without feature gates there is no featureGates entry (other families ignore the flag)', async () => {
    for (const model of [{ type: 'cgc' }, { type: 'shared-bottom', featureGates: true }] as const) {
      const t = await Trainer.create(small(model));
      try {
        await t.train(t.totalSteps);
        const r = await t.finish();
        expect(r.featureGates).toBeUndefined();
        expect(r.testPredictions?.scores).toHaveLength(2);
      } finally {
        t.dispose();
      }
    }
  });
});
