// Arguments of `npm run reproduce`. Pure, so every error path is testable.
import { MAX_SEED } from '../../core/config/suite';
import { PART_IDS, type Mode, type PartId } from './plan';
import { defaultJobs } from '../args';

export interface ReproduceArgs {
  mode: Mode;
  out: string;
  seeds?: number[];
  parts?: PartId[];
  jobs: number;
  help: boolean;
  quiet: boolean;
  /** Keep the parts not rerun from <out>/reproduction.json (merge this run's parts into it). */
  merge: boolean;
  /** Internal: run one unit "part:seed:steps[:setting]" and write it to unitOut (child process). */
  unit?: { part: PartId; seed: number; steps: number; setting?: string };
  unitOut?: string;
}

export const DEFAULT_OUT: Record<Mode, string> = { full: 'docs', quick: 'out/reproduce-quick' };

export const REPRODUCE_USAGE = `Usage: npm run reproduce [-- --quick] [--out <dir>] [--seeds <n,n,..>] [--parts <list>] [--jobs <n>]

Runs the papers' three experiments on the Node WASM backend over several seeds
(correlation sweep, expert utilisation, seesaw; SPEC §5) and writes
<dir>/reproduction.md, <dir>/figures/*.svg and <dir>/reproduction.json.

Options:
  --quick            tiny step budgets and 3 seeds (the test suite's size); writes to
                     ${DEFAULT_OUT.quick} unless --out is given
  --out <dir>        output folder (default: ${DEFAULT_OUT.full} for the full run)
  --seeds <list>     seeds, comma separated (default 1,2,3,4,5; quick 1,2,3)
  --parts <list>     a subset of ${PART_IDS.join(',')} (default: all)
  --jobs <n>         parallel processes, one (part, seed) unit each (default: cores − 1, at least 1);
                     the report's numbers do not depend on it
  --merge            rerun only --parts and keep every other part from <dir>/reproduction.json
                     (same mode and seeds); the report, figures and findings cover all parts
  --quiet            no progress on stderr
  -h, --help         this help`;

function whole(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`${flag} must be a whole number (got "${text}")`);
  const n = Number(text);
  if (n < min || n > max) throw new Error(`${flag} must be between ${min} and ${max} (got ${n})`);
  return n;
}

const isPart = (s: string): s is PartId => (PART_IDS as readonly string[]).includes(s);

export function parseReproduceArgs(argv: string[], cores = 2): { ok: true; args: ReproduceArgs } | { ok: false; error: string } {
  try {
    let quick = false;
    let out: string | undefined;
    const a: Omit<ReproduceArgs, 'mode' | 'out'> = { jobs: defaultJobs(cores), help: false, quiet: false, merge: false };
    const seen = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i];
      if (token === '-h' || token === '--help') a.help = true;
      else if (token === '--quick') quick = true;
      else if (token === '--quiet') a.quiet = true;
      else if (token === '--merge') a.merge = true;
      else {
        const m = /^--(out|seeds|parts|jobs|unit|unit-out)(?:=(.*))?$/s.exec(token);
        if (!m) throw new Error(token.startsWith('-') ? `unknown option ${token.split('=')[0]} (see --help)` : `unexpected argument "${token}"`);
        if (seen.has(m[1])) throw new Error(`--${m[1]} given twice`);
        seen.add(m[1]);
        let v = m[2];
        if (v === undefined) {
          v = argv[i + 1];
          if (v === undefined || /^--?[a-z]/i.test(v)) throw new Error(`--${m[1]} needs a value`);
          i++;
        }
        if (v === '') throw new Error(`--${m[1]} needs a value`);
        if (m[1] === 'out') out = v;
        else if (m[1] === 'jobs') a.jobs = whole('--jobs', v, 1, 64);
        else if (m[1] === 'unit-out') a.unitOut = v;
        else if (m[1] === 'seeds') {
          const seeds = v.split(',').map((s) => whole('--seeds', s, 1, MAX_SEED));
          if (new Set(seeds).size !== seeds.length) throw new Error(`--seeds must not repeat a seed (got ${v})`);
          a.seeds = seeds;
        } else if (m[1] === 'parts') {
          const parts = v.split(',').map((s) => s.trim());
          const bad = parts.find((p) => !isPart(p));
          if (bad !== undefined) throw new Error(`unknown part "${bad}" (choose from ${PART_IDS.join(', ')})`);
          a.parts = PART_IDS.filter((p) => parts.includes(p));
        } else {
          const [part, seed, steps, setting] = v.split(':');
          if (!isPart(part) || seed === undefined || steps === undefined) throw new Error('--unit needs part:seed:steps');
          a.unit = { part, seed: whole('--unit seed', seed, 1, MAX_SEED), steps: whole('--unit steps', steps, 1, 1_000_000), ...(setting ? { setting } : {}) };
        }
      }
    }
    if (a.unit && !a.unitOut) throw new Error('--unit needs --unit-out');
    if (a.merge && !a.parts) throw new Error('--merge needs --parts (the parts to rerun)');
    const mode: Mode = quick ? 'quick' : 'full';
    return { ok: true, args: { ...a, mode, out: out ?? DEFAULT_OUT[mode] } };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
