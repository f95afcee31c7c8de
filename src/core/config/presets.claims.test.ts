// A preset's text says only what the committed reproduction shows: each
// preset declares the findings of `npm run reproduce` its text relies on and
// the verdict it was written for; this test reads docs/reproduction.json and
// fails when a verdict no longer matches (rerun, then rewrite the text).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';

const repro = JSON.parse(readFileSync(new URL('../../../docs/reproduction.json', import.meta.url), 'utf8')) as {
  plan: { mode: string; seeds: number[] };
  findings: { id: string; verdict: string; claim: string }[];
};

describe('preset claims follow the committed reproduction', () => {
  it('docs/reproduction.json is a full run over at least 5 seeds, with a verdict per finding', () => {
    expect(repro.plan.mode).toBe('full');
    expect(repro.plan.seeds.length).toBeGreaterThanOrEqual(5);
    expect(repro.findings.length).toBeGreaterThan(0);
  });

  for (const p of PRESETS) {
    it(`${p.id}: every finding its text relies on has the verdict the text was written for`, () => {
      if (p.id !== 'ple') expect(p.claims.length, `${p.id} makes no measured claim`).toBeGreaterThan(0);
      for (const c of p.claims) {
        const f = repro.findings.find((x) => x.id === c.finding);
        expect(f, `${p.id} relies on ${c.finding}, which docs/reproduction.json does not have`).toBeDefined();
        expect(f!.verdict, `${p.id}'s text was written for ${c.finding} = "${c.verdict}", but the committed run says "${f!.verdict}" (${f!.claim})`).toBe(c.verdict);
      }
      expect(p.description).not.toMatch(/PLACEHOLDER/);
    });
  }
});
