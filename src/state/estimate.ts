// Time left, smoothed and with an honest range. The raw rate swings within a
// suite (each run compiles its kernels at its first step; a single-task
// baseline is cheaper than a PLE), so the estimate uses an exponentially
// weighted, time-weighted mean of the whole plan's progress rate (τ = TAU_S), and
// its spread gives the range: "about 2–3 min left".
export const TAU_S = 30;
/** The range never claims more precision than ±15 %. */
const MIN_SPREAD = 0.15;
const MAX_FACTOR = 3;

export class EtaEstimator {
  private lastT = NaN;
  private lastP = NaN;
  /** Exponentially weighted sums of progress and time: their ratio is the time-weighted mean rate (stalls included). */
  private sumP = 0;
  private sumT = 0;
  private logVar = 0;

  reset(): void {
    this.lastT = NaN;
    this.lastP = NaN;
    this.sumP = 0;
    this.sumT = 0;
    this.logVar = 0;
  }

  /** Progress `p` (steps over the whole plan) at time `tMs`; only while running (a pause does not drag the rate down). */
  update(tMs: number, p: number, running: boolean): void {
    if (!running) {
      this.lastT = NaN;
      return;
    }
    if (!Number.isFinite(this.lastT) || p < this.lastP) {
      this.lastT = tMs;
      this.lastP = p;
      return;
    }
    const dt = (tMs - this.lastT) / 1000;
    if (dt < 0.5) return; // too short a window to measure a rate
    const dp = p - this.lastP;
    this.lastT = tMs;
    this.lastP = p;
    const keep = Math.exp(-dt / TAU_S);
    const before = this.sumT > 0 ? this.sumP / this.sumT : NaN;
    this.sumP = keep * this.sumP + dp;
    this.sumT = keep * this.sumT + dt;
    // Spread: how far moving samples stray from the mean rate (log ratio), weighted the same way.
    if (dp > 0 && Number.isFinite(before) && before > 0) {
      const d = Math.log(dp / dt / before);
      this.logVar = keep * this.logVar + (1 - keep) * d * d;
    }
  }

  /** Seconds left as [low, high], or null before a rate was measured. */
  range(remaining: number): [number, number] | null {
    if (this.sumT < 1 || this.sumP <= 0 || remaining <= 0) return null;
    const rate = this.sumP / this.sumT;
    const spread = Math.min(Math.log(MAX_FACTOR), Math.max(MIN_SPREAD, Math.sqrt(this.logVar) / 2));
    return [remaining / (rate * Math.exp(spread)), remaining / (rate * Math.exp(-spread))];
  }
}

/** "about 20–30 s left", "about 2–4 min left", "about 1–2 h left". */
export function fmtRange([lo, hi]: [number, number]): string {
  if (hi < 60) {
    const a = Math.max(1, Math.floor(lo / 5) * 5 || Math.round(lo));
    const b = Math.max(a, Math.ceil(hi / 5) * 5);
    return a === b ? `about ${a} s left` : `about ${a}–${b} s left`;
  }
  if (hi < 3600) {
    const a = Math.max(lo < 60 ? 0 : 1, Math.floor(lo / 60));
    const b = Math.max(a + (lo < 60 ? 1 : 0), Math.ceil(hi / 60));
    return a === b ? `about ${a} min left` : a === 0 ? `under ${b} min left` : `about ${a}–${b} min left`;
  }
  const a = Math.floor(lo / 3600);
  const b = Math.max(a, Math.ceil(hi / 3600));
  return a === b ? `about ${a} h left` : `about ${a}–${b} h left`;
}
