// `npm run calibrate [-- --quick] [--out dir] [--seeds ..] [--parts ..] [--jobs n]`
// The calibration study behind the presets' settings: docs/calibration.md and
// docs/calibration.json. Exit codes: 0 done, 1 a run failed, 2 bad arguments.
import { availableParallelism } from 'node:os';
import { DEFAULT_OUT, parseReproduceArgs } from './reproduce/args';
import { FULL_SEEDS, PART_IDS } from './reproduce/plan';

function fail(code: number, message: string): never {
  process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  // Same flags as reproduce (--quick, --out, --seeds, --parts, --jobs).
  const render = argv.includes('--render');
  const parsed = parseReproduceArgs(argv.filter((x) => x !== '--render'), availableParallelism());
  if (!parsed.ok) fail(2, parsed.error);
  const a = parsed.args;
  if (a.help) {
    process.stdout.write('Usage: npm run calibrate [-- --quick] [--out <dir>] [--seeds <n,n,..>] [--parts <list>] [--jobs <n>] [--render]\n  --render  rewrite calibration.md from calibration.json (no training)\n');
    return;
  }
  await import('./calibrate/settings');
  const { runCalibration, renderCalibration } = await import('./calibrate/study');
  if (render) {
    // Rewrite calibration.md from calibration.json with the current CHOICE texts (no training).
    renderCalibration(a.out);
    return;
  }
  const quick = a.mode === 'quick';
  const rec = await runCalibration({
    mode: a.mode,
    seeds: a.seeds ?? (quick ? [1, 2] : [...FULL_SEEDS]),
    parts: a.parts ?? [...PART_IDS],
    jobs: a.jobs,
    out: quick && a.out === DEFAULT_OUT.quick ? 'out/calibrate-quick' : a.out,
    log: a.quiet ? () => {} : undefined,
  });
  for (const p of rec.parts) for (const s of p.settings) process.stderr.write(`${p.part} ${s.id.padEnd(14)} ${s.findings.map((f) => `${f.id} ${f.verdict}`).join(', ')}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => fail(1, e instanceof Error ? e.message : String(e)));
