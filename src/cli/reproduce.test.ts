// The quick reproduction end to end, with fixed seeds: asserts only what is
// robust at tiny budgets (structure, finished runs, gains against the
// baseline, MMoE's task gates closer than CGC's), so a regression in a model,
// a metric or the report shows up without the test depending on luck.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlan, partPreset, QUICK_SEEDS, QUICK_STEPS } from './reproduce/plan';
import { reproduce, type PipelineOutput } from './reproduce/pipeline';
import { allFindings, REPORT_SECTIONS } from './reproduce/report';
import { VERDICTS } from './reproduce/findings';
import type { PartSeedResult } from './reproduce/runSeed';
import { unitsFromResults } from './reproduce/fromResults';
import { analyse } from './reproduce/analyse';

let dir = '';
let out: PipelineOutput;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reproduce-test-'));
  out = await reproduce(makePlan('quick'), { out: dir, jobs: 1, log: () => {} });
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const unitsOf = (part: string) => out.record.units.filter((u) => u.part === part);

describe('quick reproduction', () => {
  it('runs every variant of every part at every seed to completion', () => {
    expect(out.record.plan.seeds).toEqual(QUICK_SEEDS);
    for (const part of out.record.plan.parts) {
      const units = unitsOf(part.id);
      expect(units.map((u) => u.seed)).toEqual(QUICK_SEEDS);
      for (const u of units) {
        expect(u.runs.map((r) => r.variant).sort()).toEqual(partPreset(part.id).variants.map((v) => v.name).sort());
        for (const r of u.runs) {
          expect(r.results.status, `${part.id} seed ${u.seed} ${r.variant}`).toBe('done');
          expect(r.results.steps).toBe(QUICK_STEPS[part.id]);
          expect(r.results.seeds).toEqual({ data: u.seed, init: u.seed + 1000, batch: u.seed + 2000 });
        }
      }
    }
  });

  it('MMoE task gates are closer to each other than CGC task gates on most seeds; CGC without a bias is pinned at 1/2', () => {
    const l1 = (u: PartSeedResult, variant: string) => u.runs.find((r) => r.variant === variant)!.results.gateStats[0].taskGateL1;
    const units = unitsOf('utilisation');
    const closer = units.filter((u) => l1(u, 'mmoe') < l1(u, 'cgc')).length;
    expect(closer).toBeGreaterThan(units.length / 2);
    for (const u of units) for (const r of u.runs) expect(r.results.gateStats.length).toBe(r.results.model === 'ml-mmoe' || r.results.model === 'ple' ? 2 : 1);
    // Symmetric input, no bias: the own-expert weight of a 2-expert gate stays at 1/2 up to sampling noise.
    for (const u of units)
      for (const g of u.runs.find((r) => r.variant === 'cgc-no-bias')!.results.gateStats[0].gates) expect(Math.abs(g.ownWeight! - 0.5)).toBeLessThan(0.03);
  });

  it('regional runs report routing per gate; ESMM runs report the exposure space', () => {
    for (const u of unitsOf('regional'))
      for (const r of u.runs) for (const g of r.results.gateStats[0].gates) expect(Number.isFinite(g.regionL1)).toBe(true);
    for (const u of unitsOf('esmm')) for (const r of u.runs) expect(r.results.exposure!.n).toBeGreaterThan(0);
  });

  it('seesaw gains are measured against the same seed\'s single-task run', () => {
    for (const u of unitsOf('seesaw')) {
      const single = u.runs.find((r) => r.results.model === 'single-task')!;
      expect(single.results.mtlGain).toEqual([0, 0]);
      expect(single.results.baseline?.model).toBe('single-task');
      for (const r of u.runs) {
        const g = r.results.mtlGain!;
        expect(g).toHaveLength(2);
        expect(g.every((x) => typeof x === 'number' && Number.isFinite(x))).toBe(true);
        // Gain on the regression task = MSE(single) − MSE(model), exactly.
        expect(g[0]).toBeCloseTo(single.results.test![0].mse! - r.results.test![0].mse!, 12);
        expect(g[1]).toBeCloseTo(r.results.test![1].auc! - single.results.test![1].auc!, 12);
      }
    }
  });

  it('the sweep shows the requested correlations in the generated labels', () => {
    const a = out.analyses.sweep!;
    expect(a.ps).toEqual([1, 0.9, 0.5]);
    const r = a.labelCorrelation.map((x) => x.stat.mean!);
    // Measured label correlation falls with p (SPEC §1: about 1.00 / 0.80 / 0.30).
    expect(r[0]).toBeGreaterThan(0.98);
    for (let i = 1; i < r.length; i++) expect(r[i]).toBeLessThan(r[i - 1]);
    expect(a.normCells.every((c) => c.stat.n === QUICK_SEEDS.length && c.stat.mean! > 0)).toBe(true);
  });

  it('writes a report with every section and a verdict for every finding', () => {
    const md = readFileSync(out.files.report, 'utf8');
    for (const s of REPORT_SECTIONS) expect(md).toContain(`\n${s}\n`);
    const findings = allFindings(out.analyses);
    expect(findings.map((f) => f.id)).toEqual(['S1', 'S2', 'S3', 'U1', 'U2', 'U3', 'U4', 'R1', 'R2', 'W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'T1', 'T2', 'N1', 'N2', 'N3', 'E1', 'E2', 'E3', 'F1', 'F2', 'F3']);
    const json = JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')) as { findings: { id: string; verdict: string }[] };
    expect(json.findings.map((f) => [f.id, f.verdict])).toEqual(findings.map((f) => [f.id, f.verdict]));
    for (const f of findings) {
      expect(VERDICTS).toContain(f.verdict);
      expect(f.verdict).not.toBe('not run');
      expect(md).toContain(`**${f.id}. ${f.claim}**`);
      expect(md).toContain(`- Verdict: **${f.verdict}**`);
      expect(md).toContain(`- Rule: ${f.rule}`);
    }
    expect(md).toContain('Quick mode');
    expect(md).not.toMatch(/NaN|undefined/);
  });

  it('draws every figure as a parseable SVG with one mark per seed', () => {
    const names = out.files.figures.map((f) => f.split('/').pop());
    expect(names.sort()).toEqual(['seesaw.svg', 'sweep-normalised.svg', 'sweep.svg', 'tradeoff.svg', 'utilisation.svg']);
    // Trade-off: one curve per swept model.
    expect(new JSDOM(readFileSync(join(dir, 'figures', 'tradeoff.svg'), 'utf8'), { contentType: 'image/svg+xml' }).window.document.querySelectorAll('path.tradeoff-curve')).toHaveLength(partPreset('tradeoff').tradeoff!.models.length);
    const parse = (name: string) => {
      const text = readFileSync(join(dir, 'figures', name), 'utf8');
      const doc = new JSDOM(text, { contentType: 'image/svg+xml' }).window.document;
      expect(doc.documentElement.nodeName).toBe('svg');
      expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
      expect(text).not.toContain('NaN');
      return doc;
    };
    const n = QUICK_SEEDS.length;
    expect(parse('sweep.svg').querySelectorAll("circle.sweep-point")).toHaveLength(3 * 3 * n);
    expect(parse('sweep-normalised.svg').querySelectorAll("circle.sweep-point")).toHaveLength(3 * 3 * n);
    const seesaw = parse('seesaw.svg');
    expect(seesaw.querySelectorAll('circle.seesaw-point')).toHaveLength((partPreset('seesaw').variants.length - 1) * n);
    expect(seesaw.querySelectorAll('path.seesaw-mean')).toHaveLength(partPreset('seesaw').variants.length - 1);
    const util = parse('utilisation.svg');
    expect(util.querySelectorAll("g.util-panel")).toHaveLength(partPreset("utilisation").variants.length * n);
    // MMoE level 1: three bars per task gate, each a mean weight in [0, 1].
    const bars = [...util.querySelectorAll('rect.util-bar')].map((b) => Number(b.getAttribute('data-mean')));
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.every((m) => m >= 0 && m <= 1)).toBe(true);
  });

  it('writes the raw numbers as JSON', () => {
    const json = JSON.parse(readFileSync(out.files.json, 'utf8'));
    expect(json.version).toBe(1);
    expect(json.units).toHaveLength(out.record.units.length);
    expect(json.units[0].runs[0].test.length).toBe(2);
  });

  it('rebuilds the same analysis from bare results, as the page would after "Run all seeds"', () => {
    const part = out.record.plan.parts.find((p) => p.id === 'utilisation')!;
    const units = unitsOf('utilisation');
    const edited = { ...units[0].runs[0].results, config: { ...units[0].runs[0].results.config, model: { ...units[0].runs[0].results.config.model, levels: 3 } } };
    const rebuilt = unitsFromResults(part, [...units.flatMap((u) => u.runs.map((r) => r.results)), edited]);
    expect(rebuilt.unmatched).toEqual([edited]);
    expect(rebuilt.units.map((u) => u.runs.map((r) => [r.variant, r.testLabelVariance]))).toEqual(units.map((u) => u.runs.map((r) => [r.variant, r.testLabelVariance])));
    expect(analyse(rebuilt.units, ['utilisation']).utilisation!.findings).toEqual(out.analyses.utilisation!.findings);
  });

  it('gives the same numbers when a unit runs again in a child process (what --jobs uses)', () => {
    const file = join(dir, 'unit.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/reproduce.ts', '--unit', `utilisation:1:${QUICK_STEPS.utilisation}`, '--unit-out', file], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const again = JSON.parse(readFileSync(file, 'utf8')) as PartSeedResult;
    const first = unitsOf('utilisation').find((u) => u.seed === 1)!;
    expect(again.runs.map((x) => x.variant)).toEqual(first.runs.map((x) => x.variant));
    again.runs.forEach((x, i) => {
      expect(x.results.test).toEqual(first.runs[i].results.test);
      // Through JSON as the child wrote it (NaN → null).
      expect(x.results.gateStats).toEqual(JSON.parse(JSON.stringify(first.runs[i].results.gateStats)));
    });
  }, 300_000);
});
