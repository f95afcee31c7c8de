// The merge keeps committed parts exactly: docs/reproduction.json, inflated,
// analysed again, gives every committed verdict and evidence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from './analyse';
import { inflateRecord, mergePlans, type CompactRecordFile } from './merge';
import { makePlan } from './plan';
import { allFindings } from './report';

const file = JSON.parse(readFileSync(new URL('../../../docs/reproduction.json', import.meta.url), 'utf8')) as CompactRecordFile & { findings: { id: string; verdict: string; evidence: string }[] };

describe('--merge', () => {
  it('the committed reproduction.json, inflated and analysed again, gives the committed findings', () => {
    const rec = inflateRecord(file);
    const findings = allFindings(analyse(rec.units, rec.plan.parts.map((p) => p.id)));
    for (const f of file.findings) {
      const again = findings.find((x) => x.id === f.id);
      expect(again, f.id).toBeDefined();
      expect(again!.verdict, f.id).toBe(f.verdict);
      expect(again!.evidence, f.id).toBe(f.evidence);
    }
  }, 60_000);

  it('keeps the parts not rerun, replaces the rerun ones, and refuses other seeds or modes', () => {
    const rec = inflateRecord(file);
    const plan = makePlan('full', { parts: ['features'] });
    const m = mergePlans(rec, plan, []);
    expect(m.kept).toEqual(rec.plan.parts.map((p) => p.id).filter((p) => p !== 'features'));
    expect(m.plan.parts.map((p) => p.id).at(-1)).toBe('features');
    expect(m.units.length).toBe(rec.units.filter((u) => u.part !== 'features').length);
    expect(() => mergePlans(rec, makePlan('full', { parts: ['features'], seeds: [1, 2] }), [])).toThrow(/seeds/);
    expect(() => mergePlans(rec, makePlan('quick', { parts: ['features'] }), [])).toThrow(/full run/);
  });
});
