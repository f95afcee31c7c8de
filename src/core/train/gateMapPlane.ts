// The pure part of the gate maps: directions, projection, binning and the region
// boundary. No TF.js here, so the page's main bundle can import it (the chart
// uses the labels and the boundary); gateMap.ts adds the model forward pass.
import type { Dataset } from '../types';

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
