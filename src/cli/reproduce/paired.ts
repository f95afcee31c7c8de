// Paired comparisons over seeds (SPEC §4, the brief's science rules): the
// difference of two measurements taken on the same seed (same data, same
// batch order), its mean ± standard error, and the 2-SE rule that decides
// whether an effect is shown. One place, so every finding says the same
// thing in the same words.
import { stat, type Stat } from './stats';

export interface PairedStat extends Stat {
  /** Standard error of the mean difference (null with fewer than 2 pairs). */
  se: number | null;
}

/** mean ± SE of x(seed) − y(seed) over the seeds where both exist (y omitted: of x itself). */
export function paired(seeds: number[], x: (seed: number) => number | null | undefined, y?: (seed: number) => number | null | undefined): PairedStat {
  const d = seeds.map((s) => {
    const a = x(s);
    const b = y ? y(s) : 0;
    return typeof a === 'number' && Number.isFinite(a) && typeof b === 'number' && Number.isFinite(b) ? a - b : null;
  });
  const s = stat(d);
  return { ...s, se: s.std === null || s.n < 2 ? null : s.std / Math.sqrt(s.n) };
}

export type Effect = 'positive' | 'negative' | 'none';

/** The sign of an effect shown past 2 standard errors, or 'none'. */
export function effect(p: PairedStat): Effect {
  if (p.mean === null || p.se === null) return 'none';
  if (p.mean > 2 * p.se) return 'positive';
  if (p.mean < -2 * p.se) return 'negative';
  return 'none';
}

/** "+0.0123 ± 0.0040 SE (5 seeds)". */
export function pse(p: PairedStat, digits = 4): string {
  if (p.mean === null) return 'n/a';
  const m = (p.mean > 0 ? '+' : p.mean < 0 ? '−' : '') + Math.abs(p.mean).toFixed(digits);
  return p.se === null ? `${m} (${p.n} seed${p.n === 1 ? '' : 's'})` : `${m} ± ${p.se.toFixed(digits)} SE (${p.n} seeds)`;
}

export const TWO_SE_RULE = 'an effect counts only where the mean of the paired per-seed differences is beyond 2 standard errors (SE = sample std / √seeds)';
