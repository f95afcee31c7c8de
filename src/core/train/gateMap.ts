// Gate maps (issue 12, part 3): a gate's weight on each of its experts over a
// plane of two of the generator's directions, after TensorFlow Playground's
// output heatmap.
//
// Sampling (stated in the chart's caption and help): the TEST inputs, not
// synthetic points. Each test row x is projected on the plane of two
// orthonormalised directions û, v̂ (Gram–Schmidt of the chosen pair, in that
// order): a = ûᵀx, b = v̂ᵀx. Since x ~ N(0, I), (a, b) ~ N(0, I₂), so a fixed
// square [−3, 3]² holds ≈ 99% of the rows. The square is cut into bins × bins
// bins; a bin shows the MEAN gate weight of the rows that fall in it (NaN for
// an empty bin), so the other 98 coordinates keep their real distribution (a
// point on the plane with the other coordinates 0 would be far from the data:
// ‖x‖ ≈ 1.4 there against ≈ 10 for real inputs).
//
// Region boundary: under the regional generator rᵀx = 0 is a straight line on
// the plane exactly when r lies in span(û, v̂) (e.g. the pair (w_k, r), where
// r ⟂ w_k by construction, so v̂ = r and the line is b = 0). Otherwise the
// regions overlap on the plane and no line is drawn.
import * as tf from '@tensorflow/tfjs';
import type { Dataset, GateInfo } from '../types';
import type { ForwardResult } from '../models/model';

/** One axis of the map: task k's weight vector w_k (regional mode: region 1's), or the region direction r. */
export type MapDirection = { kind: 'task'; task: number } | { kind: 'region' };

export interface GateMapRequest {
  /** The two directions, in this order (û along a); absent (or not in the data): the default pair. */
  a?: MapDirection;
  b?: MapDirection;
  /** Bins per axis (default 24). */
  bins?: number;
  /** Half-width of the square in units of the projection (default 3). */
  extent?: number;
  /** Test rows used while training (default GATE_MAP_ROWS; the final map uses every test row). */
  maxRows?: number;
}

export const GATE_MAP_BINS = 24;
export const GATE_MAP_EXTENT = 3;
export const GATE_MAP_ROWS = 4096;

export interface GateMapGate {
  level: number;
  id: string;
  label: string;
  experts: { label: string; module: string }[];
  /** [experts × bins × bins], expert-major; within an expert row-major with row = b bin (low b first), column = a bin. NaN = empty bin. */
  weights: Float32Array;
}

export interface GateMapResult {
  step: number;
  bins: number;
  extent: number;
  a: MapDirection;
  b: MapDirection;
  /** Every direction this data has (for the page's pickers). */
  directions: MapDirection[];
  /** Axis titles, e.g. "w₁ᵀx / ‖w₁‖" and "rᵀx". */
  aLabel: string;
  bLabel: string;
  /** Test rows projected, and how many fell inside the square. */
  rows: number;
  inside: number;
  /** [bins × bins] rows per bin (same layout as one expert's weights). */
  counts: Uint32Array;
  gates: GateMapGate[];
  /** The region boundary rᵀx = 0 as the line na·a + nb·b = 0 (na² + nb² = 1), or null (global data, or r off the plane). */
  boundary: { na: number; nb: number } | null;
  /** Why there is no map (parallel directions, no gates, …); the gates are then empty. */
  note?: string;
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const sub = (n: number) => String(n).split('').map((c) => SUB[Number(c)]).join('');

export function directionLabel(dir: MapDirection): string {
  return dir.kind === 'region' ? 'rᵀx' : `w${sub(dir.task + 1)}ᵀx`;
}

export function sameDirection(p: MapDirection, q: MapDirection): boolean {
  return p.kind === q.kind && (p.kind === 'region' || (q.kind === 'task' && p.task === q.task));
}

/** Every direction the generator has: one per task, and r under the regional generator. */
export function availableDirections(functions: Pick<Dataset['functions'], 'w' | 'r'>): MapDirection[] {
  const out: MapDirection[] = functions.w.map((_, task) => ({ kind: 'task' as const, task }));
  if (functions.r && functions.r.length) out.push({ kind: 'region' });
  return out;
}

/** The default pair: (w₁, r) under the regional generator, else (w₁, w₂). Null with fewer than two directions. */
export function defaultPair(functions: Pick<Dataset['functions'], 'w' | 'r'>): { a: MapDirection; b: MapDirection } | null {
  const dirs = availableDirections(functions);
  if (dirs.length < 2) return null;
  if (functions.r && functions.r.length) return { a: { kind: 'task', task: 0 }, b: { kind: 'region' } };
  return { a: dirs[0], b: dirs[1] };
}

export function directionVector(functions: Pick<Dataset['functions'], 'w' | 'r'>, dir: MapDirection): number[] | null {
  if (dir.kind === 'region') return functions.r && functions.r.length ? functions.r : null;
  return functions.w[dir.task] ?? null;
}

const dot = (p: ArrayLike<number>, q: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i] * q[i];
  return s;
};

/**
 * Gram–Schmidt of (p, q): û = p/‖p‖, v̂ = the part of q orthogonal to û, normalised.
 * Null when p is zero or q is (nearly) parallel to p (|sin| < tol), e.g. two tasks at p = 1.
 */
export function orthonormalise(p: ArrayLike<number>, q: ArrayLike<number>, tol = 1e-6): { u: Float64Array; v: Float64Array } | null {
  const d = p.length;
  if (q.length !== d) throw new Error(`orthonormalise: lengths differ (${d} vs ${q.length})`);
  const np = Math.sqrt(dot(p, p));
  const nq = Math.sqrt(dot(q, q));
  if (!(np > 0) || !(nq > 0)) return null;
  const u = Float64Array.from(p, (x) => x / np);
  const c = dot(u, q);
  const v = Float64Array.from(q, (x, i) => x - c * u[i]);
  const nv = Math.sqrt(dot(v, v));
  if (!(nv / nq > tol)) return null;
  for (let i = 0; i < d; i++) v[i] /= nv;
  return { u, v };
}

/** Projections (a, b) = (ûᵀx, v̂ᵀx) of the first n rows of row-major x [n, d]: [n × 2]. */
export function projectRows(x: Float32Array, n: number, d: number, u: ArrayLike<number>, v: ArrayLike<number>): Float32Array {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const xj = x[o + j];
      a += u[j] * xj;
      b += v[j] * xj;
    }
    out[i * 2] = a;
    out[i * 2 + 1] = b;
  }
  return out;
}

/** Bin of a coordinate on [−extent, extent) cut into `bins`; −1 outside (or not finite). */
export function binOf(c: number, bins: number, extent: number): number {
  if (!Number.isFinite(c) || c < -extent || c >= extent) return -1;
  return Math.min(bins - 1, Math.floor(((c + extent) / (2 * extent)) * bins));
}

/**
 * Mean gate weight per bin. proj: [n × 2] (a, b); weights: [n × E] (each row sums to 1).
 * Returns counts [bins²] and means [E × bins²] (expert-major, row = b bin, column = a bin; NaN where empty).
 */
export function binGateWeights(
  proj: Float32Array,
  n: number,
  weights: Float32Array,
  E: number,
  bins: number,
  extent: number,
): { counts: Uint32Array; means: Float32Array; inside: number } {
  const B2 = bins * bins;
  const counts = new Uint32Array(B2);
  const sums = new Float64Array(E * B2);
  let inside = 0;
  for (let i = 0; i < n; i++) {
    const ia = binOf(proj[i * 2], bins, extent);
    const ib = binOf(proj[i * 2 + 1], bins, extent);
    if (ia < 0 || ib < 0) continue;
    const cell = ib * bins + ia;
    counts[cell]++;
    inside++;
    for (let e = 0; e < E; e++) sums[e * B2 + cell] += weights[i * E + e];
  }
  const means = new Float32Array(E * B2);
  for (let e = 0; e < E; e++)
    for (let c = 0; c < B2; c++) means[e * B2 + c] = counts[c] > 0 ? sums[e * B2 + c] / counts[c] : NaN;
  return { counts, means, inside };
}

/**
 * The region boundary rᵀx = 0 on the plane: (na, nb) = (rᵀû, rᵀv̂) normalised, when r lies in
 * span(û, v̂) (the part of r off the plane has squared norm < tol·‖r‖²); else null.
 */
export function boundaryInPlane(r: ArrayLike<number> | null | undefined, u: ArrayLike<number>, v: ArrayLike<number>, tol = 1e-3): { na: number; nb: number } | null {
  if (!r || r.length === 0) return null;
  const rr = dot(r, r);
  if (!(rr > 0)) return null;
  const ra = dot(r, u);
  const rb = dot(r, v);
  const inPlane = ra * ra + rb * rb;
  if (rr - inPlane > tol * rr) return null;
  const n = Math.sqrt(inPlane);
  return { na: ra / n, nb: rb / n };
}

/** The boundary na·a + nb·b = 0 clipped to the square [−extent, extent]²: two end points. */
export function boundarySegment(bd: { na: number; nb: number }, extent: number): [[number, number], [number, number]] {
  // The line runs along (−nb, na) through the origin; it leaves the square where the larger coordinate reaches extent.
  const t = extent / Math.max(Math.abs(bd.na), Math.abs(bd.nb));
  return [
    [-bd.nb * t, bd.na * t],
    [bd.nb * t, -bd.na * t],
  ];
}

export interface GateMapModel {
  forward(x: tf.Tensor2D, opts?: { gates?: boolean }): ForwardResult;
  gateInfo(): GateInfo[];
}

const FORWARD_CHUNK = 4096;

/** The map of every gate of every level on the first maxRows test rows (all rows when maxRows is Infinity). */
export async function computeGateMap(model: GateMapModel, dataset: Dataset, req: GateMapRequest, step: number, maxRows = req.maxRows ?? GATE_MAP_ROWS): Promise<GateMapResult> {
  const bins = Math.max(2, Math.min(64, Math.floor(req.bins ?? GATE_MAP_BINS)));
  const extent = req.extent && req.extent > 0 ? req.extent : GATE_MAP_EXTENT;
  const { d } = dataset;
  const s = dataset.test;
  const directions = availableDirections(dataset.functions);
  const has = (x: MapDirection | undefined): x is MapDirection => !!x && directions.some((y) => sameDirection(x, y));
  const def = defaultPair(dataset.functions);
  let note: string | undefined;
  let a = req.a;
  let b = req.b;
  if (!has(a) || !has(b)) {
    if (a || b) note = 'the chosen directions are not in this data: showing the default pair';
    a = def?.a;
    b = def?.b;
  }
  if (!a || !b) a = b = directions[0] ?? { kind: 'task', task: 0 };
  const base: GateMapResult = {
    step,
    bins,
    extent,
    a,
    b,
    directions,
    aLabel: directionLabel(a),
    bLabel: directionLabel(b),
    rows: 0,
    inside: 0,
    counts: new Uint32Array(bins * bins),
    gates: [],
    boundary: null,
    ...(note ? { note } : {}),
  };
  const pv = directionVector(dataset.functions, a);
  const qv = directionVector(dataset.functions, b);
  if (!pv || !qv) return { ...base, note: 'this data has no such direction' };
  const basis = orthonormalise(pv, qv);
  if (!basis) return { ...base, note: `${base.aLabel} and ${base.bLabel} are parallel: pick two different directions` };
  const infos = model.gateInfo();
  const boundary = boundaryInPlane(dataset.functions.r, basis.u, basis.v);
  if (infos.length === 0) return { ...base, boundary, note: 'this model has no gates' };
  const n = Math.min(s.n, Math.max(0, Math.floor(maxRows)));
  const proj = projectRows(s.x, n, d, basis.u, basis.v);
  const buffers = infos.map((g) => new Float32Array(n * g.experts.length));
  for (let start = 0; start < n; start += FORWARD_CHUNK) {
    const rows = Math.min(FORWARD_CHUNK, n - start);
    const gates = tf.tidy(() => model.forward(tf.tensor2d(s.x.subarray(start * d, (start + rows) * d), [rows, d]), { gates: true }).gates.map((g) => g.weights));
    for (let i = 0; i < gates.length; i++) {
      buffers[i].set(await gates[i].data(), start * infos[i].experts.length);
      gates[i].dispose();
    }
  }
  let counts = base.counts;
  let inside = 0;
  const gates: GateMapGate[] = infos.map((info, i) => {
    const r = binGateWeights(proj, n, buffers[i], info.experts.length, bins, extent);
    counts = r.counts;
    inside = r.inside;
    return { level: info.level, id: info.id, label: info.label, experts: info.experts.map((e) => ({ label: e.label, module: e.module })), weights: r.means };
  });
  return { ...base, rows: n, inside, counts, gates, boundary };
}

/** The buffers of a map, to transfer across the worker boundary. */
export function gateMapTransfer(m: GateMapResult): Transferable[] {
  return [m.counts.buffer as ArrayBuffer, ...m.gates.map((g) => g.weights.buffer as ArrayBuffer)];
}
