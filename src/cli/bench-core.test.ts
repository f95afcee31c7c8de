// Smoke test of `npm run bench:core`: the JSON contract and the table, at a tiny size.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const tmp = mkdtempSync(join(tmpdir(), 'ple-bench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bench = (args: string[]) => spawnSync(TSX, ['src/cli/bench-core.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });

describe('npm run bench:core', () => {
  it('prints the table and writes { stepsPerSec: { engine, perExpertLoop }, tensorsLeakedPer1000Steps, backend }', () => {
    const file = join(tmp, 'bench.json');
    const r = bench(['--steps', '20', '--loop-steps', '10', '--warmup', '2', '--json', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/engine \(PLE, packed experts\)\s+\d+(\.\d)?\s+-?\d+ over 20 steps/);
    expect(r.stdout).toMatch(/per-expert matMul loop\s+\d+(\.\d)?\s+-?\d+ over 10 steps/);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(json).sort()).toEqual(['backend', 'stepsPerSec', 'tensorsLeakedPer1000Steps']);
    expect(Object.keys(json.stepsPerSec).sort()).toEqual(['engine', 'perExpertLoop']);
    expect(json.stepsPerSec.engine).toBeGreaterThan(0);
    expect(json.stepsPerSec.perExpertLoop).toBeGreaterThan(0);
    expect(Number.isInteger(json.tensorsLeakedPer1000Steps)).toBe(true);
    expect(json.tensorsLeakedPer1000Steps).toBe(0);
    expect(json.backend).toBe('wasm');
  }, 180_000);

  it('rejects a bad option with one line and exit 2', () => {
    const r = bench(['--steps', 'many']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --steps must be a whole number (got "many")\n');
  }, 60_000);
});
