import { describe, expect, it } from 'vitest';
import { mustParseExperiment } from '../config/schema';
import type { ExperimentResults } from '../types';
import { metricsLine, parseResultsJson, resultsToJson, ResultsFormatError, toJson, withMtlGain } from './results';

const sample = (): ExperimentResults => ({
  version: 1,
  name: 'x',
  model: 'cgc',
  config: mustParseExperiment({ model: { type: 'cgc' } }),
  backend: 'wasm',
  seeds: { data: 1, init: 2, batch: 3 },
  status: 'done',
  steps: 5,
  wallSeconds: 0.1,
  train: [{ step: 1, loss: 1, taskLoss: [0.5, 0.5] }],
  val: [],
  test: [{ task: 0, type: 'regression', loss: 0.3, mse: 0.3, n: 10 }, { task: 1, type: 'regression', loss: 0.2, mse: 0.2, n: 10 }],
  gateStats: [{ level: 0, gates: [], taskGateL1: 0.4, meanTaskEntropy: NaN }],
  taskWeights: [1, 1],
  data: { requested: [[1, 0.5], [0.5, 1]], weightCosine: [], labelCorrelation: [], observedFraction: [1, 1], positiveRate: [NaN, NaN] },
});

describe('results.json', () => {
  it('writes non-finite numbers as null and round-trips the rest', () => {
    const text = resultsToJson(sample());
    expect(text).not.toMatch(/NaN|Infinity/);
    const back = parseResultsJson(text);
    expect(back.gateStats[0].meanTaskEntropy).toBeNull();
    expect(back.data.positiveRate).toEqual([null, null]);
    expect(back.test).toEqual(sample().test);
    expect(back.config).toEqual(sample().config);
    expect(toJson({ a: -Infinity, b: [1, NaN] })).toBe('{\n  "a": null,\n  "b": [\n    1,\n    null\n  ]\n}\n');
  });

  it('rejects what is not a results file, with a reason', () => {
    expect(() => parseResultsJson('{')).toThrow(ResultsFormatError);
    expect(() => parseResultsJson('{"version":2}')).toThrow(/version must be 1/);
    const noTrain = { ...sample(), train: undefined };
    expect(() => parseResultsJson(JSON.stringify(noTrain))).toThrow(/"train" must be an array/);
  });

  it('adds or removes the MTL gain without touching the input', () => {
    const r = sample();
    expect(withMtlGain(r, [0.1, null]).mtlGain).toEqual([0.1, null]);
    expect('mtlGain' in withMtlGain({ ...r, mtlGain: [1, 1] }, undefined)).toBe(false);
    expect(r.mtlGain).toBeUndefined();
  });

  it('summarises headline metrics in one line', () => {
    expect(metricsLine(sample().test!, ['A', 'B'])).toBe('A mse 0.3000 · B mse 0.2000');
    expect(metricsLine([{ task: 0, type: 'binary', loss: 1, auc: NaN, n: 0 }])).toBe('task 1 auc n/a');
  });
});
