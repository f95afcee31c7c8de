// `npm run bench:core [-- --json <file>]`: training steps/s of the engine's PLE
// vs a per-expert matMul loop on Node WASM, and tensor growth over the engine's
// timed steps. The measurement is in ./bench/coreBench.ts; TF.js loads only
// once the arguments are known to be good.
import { BENCH_USAGE, parseBenchArgs } from './args';

async function main(argv: string[]): Promise<void> {
  const parsed = parseBenchArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`error: ${parsed.error}\n`);
    process.exit(2);
  }
  if (parsed.args.help) {
    process.stdout.write(BENCH_USAGE + '\n');
    return;
  }
  const { runBench } = await import('./bench/coreBench');
  await runBench(parsed.args);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`error: ${(e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
});
