// Plain-object helpers for the config draft: read/write by path, merge, diff.
// The draft is what the form holds (it may be invalid); zod validates it.

export type Path = (string | number)[];
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const pathKey = (p: Path): string => p.map(String).join('.');

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function getAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k as string];
  }
  return cur;
}

/** Immutable set: returns a copy of `obj` with `value` at `path` (creating objects on the way). */
export function setAt<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(obj)
    ? [...obj]
    : isPlainObject(obj)
      ? { ...obj }
      : typeof head === 'number'
        ? []
        : {};
  const child = (base as Record<string | number, unknown>)[head as string];
  (base as Record<string | number, unknown>)[head as string] = setAt(child, rest, value);
  return base as T;
}

/** Deep merge: objects merge key by key, arrays and scalars in `over` replace. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
  return out as T;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The part of `value` that differs from `base` (objects recursed, arrays whole); undefined when equal. */
export function diff(value: unknown, base: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(base)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const d = diff(v, base[k]);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return sameJson(value, base) ? undefined : value;
}

/** Paths (dotted) of leaves that differ between any two of the given objects. */
export function variedPaths(objs: unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (vals: unknown[], path: Path) => {
    if (vals.every(isPlainObject)) {
      const keys = new Set<string>();
      for (const v of vals) Object.keys(v as object).forEach((k) => keys.add(k));
      for (const k of keys) walk(vals.map((v) => (v as Record<string, unknown>)[k]), [...path, k]);
      return;
    }
    const first = JSON.stringify(vals[0]);
    if (vals.some((v) => JSON.stringify(v) !== first)) out.add(pathKey(path));
  };
  walk(objs, []);
  return out;
}

/** Remove the given dotted paths (and everything under them) from an object. */
export function omitPaths(obj: unknown, paths: Iterable<string>): unknown {
  let out = structuredClone(obj);
  for (const p of paths) {
    const parts = p.split('.');
    const parent = getAt(out, parts.slice(0, -1));
    if (isPlainObject(parent)) delete parent[parts[parts.length - 1]];
  }
  out = prune(out);
  return out;
}

function prune(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = prune(x);
    if (p !== undefined && !(isPlainObject(p) && Object.keys(p).length === 0)) out[k] = p;
  }
  return Object.keys(out).length ? out : undefined;
}

export function randomSeed(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0] % (2 ** 31 - 2)) + 1;
}
