import { describe, expect, it } from 'vitest';
import { mustParseExperiment } from '../config/schema';
import { expandPreset, summarizeSuite } from '../config/suite';
import { getPreset } from '../config/presets';
import type { ExperimentResults } from '../types';
import { curvesToCsv, summaryToCsv, toCsv } from './csv';

function results(): ExperimentResults {
  const config = mustParseExperiment({ data: { tasks: [{ type: 'regression' }, { type: 'binary' }] }, model: { type: 'mmoe' } });
  return {
    version: 1,
    model: 'mmoe',
    config,
    backend: 'wasm',
    seeds: { data: 1, init: 2, batch: 3 },
    status: 'done',
    steps: 20,
    wallSeconds: 0.5,
    train: [
      { step: 1, loss: 2.5, taskLoss: [1.5, 1.0] },
      { step: 10, loss: 1.25, taskLoss: [0.75, 0.5] },
      { step: 20, loss: 1.0, taskLoss: [0.6, 0.4] },
    ],
    val: [
      { step: 10, split: 'val', metrics: [{ task: 0, type: 'regression', loss: 0.8, mse: 0.8, n: 100 }, { task: 1, type: 'binary', loss: 0.6, auc: 0.7, logloss: 0.6, n: 100 }] },
      // a validation point at a step without a loss readback gets its own row
      { step: 15, split: 'val', metrics: [{ task: 0, type: 'regression', loss: 0.7, mse: 0.7, n: 100 }, { task: 1, type: 'binary', loss: 0.55, auc: NaN, logloss: 0.55, n: 100 }] },
    ],
    test: null,
    gateStats: [],
    taskWeights: [1, 1],
    data: { requested: [], weightCosine: [], labelCorrelation: [], observedFraction: [1, 1], positiveRate: [NaN, 0.5] },
  };
}

const parse = (csv: string) => csv.trimEnd().split('\n').map((l) => l.split(','));

describe('curvesToCsv', () => {
  it('has step, joint loss, per-task train loss and per-task validation metric columns', () => {
    const [header] = parse(curvesToCsv(results()));
    expect(header).toEqual([
      'step',
      'loss',
      'task1_train_loss',
      'task2_train_loss',
      'task1_val_loss',
      'task1_val_mse',
      'task2_val_loss',
      'task2_val_auc',
      'task2_val_logloss',
    ]);
  });

  it('puts each value under its column, one row per step, sorted, blanks where not measured', () => {
    const rows = parse(curvesToCsv(results())).slice(1);
    expect(rows.map((r) => r[0])).toEqual(['1', '10', '15', '20']);
    expect(rows[0]).toEqual(['1', '2.5', '1.5', '1', '', '', '', '', '']);
    expect(rows[1]).toEqual(['10', '1.25', '0.75', '0.5', '0.8', '0.8', '0.6', '0.7', '0.6']);
    // no readback at 15; its non-finite AUC is blank, never "NaN"
    expect(rows[2]).toEqual(['15', '', '', '', '0.7', '0.7', '0.55', '', '0.55']);
    expect(rows.every((r) => r.length === 9)).toBe(true);
  });
});

describe('toCsv', () => {
  it('quotes cells with commas, quotes or newlines', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], [1, null]])).toBe('a,b\n"x,y","say ""hi"""\n1,\n');
  });
});

describe('summaryToCsv', () => {
  it('has one row per run, with the headline metric, MTL gain and gate columns', () => {
    const runs = expandPreset(getPreset('seesaw')!, { steps: 100 });
    const single = runs.find((r) => r.variant === 'single-task')!;
    const ple = runs.find((r) => r.variant === 'ple')!;
    const base = results();
    const test = [
      { task: 0, type: 'regression' as const, loss: 0.5, mse: 0.5, n: 10 },
      { task: 1, type: 'binary' as const, loss: 0.4, auc: 0.9, logloss: 0.4, n: 10 },
    ];
    const gate = { level: 0, gates: [], taskGateL1: 0.25, meanTaskEntropy: 0.9 };
    const s = summarizeSuite({ preset: 'seesaw', title: 'Seesaw', backend: 'wasm' }, [
      { run: single, results: { ...base, model: 'single-task', config: single.config, test, mtlGain: [0, 0] } },
      { run: ple, results: { ...base, model: 'ple', config: ple.config, test, gateStats: [gate, { ...gate, level: 1, taskGateL1: NaN }], mtlGain: [0.1, -0.02] } },
    ]);
    const [header, ...rows] = parse(summaryToCsv(s));
    expect(header).toEqual([
      'name', 'variant', 'model', 'seed', 'correlation', 'status', 'steps', 'wall_s',
      'task1_test_mse', 'task1_mtl_gain', 'task2_test_auc', 'task2_test_logloss', 'task2_mtl_gain',
      'level1_task_gate_l1', 'level1_task_gate_entropy', 'level2_task_gate_l1', 'level2_task_gate_entropy',
      'params', 'best_step', 'baseline', 'weight_ratio', 'level1_shared_task_gate_l1', 'level2_shared_task_gate_l1',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1].slice(0, 3)).toEqual(['ple', 'ple', 'ple']);
    expect(rows[1].slice(8, 17)).toEqual(['0.5', '0.1', '0.9', '0.4', '-0.02', '0.25', '0.9', '', '0.9']);
    expect(rows[0].slice(13, 17)).toEqual(['', '', '', '']);
    expect(rows[1].slice(17)).toEqual(['', '', '', '0.5', '', '']); // params, best step, baseline unknown here; equal weights → ratio 0.5
  });
});
