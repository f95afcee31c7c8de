// Exact configs in the report: the first variant's full config, then what
// each other variant changes (flattened paths), so every run can be rebuilt.
export function flatten(v: unknown, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(v));
  return out;
}

/** Paths whose value differs from `base` ("path = value"), in the order of `other`'s keys. */
export function configDiff(base: unknown, other: unknown): string[] {
  const a = flatten(base);
  const b = flatten(other);
  const out: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v) out.push(`${k} = ${v}`);
  for (const k of a.keys()) if (!b.has(k)) out.push(`${k} removed`);
  return out;
}
