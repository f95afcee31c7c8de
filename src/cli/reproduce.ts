// `npm run reproduce [-- --quick] [--out dir] [--seeds ..] [--parts ..] [--jobs n]`
// Reproduces the MMoE/PLE papers' findings (SPEC §5) and writes a report with
// verdicts. Exit codes: 0 done, 1 a run failed, 2 bad arguments.
import { availableParallelism } from 'node:os';
import { PART_TITLES, makePlan } from './reproduce/plan';
import { parseReproduceArgs, REPRODUCE_USAGE } from './reproduce/args';

function fail(code: number, message: string): never {
  process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseReproduceArgs(argv, availableParallelism());
  if (!parsed.ok) fail(2, parsed.error);
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(REPRODUCE_USAGE + '\n');
    return;
  }
  // TF.js loads only once the arguments are known to be good.
  const pipeline = await import('./reproduce/pipeline');
  if (args.unit) {
    const { part, seed, steps, setting } = args.unit;
    const plan = makePlan(args.mode, { parts: [part] }).parts[0];
    // Calibration settings live in calibration.ts; importing it registers them.
    if (setting) await import('./calibrate/settings');
    await pipeline.runUnitToFile({ ...plan, steps, title: PART_TITLES[part], ...(setting ? { setting } : {}) }, seed, args.unitOut!);
    return;
  }
  const plan = makePlan(args.mode, { seeds: args.seeds, parts: args.parts });
  const log = args.quiet ? () => {} : (s: string) => process.stderr.write(s + '\n');
  const { analyses } = await pipeline.reproduce(plan, { out: args.out, jobs: args.jobs, log, merge: args.merge });
  const { allFindings } = await import('./reproduce/report');
  for (const f of allFindings(analyses)) log(`${f.id} ${f.verdict.padEnd(12)} ${f.claim}`);
}

main(process.argv.slice(2)).catch((e: unknown) => fail(1, e instanceof Error ? e.message : String(e)));
