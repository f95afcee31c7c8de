import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../data/generator';
import { mustParseExperiment } from '../config/schema';
import {
  availableDirections,
  binGateWeights,
  binOf,
  boundaryInPlane,
  boundarySegment,
  defaultPair,
  directionLabel,
  orthonormalise,
  projectRows,
} from './gateMap';
import { Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const dot = (p: ArrayLike<number>, q: ArrayLike<number>) => Array.from(p).reduce((s, v, i) => s + v * q[i], 0);

describe('orthonormalise', () => {
  it('û along p, v̂ ⟂ û in span(p, q), both unit', () => {
    const p = [2, 0, 0, 0];
    const q = [1, 3, 0, 0];
    const b = orthonormalise(p, q)!;
    expect(Array.from(b.u)).toEqual([1, 0, 0, 0]);
    expect(b.v[0]).toBeCloseTo(0, 12);
    expect(b.v[1]).toBeCloseTo(1, 12);
    const r = orthonormalise([1, 2, 3, 4], [0.9, 2.1, 2.5, 4.4])!;
    expect(dot(r.u, r.u)).toBeCloseTo(1, 12);
    expect(dot(r.v, r.v)).toBeCloseTo(1, 12);
    expect(dot(r.u, r.v)).toBeCloseTo(0, 12);
  });
  it('null for parallel or zero directions (two tasks at p = 1)', () => {
    expect(orthonormalise([1, 2, 3], [2, 4, 6])).toBeNull();
    expect(orthonormalise([0, 0, 0], [1, 0, 0])).toBeNull();
    expect(() => orthonormalise([1, 0], [1, 0, 0])).toThrow(/lengths/);
  });
});

describe('binning', () => {
  it('bins cover [−extent, extent) evenly; outside and NaN → −1', () => {
    expect(binOf(-3, 24, 3)).toBe(0);
    expect(binOf(-2.76, 24, 3)).toBe(0);
    expect(binOf(-2.74, 24, 3)).toBe(1);
    expect(binOf(0, 24, 3)).toBe(12);
    expect(binOf(2.999, 24, 3)).toBe(23);
    expect(binOf(3, 24, 3)).toBe(-1);
    expect(binOf(-3.01, 24, 3)).toBe(-1);
    expect(binOf(NaN, 24, 3)).toBe(-1);
  });
  it('mean weight per bin, expert-major, row = b; empty bins NaN; counts', () => {
    // 4 bins on [−2, 2): bin width 1. Rows: two in (a∈[0,1), b∈[−1,0)), one in (a∈[−2,−1), b∈[1,2)), one outside.
    const proj = Float32Array.from([0.5, -0.5, 0.2, -0.1, -1.5, 1.5, 5, 0]);
    const w = Float32Array.from([0.2, 0.8, 0.6, 0.4, 1, 0, 0.5, 0.5]);
    const { counts, means, inside } = binGateWeights(proj, 4, w, 2, 4, 2);
    expect(inside).toBe(3);
    const cellA = 1 * 4 + 2; // b bin 1, a bin 2
    const cellB = 3 * 4 + 0;
    expect(counts[cellA]).toBe(2);
    expect(counts[cellB]).toBe(1);
    expect(Array.from(counts).reduce((s, v) => s + v, 0)).toBe(3);
    expect(means[cellA]).toBeCloseTo(0.4, 6);
    expect(means[16 + cellA]).toBeCloseTo(0.6, 6);
    expect(means[cellB]).toBe(1);
    expect(Number.isNaN(means[0])).toBe(true);
  });
  it('projection = (ûᵀx, v̂ᵀx) per row', () => {
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const p = projectRows(x, 2, 3, [1, 0, 0], [0, 0, 1]);
    expect(Array.from(p)).toEqual([1, 3, 4, 6]);
  });
});

describe('region boundary', () => {
  it('r in the plane: the line na·a + nb·b = 0; r off the plane: none', () => {
    const u = [1, 0, 0];
    const v = [0, 1, 0];
    expect(boundaryInPlane([0, 1, 0], u, v)).toEqual({ na: 0, nb: 1 }); // b = 0: a horizontal line
    const diag = boundaryInPlane([Math.SQRT1_2, Math.SQRT1_2, 0], u, v)!;
    expect(diag.na).toBeCloseTo(Math.SQRT1_2, 12);
    expect(diag.nb).toBeCloseTo(Math.SQRT1_2, 12);
    expect(boundaryInPlane([0, 0, 1], u, v)).toBeNull();
    expect(boundaryInPlane(undefined, u, v)).toBeNull();
  });
  it('the segment is clipped to the square and lies on the line', () => {
    const [p, q] = boundarySegment({ na: 0, nb: 1 }, 3);
    expect(p[1]).toBeCloseTo(0, 12);
    expect(q[1]).toBeCloseTo(0, 12);
    expect(Math.abs(p[0])).toBeCloseTo(3, 12);
    const bd = { na: 0.6, nb: 0.8 };
    for (const e of boundarySegment(bd, 3)) {
      expect(bd.na * e[0] + bd.nb * e[1]).toBeCloseTo(0, 12);
      expect(Math.max(Math.abs(e[0]), Math.abs(e[1]))).toBeCloseTo(3, 12);
    }
  });
});

const REGIONAL = {
  data: { nTrain: 512, nVal: 128, nTest: 2000, inputDim: 16, relationship: 'regional' as const, regionCorrelations: [0.9, -0.9] },
  model: { type: 'mmoe' as const, sharedExperts: 3, expertHidden: [8], towerHidden: [4] },
  train: { steps: 20, batchSize: 64, evalEvery: 10, readbackEvery: 5 },
};

describe('directions of the generator', () => {
  it('regional: w₁..w_K and r; default (w₁, r), on which r is exactly the second axis', () => {
    const ds = generateDataset(mustParseExperiment(REGIONAL).data);
    const dirs = availableDirections(ds.functions);
    expect(dirs.map(directionLabel)).toEqual(['w₁ᵀx', 'w₂ᵀx', 'rᵀx']);
    const pair = defaultPair(ds.functions)!;
    expect(pair).toEqual({ a: { kind: 'task', task: 0 }, b: { kind: 'region' } });
    const basis = orthonormalise(ds.functions.w[0], ds.functions.r!)!;
    const bd = boundaryInPlane(ds.functions.r, basis.u, basis.v)!;
    expect(bd.na).toBeCloseTo(0, 6);
    expect(bd.nb).toBeCloseTo(1, 6);
    // The boundary splits the test rows as the generator's region labels do.
    const proj = projectRows(ds.test.x, ds.test.n, ds.d, basis.u, basis.v);
    for (let i = 0; i < ds.test.n; i++) expect(proj[i * 2 + 1] > 0 ? 1 : 0).toBe(ds.test.region![i]);
  });
  it('global: (w₁, w₂) and no r', () => {
    const ds = generateDataset(mustParseExperiment({ ...REGIONAL, data: { ...REGIONAL.data, relationship: 'global' } }).data);
    expect(availableDirections(ds.functions).map(directionLabel)).toEqual(['w₁ᵀx', 'w₂ᵀx']);
    expect(defaultPair(ds.functions)).toEqual({ a: { kind: 'task', task: 0 }, b: { kind: 'task', task: 1 } });
  });
});

describe('computeGateMap (TF.js forward with gates)', () => {
  it('every gate of every level; per non-empty bin the weights sum to 1 over the gate\'s experts', async () => {
    const t = await Trainer.create({ ...REGIONAL, model: { type: 'ple', specificExperts: 1, sharedExperts: 1, levels: 2, expertHidden: [8], towerHidden: [4] } });
    await t.train(20);
    const req = defaultPair(t.dataset.functions)!;
    const m = await t.gateMap(req);
    const infos = t.model.gateInfo();
    expect(m.gates.map((g) => `${g.level}:${g.id}`)).toEqual(infos.map((g) => `${g.level}:${g.id}`));
    expect(new Set(m.gates.map((g) => g.level)).size).toBe(2);
    expect(m.rows).toBe(2000);
    expect(m.inside).toBeGreaterThan(1900);
    expect(Array.from(m.counts).reduce((s, v) => s + v, 0)).toBe(m.inside);
    expect(m.boundary!.nb).toBeCloseTo(1, 6);
    const B2 = m.bins * m.bins;
    let filled = 0;
    for (const g of m.gates) {
      const E = g.experts.length;
      expect(g.weights.length).toBe(E * B2);
      for (let c = 0; c < B2; c++) {
        if (m.counts[c] === 0) {
          expect(Number.isNaN(g.weights[c])).toBe(true);
          continue;
        }
        filled++;
        let sum = 0;
        for (let e = 0; e < E; e++) {
          const v = g.weights[e * B2 + c];
          expect(Number.isFinite(v)).toBe(true);
          sum += v;
        }
        expect(sum).toBeCloseTo(1, 5);
      }
    }
    expect(filled).toBeGreaterThan(100);
    const few = await t.gateMap(req, 100);
    expect(few.rows).toBe(100);
    const parallel = await t.gateMap({ a: { kind: 'task', task: 0 }, b: { kind: 'task', task: 0 } });
    expect(parallel.gates).toEqual([]);
    expect(parallel.note).toMatch(/parallel/);
    t.dispose();
  });
});
