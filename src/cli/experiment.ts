// `npm run experiment -- --preset <name> | --config <file.json> [--seed n] [--steps n] [--jobs n] --out <dir>`
// Exit codes: 0 done (a diverged run is a result, not a failure), 1 a run
// failed, 2 bad arguments or an invalid config. Errors are ONE line on stderr.
import { availableParallelism } from 'node:os';
import { getPreset, PRESETS } from '../core/config/presets';
import { ConfigError } from '../core/config/schema';
import { expandPreset, SEED_SCHEME, type SuiteRun } from '../core/config/suite';
import { defaultJobs, parseArgs, USAGE } from './args';
import { loadConfigFile } from './configFile';

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

function fail(code: number, message: string): never {
  process.stderr.write(`error: ${oneLine(message)}\n`);
  process.exit(code);
}

function listPresets(): string {
  return PRESETS.map((p) => {
    const n = p.kind === 'single' ? 1 : p.variants.length;
    return `${p.id.padEnd(20)} ${p.title} (${n} run${n === 1 ? '' : 's'} × ${p.steps} steps, seeds ${p.seeds.join(',')})`;
  }).join('\n');
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) fail(2, parsed.error);
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (args.list) {
    process.stdout.write(listPresets() + '\n');
    return;
  }
  const overrides = { seed: args.seed, seeds: args.seeds, steps: args.steps };
  let runs: SuiteRun[];
  let layout: 'single' | 'suite';
  let title: string;
  try {
    if (args.preset) {
      const preset = getPreset(args.preset)!;
      runs = expandPreset(preset, overrides);
      layout = preset.kind === 'single' && runs.length === 1 ? 'single' : 'suite';
      title = preset.title;
    } else {
      const loaded = loadConfigFile(args.config!, overrides);
      runs = loaded.runs;
      layout = loaded.kind;
      title = loaded.title;
    }
  } catch (e) {
    fail(2, e instanceof ConfigError ? `invalid config: ${e.message}` : (e as Error).message);
  }

  const log = args.quiet ? () => {} : (s: string) => process.stderr.write(s + '\n');
  // Load TF.js only once the arguments are known to be good: a typo answers instantly.
  const { useWasmBackend } = await import('./wasm');
  const { runAll } = await import('./runner');
  const backend = await useWasmBackend();
  const jobs = Math.min(args.jobs ?? defaultJobs(availableParallelism()), runs.length);
  log(`${title}: ${runs.length} run${runs.length === 1 ? '' : 's'} on ${backend}, ${jobs} at a time → ${args.out} (${SEED_SCHEME})`);
  const t0 = performance.now();
  const { results, summary } = await runAll(runs, { out: args.out!, layout, preset: args.preset ?? null, title, backend, log, jobs });
  const diverged = results.filter((r) => r.status === 'diverged').length;
  log(
    `done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${results.length} run${results.length === 1 ? '' : 's'}` +
      `${diverged ? `, ${diverged} diverged` : ''}; wrote ${args.out}${summary ? '/summary.json' : '/results.json'}`,
  );
}

main(process.argv.slice(2)).catch((e: unknown) => fail(1, e instanceof Error ? e.message : String(e)));
