import { describe, expect, it } from 'vitest';
import { defaultJobs, parseArgs, parseBenchArgs } from './args';

const ok = (argv: string[]) => {
  const r = parseArgs(argv);
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  return r.args;
};
const err = (argv: string[]) => {
  const r = parseArgs(argv);
  if (r.ok) throw new Error(`expected an error for ${argv.join(' ')}`);
  expect(r.error).not.toMatch(/\n/);
  return r.error;
};

describe('parseArgs', () => {
  it('parses a preset run with seed and steps, in either --flag value or --flag=value form', () => {
    expect(ok(['--preset', 'seesaw', '--seed', '3', '--steps=200', '--out', 'o'])).toEqual({
      preset: 'seesaw', seed: 3, steps: 200, out: 'o', help: false, list: false, quiet: false,
    });
    expect(ok(['--config=c.json', '--out=x', '--quiet'])).toMatchObject({ config: 'c.json', out: 'x', quiet: true });
    expect(ok(['--preset', 'seesaw', '--seeds', '1,2,5', '--out', 'o']).seeds).toEqual([1, 2, 5]);
  });

  it('--jobs: how many runs train at once (default: cores − 1, at least 1)', () => {
    expect(ok(['--preset', 'seesaw', '--out', 'o', '--jobs', '3']).jobs).toBe(3);
    expect(ok(['--preset', 'seesaw', '--out', 'o']).jobs).toBeUndefined();
    expect(defaultJobs(1)).toBe(1);
    expect(defaultJobs(2)).toBe(1);
    expect(defaultJobs(8)).toBe(7);
    expect(err(['--preset', 'seesaw', '--out', 'o', '--jobs', '0'])).toBe('--jobs must be between 1 and 64 (got 0)');
    expect(err(['--preset', 'seesaw', '--out', 'o', '--jobs', 'all'])).toBe('--jobs must be a whole number (got "all")');
  });

  it('help and list need nothing else', () => {
    expect(ok(['--help']).help).toBe(true);
    expect(ok(['-h']).help).toBe(true);
    expect(ok(['--list']).list).toBe(true);
  });

  it('rejects a missing source, two sources, or a missing --out', () => {
    expect(err([])).toMatch(/--preset <name> or --config/);
    expect(err(['--preset', 'seesaw', '--config', 'c.json', '--out', 'o'])).toMatch(/not both/);
    expect(err(['--preset', 'seesaw'])).toBe('--out <dir> is required');
  });

  it('rejects unknown presets and options, naming them', () => {
    expect(err(['--preset', 'nope', '--out', 'o'])).toMatch(/unknown preset "nope" \(choose from .*seesaw/);
    expect(err(['--preset', 'seesaw', '--out', 'o', '--fast'])).toBe('unknown option --fast (see --help)');
    expect(err(['seesaw'])).toMatch(/unexpected argument "seesaw"/);
  });

  it('rejects bad numbers with the allowed range', () => {
    expect(err(['--preset', 'seesaw', '--out', 'o', '--steps', '0'])).toBe('--steps must be between 1 and 1000000 (got 0)');
    expect(err(['--preset', 'seesaw', '--out', 'o', '--steps', '1.5'])).toBe('--steps must be a whole number (got "1.5")');
    expect(err(['--preset', 'seesaw', '--out', 'o', '--seed', 'abc'])).toMatch(/--seed must be a whole number/);
    expect(err(['--preset', 'seesaw', '--out', 'o', '--seed', '-4'])).toMatch(/--seed must be between 1 and/);
    expect(err(['--preset', 'seesaw', '--out', 'o', '--seeds', '1,1'])).toMatch(/must not repeat/);
    expect(err(['--preset', 'seesaw', '--out', 'o', '--seeds', '1,,2'])).toMatch(/--seeds must be a whole number/);
  });

  it('rejects a flag without its value, a repeated flag, and --seed with --seeds', () => {
    expect(err(['--preset', 'seesaw', '--out'])).toBe('--out needs a value');
    expect(err(['--preset', '--out', 'o'])).toBe('--preset needs a value');
    expect(err(['--preset', 'seesaw', '--out=', 'x'])).toBe('--out needs a value');
    expect(err(['--preset', 'seesaw', '--out', 'a', '--out', 'b'])).toBe('--out given twice');
    expect(err(['--preset', 'seesaw', '--out', 'o', '--seed', '1', '--seeds', '2,3'])).toMatch(/either --seed or --seeds/);
  });
});

describe('parseBenchArgs', () => {
  it('defaults and options', () => {
    expect(parseBenchArgs([])).toEqual({ ok: true, args: { steps: 1000, loopSteps: 300, warmup: 50, presetSteps: 0, help: false } });
    expect(parseBenchArgs(['--json', 'b.json', '--steps=200', '--loop-steps', '50', '--warmup', '3'])).toEqual({
      ok: true, args: { json: 'b.json', steps: 200, loopSteps: 50, warmup: 3, presetSteps: 0, help: false },
    });
    // --presets alone: 200 timed steps per preset; with a value: that many.
    expect(parseBenchArgs(['--presets']).ok && (parseBenchArgs(['--presets']) as { args: { presetSteps: number } }).args.presetSteps).toBe(200);
    expect((parseBenchArgs(['--presets', '50', '--steps', '20']) as { args: { presetSteps: number; steps: number } }).args).toMatchObject({ presetSteps: 50, steps: 20 });
    expect(parseBenchArgs(['--presets', '--steps', '20'])).toMatchObject({ ok: true, args: { presetSteps: 200, steps: 20 } });
  });
  it('errors', () => {
    expect(parseBenchArgs(['--json'])).toEqual({ ok: false, error: '--json needs a value' });
    expect(parseBenchArgs(['--fast'])).toEqual({ ok: false, error: 'unknown option --fast (see --help)' });
    expect(parseBenchArgs(['--steps', '5'])).toEqual({ ok: false, error: '--steps must be between 10 and 1000000 (got 5)' });
  });
});
