// "Run all seeds" in the page gives the CLI's numbers: the same preset, seeds
// and steps on the WASM backend, in the browser's worker and in Node, agree
// to 1e-5 on every run's test metrics and gate statistics.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test.use({ viewport: { width: 1280, height: 800 } });

const WASM = encodeURIComponent(JSON.stringify({ backend: 'wasm' }));
const STEPS = 20;

interface Run {
  name: string;
  tasks: { value: number | null; loss: number | null }[];
  gates: { taskGateL1: number | null; meanTaskEntropy: number | null }[];
}

test('"Run all seeds" on a preset matches the CLI on the same seeds, steps and backend (1e-5)', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/#config=${WASM}`);
  await expect(page.getByTestId('backend-badge')).toContainText(/WASM/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'MMoE vs CGC gate usage' }).click();
  await page.getByLabel('Steps', { exact: true }).fill(String(STEPS));
  const seedsBefore = await page.getByLabel('Seeds', { exact: true }).inputValue();
  await page.getByRole('button', { name: 'Run all seeds' }).click();
  // The Seeds field keeps what was there: the run's seeds are its own (issue 13).
  await expect(page.getByLabel('Seeds', { exact: true })).toHaveValue(seedsBefore);
  await expect(page.getByTestId('run-phase')).toHaveText('done', { timeout: 180_000 });

  const json = page.waitForEvent('download', (d) => d.suggestedFilename().endsWith('-summary.json'));
  await page.getByRole('button', { name: 'Export suite summary' }).click();
  const pageSummary = JSON.parse(readFileSync(await (await json).path(), 'utf8')) as { runs: Run[]; seeds: number[]; backend: string };
  expect(pageSummary.seeds).toEqual([1, 2, 3, 4, 5]);
  expect(pageSummary.backend).toBe('wasm');

  const out = mkdtempSync(join(tmpdir(), 'ple-cli-'));
  execFileSync('npx', ['tsx', 'src/cli/experiment.ts', '--preset', 'mmoe-vs-cgc', '--seeds', '1,2,3,4,5', '--steps', String(STEPS), '--out', out, '--quiet'], {
    stdio: 'pipe',
    timeout: 180_000,
  });
  const cli = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: Run[] };

  expect(pageSummary.runs.map((r) => r.name).sort()).toEqual(cli.runs.map((r) => r.name).sort());
  expect(cli.runs.length).toBe(10);
  for (const r of cli.runs) {
    const p = pageSummary.runs.find((q) => q.name === r.name)!;
    r.tasks.forEach((t, k) => {
      expect(p.tasks[k].value, `${r.name} task ${k}`).not.toBeNull();
      expect(Math.abs(p.tasks[k].value! - t.value!), `${r.name} task ${k} metric`).toBeLessThan(1e-5);
      expect(Math.abs(p.tasks[k].loss! - t.loss!), `${r.name} task ${k} loss`).toBeLessThan(1e-5);
    });
    r.gates.forEach((g, l) => {
      if (g.taskGateL1 === null) return;
      expect(Math.abs(p.gates[l].taskGateL1! - g.taskGateL1), `${r.name} level ${l} L1`).toBeLessThan(1e-5);
    });
  }
});
