import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../worker/protocol';
import { applySnapshot, newLiveRun, Series } from './live';

function snap(steps: number[], rows: number[][], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    type: 'snapshot',
    runId: 'r',
    runIndex: 0,
    status: 'running',
    step: steps[steps.length - 1] ?? 0,
    totalSteps: 100,
    stepsPerSec: 12,
    curveSteps: Int32Array.from(steps),
    curveLoss: Float32Array.from(rows.flat()),
    val: null,
    gates: null,
    taskWeights: [1, 1],
    ...extra,
  };
}

describe('live buffers', () => {
  it('grows a series past its initial capacity', () => {
    const s = new Series();
    for (let i = 0; i < 1000; i++) s.push(i);
    expect(s.length).toBe(1000);
    expect(s.get(999)).toBe(999);
    expect(s.last()).toBe(999);
  });

  it('keeps finite curve points only: a chart never receives NaN', () => {
    const run = newLiveRun({ runId: 'r', runIndex: 0, name: 'x', model: 'mmoe', taskTypes: ['regression', 'regression'], totalSteps: 100 });
    applySnapshot(run, snap([10, 20, 30], [[3, 1, 2], [NaN, 1, 2], [2, 1, Infinity]]));
    applySnapshot(run, snap([40], [[1.5, 0.5, 1]]));
    expect(Array.from(run.curveStep.data.subarray(0, run.curveStep.length))).toEqual([10, 40]);
    expect(Array.from(run.curveJoint.data.subarray(0, 2))).toEqual([3, 1.5]);
    expect(Array.from(run.curveTask[1].data.subarray(0, 2))).toEqual([2, 1]);
    expect(run.step).toBe(40);
  });

  it('records gate means over time per gate, aligned with the gate steps', () => {
    const run = newLiveRun({ runId: 'r', runIndex: 0, name: 'x', model: 'mmoe', taskTypes: ['regression', 'regression'], totalSteps: 100 });
    const gate = (id: string, mean: number[]) => ({
      level: 0,
      id,
      label: id,
      experts: mean.map((_, i) => ({ module: 'shared', index: i, label: `S·E${i}` })),
      mean,
      std: mean.map(() => 0.1),
      variance: mean.map(() => 0.01),
      entropy: 0.5,
    });
    applySnapshot(run, snap([], [], { gates: { step: 10, levels: [{ level: 0, gates: [gate('task:0', [0.5, 0.5])], taskGateL1: NaN, meanTaskEntropy: 0.5 }] } }));
    applySnapshot(run, snap([], [], { gates: { step: 20, levels: [{ level: 0, gates: [gate('task:0', [0.3, 0.7]), gate('task:1', [0.9, 0.1])], taskGateL1: 1.2, meanTaskEntropy: 0.4 }] } }));
    expect(run.gateSteps.length).toBe(2);
    const t0 = run.gateSeries.get('L0:task:0')!;
    expect(t0[1].get(1)).toBeCloseTo(0.7);
    const t1 = run.gateSeries.get('L0:task:1')!;
    expect(t1[0].length).toBe(2); // padded for the step it was missing
    expect(Number.isNaN(t1[0].get(0))).toBe(true);
    expect(t1[0].get(1)).toBeCloseTo(0.9);
    expect(run.gatesStep).toBe(20);
  });
});
