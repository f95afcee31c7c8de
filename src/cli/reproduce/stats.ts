// Small numeric helpers for the reproduction's tables and verdict rules.
import { stat, type Stat } from '../../core/config/suite';

export { stat, type Stat };

/** Standard error of the mean (null with fewer than 2 values). */
export function se(s: Stat): number | null {
  return s.std === null || s.n < 2 ? null : s.std / Math.sqrt(s.n);
}

/** The mean is above zero by more than one standard error: not explained by seed noise alone. */
export function clearlyPositive(s: Stat): boolean {
  const e = se(s);
  return s.mean !== null && e !== null && s.mean > e;
}

export function num(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return v.toFixed(digits);
}

export function signed(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return (v > 0 ? '+' : v < 0 ? '−' : '') + Math.abs(v).toFixed(digits);
}

/** "mean ± std" (std over seeds, sample n − 1). */
export function pm(s: Stat, digits = 4, sign = false): string {
  if (s.mean === null) return 'n/a';
  const m = sign ? signed(s.mean, digits) : num(s.mean, digits);
  return s.std === null ? m : `${m} ± ${num(s.std, digits)}`;
}

export function fraction(k: number, n: number): string {
  return `${k}/${n}`;
}
