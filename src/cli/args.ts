// Argument parsing for `npm run experiment`: a small pure module so every
// error path is unit-tested. Errors are one readable line.
import { PRESET_IDS } from '../core/config/presets';
import { MAX_SEED } from '../core/config/suite';

export interface ExperimentArgs {
  preset?: string;
  config?: string;
  seed?: number;
  seeds?: number[];
  steps?: number;
  out?: string;
  /** Child processes training at once; undefined: the default (cores − 1, at least 1). */
  jobs?: number;
  help: boolean;
  list: boolean;
  quiet: boolean;
}

export type ParsedArgs = { ok: true; args: ExperimentArgs } | { ok: false; error: string };

export const MAX_STEPS = 1_000_000;

export const USAGE = `Usage:
  npm run experiment -- --preset <name> [--seed <n> | --seeds <n,n,..>] [--steps <n>] [--jobs <n>] --out <dir>
  npm run experiment -- --config <file.json> [--seed <n> | --seeds <n,n,..>] [--steps <n>] [--jobs <n>] --out <dir>
  npm run experiment -- --list

Trains on the Node WASM backend and writes <dir>/results.json, model.json,
model.onnx and curves.csv; a suite writes them per run in <dir>/<run>/ plus <dir>/summary.json
and summary.csv (final metrics, MTL gains).

Options:
  --preset <name>     one of: ${PRESET_IDS.join(', ')}
  --config <file>     an experiment config as JSON (see docs/export-format.md)
  --seed <n>          seed n sets data seed n, init seed n+1000, batch seed n+2000
  --seeds <list>      several seeds, comma separated: one run per model and seed
  --steps <n>         training steps per run (1..${MAX_STEPS})
  --out <dir>         output folder (created if missing)
  --jobs <n>          runs training at once, one child process each (default: cores − 1,
                      at least 1); the output files and numbers do not depend on it
  --list              list the presets and exit
  --quiet             no progress on stderr
  -h, --help          this help`;

type Flag = 'preset' | 'config' | 'seed' | 'seeds' | 'steps' | 'out' | 'jobs';
const VALUED: readonly Flag[] = ['preset', 'config', 'seed', 'seeds', 'steps', 'out', 'jobs'];
export const MAX_JOBS = 64;

/** The default of --jobs (experiment and reproduce): cores − 1, so one core stays free, at least 1. */
export function defaultJobs(cores: number): number {
  return Math.max(1, Math.floor(cores) - 1);
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`${flag} must be a whole number (got "${text}")`);
  const n = Number(text);
  if (n < min || n > max) throw new Error(`${flag} must be between ${min} and ${max} (got ${n})`);
  return n;
}

export function parseArgs(argv: string[]): ParsedArgs {
  try {
    return { ok: true, args: parse(argv) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function parse(argv: string[]): ExperimentArgs {
  const args: ExperimentArgs = { help: false, list: false, quiet: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '-h' || token === '--help') {
      args.help = true;
      continue;
    }
    if (token === '--list') {
      args.list = true;
      continue;
    }
    if (token === '--quiet') {
      args.quiet = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(token);
    if (!m) throw new Error(`unexpected argument "${token}" (options start with --; see --help)`);
    const flag = m[1] as Flag;
    if (!VALUED.includes(flag)) throw new Error(`unknown option --${m[1]} (see --help)`);
    if (seen.has(flag)) throw new Error(`--${flag} given twice`);
    seen.add(flag);
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || /^--?[a-z]/i.test(next)) throw new Error(`--${flag} needs a value`);
      value = next;
      i++;
    }
    if (value === '') throw new Error(`--${flag} needs a value`);
    switch (flag) {
      case 'preset':
        if (!PRESET_IDS.includes(value)) throw new Error(`unknown preset "${value}" (choose from ${PRESET_IDS.join(', ')})`);
        args.preset = value;
        break;
      case 'config':
        args.config = value;
        break;
      case 'out':
        args.out = value;
        break;
      case 'seed':
        args.seed = wholeNumber('--seed', value, 1, MAX_SEED);
        break;
      case 'seeds': {
        const seeds = value.split(',').map((s) => wholeNumber('--seeds', s, 1, MAX_SEED));
        if (new Set(seeds).size !== seeds.length) throw new Error(`--seeds must not repeat a seed (got ${value})`);
        args.seeds = seeds;
        break;
      }
      case 'steps':
        args.steps = wholeNumber('--steps', value, 1, MAX_STEPS);
        break;
      case 'jobs':
        args.jobs = wholeNumber('--jobs', value, 1, MAX_JOBS);
        break;
    }
  }
  if (args.help || args.list) return args;
  if (args.preset && args.config) throw new Error('give either --preset or --config, not both');
  if (!args.preset && !args.config) throw new Error('give --preset <name> or --config <file.json> (see --help)');
  if (args.seed !== undefined && args.seeds) throw new Error('give either --seed or --seeds, not both');
  if (!args.out) throw new Error('--out <dir> is required');
  return args;
}

// ---------- npm run bench:core ----------

export interface BenchArgs {
  json?: string;
  /** Timed engine steps (the tensor-leak check runs over the same steps). */
  steps: number;
  /** Timed steps of the per-expert loop baseline. */
  loopSteps: number;
  /** Untimed steps per model first (kernel set-up, Adam slots). */
  warmup: number;
  /** Also time the engine at every preset's default model (timed steps per preset; 0 = off). */
  presetSteps: number;
  help: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench:core [-- --json <file>] [--steps <n>] [--loop-steps <n>] [--presets [n]]

Training steps/s of the engine's PLE vs a per-expert matMul loop on the Node
WASM backend (bench config: 2 tasks, PLE 2 levels, 2 specific + 2 shared
experts per level, experts [64], towers [32] + linear, input 100, batch 256, Adam),
and tensors alive after the engine's timed steps vs before.

Options:
  --json <file>       also write the figures as JSON
  --steps <n>         timed engine steps (default 1000; the leak check uses the same steps)
  --loop-steps <n>    timed steps of the per-expert loop (default 300)
  --warmup <n>        untimed steps per model first (default 50)
  --presets [n]       also time the engine at each preset's own default model
                      (n timed steps per preset, default 200), with the tape's
                      saves as TF.js makes them and as the engine makes them
  -h, --help          this help`;

export function parseBenchArgs(argv: string[]): { ok: true; args: BenchArgs } | { ok: false; error: string } {
  const args: BenchArgs = { steps: 1000, loopSteps: 300, warmup: 50, presetSteps: 0, help: false };
  try {
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i];
      if (token === '-h' || token === '--help') {
        args.help = true;
        continue;
      }
      if (token === '--presets' && (argv[i + 1] === undefined || argv[i + 1].startsWith('-'))) {
        args.presetSteps = 200;
        continue;
      }
      const m = /^--(json|steps|loop-steps|warmup|presets)(?:=(.*))?$/s.exec(token);
      if (!m) throw new Error(token.startsWith('-') ? `unknown option ${token.split('=')[0]} (see --help)` : `unexpected argument "${token}"`);
      let value = m[2];
      if (value === undefined) {
        value = argv[i + 1];
        if (value === undefined || /^--?[a-z]/i.test(value)) throw new Error(`--${m[1]} needs a value`);
        i++;
      }
      if (value === '') throw new Error(`--${m[1]} needs a value`);
      if (m[1] === 'json') args.json = value;
      else if (m[1] === 'steps') args.steps = wholeNumber('--steps', value, 10, MAX_STEPS);
      else if (m[1] === 'warmup') args.warmup = wholeNumber('--warmup', value, 1, MAX_STEPS);
      else if (m[1] === 'presets') args.presetSteps = wholeNumber('--presets', value, 10, MAX_STEPS);
      else args.loopSteps = wholeNumber('--loop-steps', value, 10, MAX_STEPS);
    }
    return { ok: true, args };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
