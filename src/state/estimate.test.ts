import { describe, expect, it } from 'vitest';
import { EtaEstimator, fmtRange } from './estimate';

describe('time-left estimate', () => {
  it('stays within a narrow band when the rate swings run to run (suite: cheap and costly models, compile stalls)', () => {
    const e = new EtaEstimator();
    const total = 12 * 2000;
    let p = 0;
    let t = 0;
    const mids: number[] = [];
    for (let run = 0; run < 12; run++) {
      const rate = run % 3 === 0 ? 400 : 120; // steps/s: a baseline is fast, gated models slow
      t += 3000; // the first step compiles: 3 s without progress
      e.update(t, p, true);
      for (let s = 0; s < 2000; ) {
        t += 1000;
        s = Math.min(2000, s + rate);
        p = run * 2000 + s;
        e.update(t, p, true);
        const r = e.range(total - p);
        if (r && p > total * 0.2 && p < total * 0.8) mids.push((r[0] + r[1]) / 2 + t / 1000);
      }
    }
    // The predicted finish time (now + left) moves little once a few runs have been seen.
    const lo = Math.min(...mids);
    const hi = Math.max(...mids);
    expect(hi / lo).toBeLessThan(1.6);
  });
  it('gives a range, never a single falsely precise number, and ignores pauses', () => {
    const e = new EtaEstimator();
    e.update(0, 0, true);
    e.update(1000, 100, true);
    e.update(2000, 200, true);
    e.update(60_000, 200, false); // paused for a minute
    e.update(61_000, 200, true);
    e.update(62_000, 300, true);
    const r = e.range(1000)!;
    expect(r[0]).toBeLessThan(10);
    expect(r[1]).toBeGreaterThan(10);
    expect(r[0]).toBeGreaterThan(7);
    expect(r[1]).toBeLessThan(13);
  });
  it('formats ranges in words', () => {
    expect(fmtRange([22, 31])).toBe('about 20–35 s left');
    expect(fmtRange([130, 200])).toBe('about 2–4 min left');
    expect(fmtRange([30, 100])).toBe('under 2 min left');
    expect(fmtRange([4000, 9000])).toBe('about 1–3 h left');
  });
});
