// The calibration study at test size: every part's preset and one
// alternative setting, two seeds, in this process. It checks the pipeline
// (settings registry, analysis, report, JSON), not the numbers.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import './calibrate/settings';
import { calibrationReport, runCalibration, type CalibrationRecord } from './calibrate/study';
import { SETTINGS } from './calibrate/settings';
import { partPreset } from './reproduce/plan';

const dir = mkdtempSync(join(tmpdir(), 'calibrate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quick calibration', () => {
  it('runs the preset and an alternative per part, judges both with the reproduction rules, writes md + json', async () => {
    const rec = await runCalibration({ mode: 'quick', seeds: [1, 2], parts: ['regional', 'negative'], jobs: 1, out: dir, log: () => {} });
    expect(rec.parts.map((p) => p.part)).toEqual(['regional', 'negative']);
    for (const p of rec.parts) {
      expect(p.settings.map((s) => s.id)).toEqual(['preset', SETTINGS[p.part][0].id]);
      expect(p.settings.filter((s) => s.chosen).map((s) => s.id)).toEqual(['preset']);
      for (const s of p.settings) {
        expect(s.findings.length).toBeGreaterThan(0);
        expect(s.runs.length).toBe(2 * partPreset(p.part, s.id).variants.length);
        expect(s.runs.every((r) => r.status === 'done' && typeof r.params === 'number')).toBe(true);
      }
      // An alternative really changes the config.
      expect(p.settings[1].changes.length).toBeGreaterThan(0);
    }
    const json = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')) as CalibrationRecord;
    expect(json.parts[0].settings[0].findings.map((f) => f.id)).toEqual(['R1', 'R2']);
    const md = readFileSync(join(dir, 'calibration.md'), 'utf8');
    expect(md).toBe(calibrationReport(json));
    expect(md).toContain('## Headline');
    expect(md).toContain('Quick mode');
    expect(md).toMatch(/\*\*R1\*\* \((shown|partly shown|not shown|not run)\)/);
    expect(md).not.toMatch(/NaN|undefined|PLACEHOLDER/);
  }, 300_000);

  it('every setting of every part builds valid runs', () => {
    for (const [part, list] of Object.entries(SETTINGS)) for (const s of list) expect(partPreset(part as never, s.id).variants.length, `${part}/${s.id}`).toBeGreaterThan(0);
  });
});
