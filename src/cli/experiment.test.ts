// End to end: the real CLI in a child process, on the WASM backend, tiny budgets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeOnnx } from '../core/export/onnx';
import { parseResultsJson } from '../core/export/results';
import type { SuiteSummary } from '../core/config/suite';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(join(tmpdir(), 'ple-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(TSX, ['src/cli/experiment.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Child processes on a loaded 2-core machine: allow more than the default 60 s per test.
const SLOW = 180_000;
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

function expectRunFiles(dir: string, steps: number) {
  const results = parseResultsJson(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(results.status).toBe('done');
  expect(results.steps).toBe(steps);
  expect(results.backend).toBe('wasm');
  expect(results.train.length).toBeGreaterThan(0);
  expect(results.test).not.toBeNull();
  for (const m of results.test!) expect(Number.isFinite(m.type === 'binary' ? m.auc : m.mse)).toBe(true);
  const model = readJson(join(dir, 'model.json'));
  expect(model.model.type).toBe(results.model);
  expect(model.samples.inputs).toHaveLength(8);
  const csv = readFileSync(join(dir, 'curves.csv'), 'utf8').trimEnd().split('\n');
  expect(csv[0].startsWith('step,loss,task1_train_loss,task2_train_loss,')).toBe(true);
  expect(csv.length - 1).toBeGreaterThanOrEqual(results.train.length);
  return results;
}

describe('npm run experiment', () => {
  it('writes the same files with --jobs 1 and --jobs 2 (only the timing fields differ)', () => {
    const outs = [1, 2].map((jobs) => {
      const out = join(tmp, `jobs${jobs}`);
      const r = cli(['--preset', 'mmoe-vs-cgc', '--seeds', '1,2', '--steps', '20', '--jobs', String(jobs), '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${jobs} at a time`);
      return out;
    });
    const names = readdirSync(outs[0]).sort();
    expect(names).toEqual(['cgc-seed1', 'cgc-seed2', 'mmoe-seed1', 'mmoe-seed2', 'summary.csv', 'summary.json']);
    expect(readdirSync(outs[1]).sort()).toEqual(names);
    // Timing: wallSeconds in JSON, wall_s in the summary CSV (its 8th column).
    const noWall = (text: string) => JSON.stringify(JSON.parse(text, (k, v) => (k === 'wallSeconds' ? undefined : v)));
    const noWallCsv = (text: string) => text.split('\n').map((l) => l.split(',').filter((_, i) => i !== 7).join(',')).join('\n');
    const read = (out: string, f: string) => readFileSync(join(out, f), 'utf8');
    expect(noWall(read(outs[1], 'summary.json'))).toBe(noWall(read(outs[0], 'summary.json')));
    expect(read(outs[0], 'summary.csv').split('\n')[0].split(',')[7]).toBe('wall_s');
    expect(noWallCsv(read(outs[1], 'summary.csv'))).toBe(noWallCsv(read(outs[0], 'summary.csv')));
    for (const run of names.filter((n) => !n.startsWith('summary'))) {
      expect(readdirSync(join(outs[1], run)).sort()).toEqual(['curves.csv', 'model.json', 'model.onnx', 'results.json']);
      expect(noWall(read(outs[1], `${run}/results.json`)), run).toBe(noWall(read(outs[0], `${run}/results.json`)));
      for (const f of ['curves.csv', 'model.json']) expect(read(outs[1], `${run}/${f}`), `${run}/${f}`).toBe(read(outs[0], `${run}/${f}`));
      expect(readFileSync(join(outs[1], run, 'model.onnx')).equals(readFileSync(join(outs[0], run, 'model.onnx'))), `${run}/model.onnx`).toBe(true);
    }
  }, 2 * SLOW);

  it('runs the mmoe-vs-cgc preset and writes a result pair per model plus a summary', async () => {
    const out = join(tmp, 'preset');
    const r = cli(['--preset', 'mmoe-vs-cgc', '--steps', '20', '--seed', '4', '--out', out]);
    expect(r.stderr).toMatch(/\[2\/2\] cgc/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(''); // progress goes to stderr only
    expect(readdirSync(out).sort()).toEqual(['cgc', 'mmoe', 'summary.csv', 'summary.json']);
    const mmoe = expectRunFiles(join(out, 'mmoe'), 20);
    const cgc = expectRunFiles(join(out, 'cgc'), 20);
    expect(mmoe.model).toBe('mmoe');
    expect(cgc.model).toBe('cgc');
    // seed 4 → data 4, init 1004, batch 2004, for both models
    for (const res of [mmoe, cgc]) expect(res.seeds).toEqual({ data: 4, init: 1004, batch: 2004 });
    expect(mmoe.config.model.sharedExperts).toBe(3);
    expect(mmoe.gateStats[0].gates.length).toBe(2);
    const summary = readJson(join(out, 'summary.json')) as SuiteSummary;
    expect(summary.preset).toBe('mmoe-vs-cgc');
    expect(summary.runs.map((x) => x.name)).toEqual(['mmoe', 'cgc']);
    expect(summary.runs[0].tasks[0].value).toBeCloseTo(mmoe.test![0].mse!, 12);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')).toHaveLength(4); // header, 2 rows, trailing newline
    // model.onnx beside model.json: the preset and seeds in its metadata, model.json's samples in ONNX Runtime.
    const onnxBytes = readFileSync(join(out, 'cgc', 'model.onnx'));
    const meta = Object.fromEntries(decodeOnnx(onnxBytes).metadataProps.map((p) => [p.key, p.value]));
    expect(meta.preset).toBe('mmoe-vs-cgc');
    expect(JSON.parse(meta.seeds)).toEqual({ data: 4, init: 1004, batch: 2004 });
    const model = readJson(join(out, 'cgc', 'model.json'));
    const session = await ort.InferenceSession.create(onnxBytes);
    const got = await session.run({ x: new ort.Tensor('float32', Float32Array.from(model.samples.inputs.flat()), [8, model.model.inputDim]) });
    (got.y.data as Float32Array).forEach((v, i) => expect(Math.abs(v - model.samples.outputs.flat()[i])).toBeLessThan(1e-5));
    await session.release();
  }, SLOW);

  it('runs a config file flat into --out, and a suite file with MTL gains against its single-task run', () => {
    const single = join(tmp, 'single.json');
    writeFileSync(single, JSON.stringify({ model: { type: 'shared-bottom' }, data: { nTrain: 512, nVal: 64, nTest: 64 } }));
    const out1 = join(tmp, 'flat');
    const r1 = cli(['--config', single, '--steps', '10', '--out', out1]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(readdirSync(out1).sort()).toEqual(['curves.csv', 'model.json', 'model.onnx', 'results.json']);
    expectRunFiles(out1, 10);

    const suite = join(tmp, 'suite.json');
    const data = { tasks: [{ type: 'regression' }, { type: 'binary' }], nTrain: 512, nVal: 64, nTest: 128 };
    // baseline listed last on purpose: gains must still be filled in
    writeFileSync(suite, JSON.stringify({ runs: [{ name: 'sb', config: { model: { type: 'shared-bottom' }, data } }, { name: 'st', config: { model: { type: 'single-task' }, data } }] }));
    const out2 = join(tmp, 'suite');
    const r2 = cli(['--config', suite, '--steps', '15', '--seed', '2', '--out', out2]);
    expect(r2.code, r2.stderr).toBe(0);
    const sb = expectRunFiles(join(out2, 'sb'), 15);
    const st = expectRunFiles(join(out2, 'st'), 15);
    expect(st.mtlGain).toEqual([0, 0]);
    expect(sb.mtlGain![0]).toBeCloseTo(st.test![0].mse! - sb.test![0].mse!, 12);
    expect(sb.mtlGain![1]).toBeCloseTo(sb.test![1].auc! - st.test![1].auc!, 12);
    const summary = readJson(join(out2, 'summary.json')) as SuiteSummary;
    expect(summary.runs.find((x) => x.name === 'sb')!.tasks[1].mtlGain).toBeCloseTo(sb.mtlGain![1]!, 12);
  }, SLOW);

  it('exits non-zero with one readable line on a bad argument or an invalid config', () => {
    const bad = cli(['--preset', 'seesaw', '--steps', 'ten', '--out', join(tmp, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --steps must be a whole number (got "ten")\n');

    const unknown = cli(['--preset', 'no-such', '--out', join(tmp, 'x')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/^error: unknown preset "no-such"/);

    const file = join(tmp, 'bad.json');
    writeFileSync(file, JSON.stringify({ model: { levels: 0 } }));
    const invalid = cli(['--config', file, '--out', join(tmp, 'y')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe('error: invalid config: model.levels: levels must be between 1 and 4 (got 0)\n');

    writeFileSync(file, '{ "model": ');
    const broken = cli(['--config', file, '--out', join(tmp, 'y')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error: .*bad\.json is not valid JSON/);
    expect(broken.stderr.trimEnd().split('\n')).toHaveLength(1);

    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--preset <name>/);
  }, SLOW);
});
