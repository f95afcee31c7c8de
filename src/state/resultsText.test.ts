import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mustParseExperiment } from '../core/config/schema';
import type { ExperimentResults, LevelGateStats } from '../core/types';
import { baselineHeader, baselineNames, bestStepMarks, paramsText, selectedStepCell, selectedStepText, taskGateLevel } from './resultsText';

function result(over: Partial<ExperimentResults> & { type?: string; hidden?: number[] } = {}): ExperimentResults {
  const { type = 'mmoe', hidden = [64], ...rest } = over;
  const config = mustParseExperiment({ model: { type, expertHidden: hidden } });
  return {
    version: 1,
    model: config.model.type,
    config,
    backend: 'wasm',
    seeds: { data: 1, init: 2, batch: 3 },
    status: 'done',
    steps: 2000,
    wallSeconds: 1,
    train: [],
    val: [],
    test: [
      { task: 0, type: 'regression', loss: 0.5, mse: 0.5, n: 10 },
      { task: 1, type: 'regression', loss: 0.6, mse: 0.6, n: 10 },
    ],
    gateStats: [],
    taskWeights: [1, 1],
    data: { requested: [], weightCosine: [], labelCorrelation: [], observedFraction: [], positiveRate: [] },
    ...rest,
  };
}

describe('which step a run is measured at', () => {
  it('names the best validation step, per task when the tasks were selected apart, or the last step', () => {
    expect(selectedStepText(result({ selectBest: true, bestStep: 840, bestStepByTask: [840, 840] }))).toBe('test at step 840 (best validation)');
    expect(selectedStepCell(result({ selectBest: true, bestStep: 840, bestStepByTask: [840, 840] }))).toBe('840 (best validation)');
    expect(selectedStepText(result({ selectBest: true, bestStep: 840, bestStepByTask: [600, 840] }))).toBe('test at steps 600 / 840 (best validation per task)');
    expect(selectedStepText(result({ selectBest: false, bestStep: 2000, bestStepByTask: [2000, 2000] }))).toBe('test at the last step (2000)');
    expect(selectedStepCell(result({ selectBest: false, bestStep: 2000 }))).toBe('2000 (last step)');
    // Runs saved before selection existed were measured at the last step.
    expect(selectedStepText(result({}))).toBe('test at the last step (2000)');
  });

  it('marks the curves only when selection was on', () => {
    expect(bestStepMarks(result({ selectBest: true, bestStep: 840, bestStepByTask: [840, 840] }), 2)).toEqual({ joint: 840, task: [840, 840] });
    expect(bestStepMarks(result({ selectBest: true, bestStep: 840, bestStepByTask: [600, 840] }), 2)).toEqual({ joint: null, task: [600, 840] });
    expect(bestStepMarks(result({ selectBest: false, bestStep: 2000 }), 2)).toBeNull();
    expect(bestStepMarks(result({}), 2)).toBeNull();
  });
});

describe('parameters and baselines', () => {
  it('formats counts and names the baseline with its size', () => {
    expect(paramsText(4290)).toBe('4,290 params');
    expect(paramsText(undefined)).toBe('params n/a');
    const single = result({ type: 'single-task', params: 4290, name: 'single-task' });
    const mmoe = result({ type: 'mmoe', params: 30890 });
    const names = baselineNames([single, mmoe], ['Single-task · seed 1', 'MMoE · seed 1']);
    expect(names).toEqual(['Single-task (4,290 params)', 'Single-task (4,290 params)']);
    expect(baselineHeader(names)).toBe('vs Single-task (4,290 params)');
    expect(baselineNames([mmoe], ['MMoE'])).toEqual([undefined]);
    expect(baselineHeader([undefined])).toBeNull();
  });

  it('prefers the single-task run of the same sizes, and a result’s own named baseline', () => {
    const deep = result({ type: 'single-task', params: 9000, hidden: [64, 64], name: 'single-deep' });
    const same = result({ type: 'single-task', params: 4290, hidden: [64], name: 'single' });
    const mmoe = result({ type: 'mmoe', params: 30890, hidden: [64] });
    expect(baselineNames([deep, same, mmoe], ['Single-task [64, 64]', 'Single-task [64]', 'MMoE'])[2]).toBe('Single-task [64] (4,290 params)');
    const carried = result({ mtlGain: [0.1, 0.2], baseline: { name: 'single-task-seed3', model: 'single-task', params: 17154 } });
    expect(baselineNames([carried], ['MMoE'])).toEqual(['Single-task (17,154 params)']);
  });
});

describe('the level a gate summary describes', () => {
  const lvl = (level: number, ids: string[], l1: number): LevelGateStats => ({
    level,
    gates: ids.map((id) => ({ level, id, label: id, experts: [], mean: [], std: [], variance: [], entropy: 0.5 })),
    taskGateL1: l1,
    meanTaskEntropy: 0.5,
  });
  it('skips ML-MMoE’s inner levels (gates feed next-level experts, no task gates)', () => {
    const levels = [lvl(0, ['expert:0', 'expert:1'], NaN), lvl(1, ['task:0', 'task:1'], 0.3)];
    expect(taskGateLevel(levels)?.level).toBe(1);
    expect(taskGateLevel([lvl(0, ['omoe'], NaN)])).toBeNull();
    expect(DEFAULT_CONFIG.model.gateBias).toBe(true);
  });
});
