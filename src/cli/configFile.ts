// `--config <file.json>`: one experiment config, or a suite of named runs
// `{ "title"?: string, "runs": [{ "name": string, "seed"?: n, "config": {...} }] }`.
import { readFileSync } from 'node:fs';
import type { ExperimentInput } from '../core/config/schema';
import { expandConfig, type RunOverrides, type SuiteRun } from '../core/config/suite';

export interface LoadedRuns {
  kind: 'single' | 'suite';
  title: string;
  runs: SuiteRun[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function loadConfigFile(path: string, o: RunOverrides): LoadedRuns {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read config file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message})`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${path} must hold a JSON object (an experiment config)`);
  const obj = json as Record<string, unknown>;
  if (!('runs' in obj)) {
    const runs = expandConfig(obj as ExperimentInput, o, 'run');
    return { kind: runs.length > 1 ? 'suite' : 'single', title: path, runs };
  }
  if (!Array.isArray(obj.runs) || obj.runs.length === 0) throw new Error(`${path}: "runs" must be a non-empty list of { name, seed?, config }`);
  const seen = new Set<string>();
  const runs = obj.runs.flatMap((r: unknown, i: number) => {
    const spec = (r ?? {}) as { name?: unknown; seed?: unknown; config?: unknown };
    if (typeof spec.name !== 'string' || !SAFE_NAME.test(spec.name))
      throw new Error(`${path}: runs.${i}.name must be a folder-safe name (letters, digits, . _ -)`);
    if (seen.has(spec.name)) throw new Error(`${path}: run name "${spec.name}" is used twice`);
    seen.add(spec.name);
    if (spec.seed !== undefined && typeof spec.seed !== 'number') throw new Error(`${path}: runs.${i}.seed must be a number`);
    const seedOverride: RunOverrides = o.seed !== undefined || o.seeds ? o : spec.seed !== undefined ? { ...o, seed: spec.seed } : o;
    try {
      return expandConfig((spec.config ?? {}) as ExperimentInput, seedOverride, spec.name);
    } catch (e) {
      throw new Error(`${path}: runs.${i} (${spec.name}): ${(e as Error).message}`);
    }
  });
  return { kind: 'suite', title: typeof obj.title === 'string' ? obj.title : path, runs };
}
