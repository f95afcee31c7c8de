// Number formatting for readouts: never prints NaN/Infinity.

export function fmt(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  // Values that round to zero at this precision read as 0 (e.g. a cosine of 1e-17), never as -0.000.
  if (a < 0.5 * 10 ** -digits) return (0).toFixed(digits);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2);
  return v.toFixed(digits);
}

export function fmtSigned(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return (v > 0 ? '+' : '') + fmt(v, digits);
}

export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s.toString().padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${(m % 60).toString().padStart(2, '0')} min`;
}

export const finiteOr = (v: number | null | undefined, fallback: number) => (v !== null && v !== undefined && Number.isFinite(v) ? v : fallback);
