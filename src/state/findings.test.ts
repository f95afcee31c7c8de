// The page's reading of docs/findings.json: every committed finding reaches
// the article (grouped by part), verdicts in words, and a preset's claims
// against the latest run with the warning when they disagree.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../core/config/presets';
import { claimStatuses, FINDINGS, findingsByPart, mismatchWarning, PARTS, provenance, readFindings, verdictWords, type FindingsFile } from './findings';

const file: FindingsFile = {
  generated: '2026-12-02T15:34:47Z',
  mode: 'full',
  seeds: [1, 2, 3, 4, 5],
  findings: [
    { id: 'S1', part: 'sweep', claim: 'sweep claim', verdict: 'not shown', rule: 'r', evidence: 'Δ = +0.0042' },
    { id: 'R1', part: 'regional', claim: 'routing claim', verdict: 'shown', rule: 'r', evidence: 'B − A +0.5' },
    { id: 'X1', part: 'extra', claim: 'other', verdict: 'partly shown', rule: 'r', evidence: 'e' },
    { id: 'R2', part: 'regional', claim: 'cgc routing', verdict: 'partly shown', rule: 'r', evidence: 'e' },
  ],
};

describe('findings', () => {
  it('reads the committed file: every finding has an id, a part, a claim and a verdict', () => {
    expect(FINDINGS.findings.length).toBeGreaterThan(0);
    expect(['quick', 'full']).toContain(FINDINGS.mode);
    for (const f of FINDINGS.findings) {
      expect(f.id).toMatch(/^[A-Z]\d+$/);
      expect(f.claim.length, f.id).toBeGreaterThan(0);
      expect(['shown', 'partly shown', 'not shown']).toContain(f.verdict);
    }
    // Every committed finding lands in the article exactly once.
    const grouped = findingsByPart().flatMap((g) => g.findings.map((f) => f.id));
    expect(grouped.sort()).toEqual(FINDINGS.findings.map((f) => f.id).sort());
    // Every part of the committed file has its own mechanism sentence and preset.
    for (const g of findingsByPart()) expect(g.mechanism, g.part).not.toBeNull();
    for (const p of PARTS) expect(PRESETS.some((x) => x.id === p.preset), p.preset).toBe(true);
  });

  it('groups by part in the article’s order, unknown parts last', () => {
    const g = findingsByPart(file);
    expect(g.map((x) => x.part)).toEqual(['regional', 'sweep', 'extra']);
    expect(g[0].findings.map((f) => f.id)).toEqual(['R1', 'R2']);
    expect(g[2].mechanism).toBeNull();
  });

  it('says verdicts in words and where the numbers come from', () => {
    expect(verdictWords('shown')).toBe('The runs show it.');
    expect(verdictWords('partly shown')).toBe('The runs show it only in part.');
    expect(verdictWords('not shown')).toBe('The runs do not show it.');
    expect(provenance(file)).toBe('full mode, seeds 1, 2, 3, 4, 5, generated 2026-12-02');
  });

  it('compares a preset’s claims with the latest run and words the warning', () => {
    const s = claimStatuses({ claims: [{ finding: 'R1', verdict: 'shown' }, { finding: 'S1', verdict: 'shown' }, { finding: 'Z9', verdict: 'not shown' }] }, file);
    expect(s.map((x) => [x.finding, x.actual, x.mismatch])).toEqual([
      ['R1', 'shown', false],
      ['S1', 'not shown', true],
      ['Z9', null, true],
    ]);
    expect(mismatchWarning(s[0])).toBeNull();
    expect(mismatchWarning(s[1])).toBe('this text was written for S1 = shown; the latest run says not shown');
    expect(mismatchWarning(s[2])).toMatch(/no finding Z9/);
  });

  it('drops malformed entries instead of failing', () => {
    const r = readFindings({ mode: 'quick', seeds: [1, 'x'], findings: [null, { id: 'A1' }, { id: 'A2', verdict: 'shown', evidence: { a: 1 } }] });
    expect(r.seeds).toEqual([1]);
    expect(r.findings).toEqual([{ id: 'A2', part: 'other', claim: '', verdict: 'shown', rule: '', evidence: '{"a":1}' }]);
    expect(readFindings(null).findings).toEqual([]);
  });
});
