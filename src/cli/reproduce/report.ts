// docs/reproduction.md from a record and its analyses: pure string building.
import { SEED_SCHEME } from '../../core/config/suite';
import { fmtDuration } from '../../state/format';
import { configDiff } from './configDiff';
import type { Finding } from './findings';
import { FULL_SEEDS, partPreset, partRuns } from './plan';
import { estimateFullSeconds, partTimings, type ReproductionRecord } from './record';
import type { SeesawAnalysis } from './seesawAnalysis';
import type { MechanismAnalysis } from './mechanismAnalysis';
import type { TradeoffAnalysis } from './tradeoffAnalysis';
import { paired, pse, TWO_SE_RULE } from './paired';
import { num, pm } from './stats';
import type { SweepAnalysis } from './sweepAnalysis';
import { NEAR_ZERO, type UtilisationAnalysis } from './utilisationAnalysis';

export interface Analyses {
  sweep: SweepAnalysis | null;
  utilisation: UtilisationAnalysis | null;
  seesaw: SeesawAnalysis | null;
  regional: MechanismAnalysis | null;
  negative: MechanismAnalysis | null;
  esmm: MechanismAnalysis | null;
  tradeoff: TradeoffAnalysis | null;
  features: MechanismAnalysis | null;
}

export const REPORT_SECTIONS = [
  '## Summary',
  '## Setup',
  '## 1. MMoE correlation sweep',
  '## 2. Expert utilisation and the gate bias',
  '## 3. Gates routing by region',
  '## 4. Seesaw from loss-scale imbalance',
  '## 5. Negative transfer from overfitting',
  '## 6. ESMM on the exposure space',
  '## 7. The seesaw as a trade-off curve',
  '## 8. Feature-selection gates',
  '## Configs',
  '## Run time',
  '## Notes',
] as const;

export function allFindings(a: Analyses): Finding[] {
  return [a.sweep, a.utilisation, a.regional, a.seesaw, a.tradeoff, a.negative, a.esmm, a.features].flatMap((x) => x?.findings ?? []);
}

type MechanismPart = 'regional' | 'negative' | 'esmm' | 'features';
const MECHANISM_INTRO: Record<MechanismPart, string> = {
  regional:
    'The sample-dependent generator (SPEC §1): a hidden unit direction r splits the inputs into two regions by rᵀx > 0, and task B\'s weight vector has its own correlation with task A\'s in each region. ' +
    'A model that shares one representation must compromise between the regions; a gate that reads x can route each region to different experts. ' +
    'Region L1 of a gate: Σ_e |mean weight on expert e over the test rows of region 0 − over region 1| (0 = routes both regions alike, 2 = disjoint).',
  negative:
    'A regression task A and a binary task B (Bernoulli labels on the standardised target, T = 0.4, so AUC is not saturated) at p = 0.5, with only 2,000 training rows. ' +
    'MTL gain against the single-task columns of the same seed (each at its own best validation step): MSE(single) − MSE(model) for A, AUC(model) − AUC(single) for B; mean ± SE of the per-seed gains.',
  esmm:
    'Exposure → click → conversion: conversion (CVR) is observed only where the click (CTR) is positive. Shared-Bottom and MMoE learn CVR from clicked rows only; ESMM learns it through pCTCVR = pCTR × pCVR on every exposure. ' +
    'The usual CVR AUC (the table\'s "test AUC") is on clicked rows; what ESMM is for is the CVR and CTCVR over ALL exposures, which the generator can score because it knows the conversion label of unclicked rows too. ' +
    '"ESMM over CGC" is the brief\'s Meituan hybrid: the same ESMM structure whose shared bottom is a CGC module (1 expert per task + 2 shared).',
  features:
    'Sparse task features (data.featureSupport = 10): task A\'s true weights live on input dimensions 1–10, task B\'s on 11–20 (p = 0, so the blocks do not mix); the other 80 dimensions are noise to both tasks. ' +
    'A feature gate (model.featureGates) is one linear layer + softmax over the 100 input features per task (and one for the shared experts); its weights times 100 multiply the features before that module\'s experts and gate. ' +
    'r(feature weight, |w_k|): Pearson r over the input dimensions between a gate\'s mean weight on the test rows and |w_k|; "own − other" subtracts the same r against the other task\'s |w_j|.',
};

function tradeoffSection(a: TradeoffAnalysis | null, fig: string | null): string {
  if (!a) return 'This part was not run (`--parts`).';
  const [nA, nB] = a.taskNames;
  return [
    `Task "${nA}" (regression, standardised) and task "${nB}" (binary, Bernoulli T = 0.4), p = 0.5, 8,000 rows. Each model is trained once per task-weight ratio r = ω_A / (ω_A + ω_B) ` +
      `(ω_A = 2r, ω_B = 2(1 − r); r = 0.5 is the usual 1 + 1) and seed; its MTL gains against the single-task columns of the same seed (which ignore task weights) trace a curve. Mean ± SE of the per-seed gains.`,
    '',
    table(
      ['Model', 'Params', ...a.ratios.map((r) => `r = ${r.toFixed(2)}: gain ${nA}, gain ${nB}`)],
      a.curves.map((c) => [c.label, String(c.params ?? 'n/a'), ...c.points.map((p) => `${pse(p.gain[0], 3)}, ${pse(p.gain[1], 3)}`)]),
    ),
    '',
    figure(fig, 'Trade-off curves: mean MTL gains (A, B) per model as the weight ratio moves'),
    '',
    '_Figure: line = mean over seeds in ratio order (open dot: smallest ω_A share, filled: largest), faint dots = single seeds, origin = single-task._',
    '',
    '### Findings',
    '',
    a.findings.map(findingBlock).join('\n\n'),
  ].join('\n');
}

function mechanismSection(a: MechanismAnalysis | null): string {
  if (!a) return 'This part was not run (`--parts`).';
  const hasGain = a.rows.some((r) => r.gain.some((g) => g !== null));
  return [
    MECHANISM_INTRO[a.part as MechanismPart],
    '',
    ...a.notes.flatMap((n) => [n, '']),
    table(
      [
        'Model',
        'Params',
        ...a.taskNames.map((n, k) => `${n}: test ${a.rows[0]?.metric[k]?.name.toUpperCase() ?? ''}`),
        ...(hasGain ? a.taskNames.map((n) => `gain on ${n} (± SE)`) : []),
        'best step',
        ...a.extraColumns,
      ],
      a.rows.map((r) => [
        r.label,
        r.params === null ? 'n/a' : String(r.params),
        ...r.metric.map((m) => pm(m.stat)),
        ...(hasGain ? r.gain.map((g) => (r.model === 'single-task' ? '0 (baseline)' : g ? pse(g) : '—')) : []),
        r.bestStep.mean === null ? 'n/a' : num(r.bestStep.mean, 0),
        ...a.extraColumns.map((c) => pm(r.extra[c], 3)),
      ]),
    ),
    '',
    `Metrics: mean ± std over seeds ${a.seeds.join(', ')}. Test numbers use the weights of each run\'s best validation step unless the model\'s label says "last step".`,
    '',
    '### Findings',
    '',
    a.findings.map(findingBlock).join('\n\n'),
  ].join('\n');
}

const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const esc = (s: string) => s.replace(/\|/g, '\\|');

function findingBlock(f: Finding): string {
  return [
    `**${f.id}. ${f.claim}** (${f.source})`,
    '',
    `- Verdict: **${f.verdict}**`,
    `- Rule: ${f.rule}`,
    `- Numbers: ${f.evidence}`,
  ].join('\n');
}

function figure(path: string | null, alt: string): string {
  return path ? `![${alt}](${path})` : `_No figure: no finished runs to draw._`;
}

function sweepSection(a: SweepAnalysis | null, fig: string | null, figNorm: string | null): string {
  if (!a) return 'This part was not run (`--parts`).';
  const out: string[] = [];
  out.push(
    'Two regression tasks whose weight vectors have cosine p (SPEC §1: d = 100, c = 1, m = 10 sines, σ = 0.1), at the MMoE paper\'s sizes: ' +
      'OMoE and MMoE with 8 experts of one layer of 16 units, towers of 8, Shared-Bottom with a bottom of 113 units so parameters match. ' +
      'Each cell: final test MSE, mean over the two tasks, as mean ± std over seeds. Lower is better.',
    '',
    table(
      ['Model', ...a.ps.map((p) => `p = ${p.toFixed(1)}`)],
      a.models.map(({ model, label, params }) => [`${label} (${params ?? 'n/a'} params)`, ...a.ps.map((p) => pm(a.cells.find((c) => c.model === model && c.p === p)!.stat))]),
    ),
    '',
    'The same, normalised per seed and task: test MSE / variance of the test labels (= 1 − R²; 0 = perfect, 1 = no better than predicting the mean). ' +
      'The seeds draw different sine terms, so the label variance, and with it every model\'s MSE, differs several-fold between seeds; the findings below use this scale-free form.',
    '',
    table(
      ['Model', ...a.ps.map((p) => `p = ${p.toFixed(1)}`)],
      a.models.map(({ model, label, params }) => [`${label} (${params ?? 'n/a'} params)`, ...a.ps.map((p) => pm(a.normCells.find((c) => c.model === model && c.p === p)!.stat))]),
    ),
    '',
    `Measured Pearson r of the two regression targets (training split), mean over seeds: ${a.labelCorrelation.map((l) => `p = ${l.p.toFixed(1)} → ${num(l.stat.mean, 3)}`).join(', ')}.`,
    '',
    `Degradation Δ = normalised test MSE at p = ${a.ps[a.ps.length - 1]?.toFixed(1)} − at p = ${a.ps[0]?.toFixed(1)}, paired by seed: ` +
      a.degradation.map((d) => `${d.label} ${pm(d.stat, 4, true)}`).join(', ') +
      '.',
    '',
    figure(fig, 'Correlation sweep: test MSE against p per model, one dot per seed'),
    '',
    figure(figNorm, 'Correlation sweep, normalised: test MSE / label variance against p per model, one dot per seed'),
    '',
    '_Figures: raw test MSE as the page\'s sweep chart shows it, then normalised per seed (what the findings use); line = mean over seeds, dot = one seed._',
    '',
    '### Findings',
    '',
    a.findings.map(findingBlock).join('\n\n'),
  );
  return out.join('\n');
}

function utilisationSection(a: UtilisationAnalysis | null, fig: string | null): string {
  if (!a) return 'This part was not run (`--parts`).';
  const out: string[] = [];
  out.push(
    'Two weakly correlated regression tasks (p = 0.5). MMoE and ML-MMoE have 3 shared experts; CGC and PLE have one expert per module ' +
      '(1 per task + 1 shared, per level), so every task gate of MMoE sees 3 experts and every task gate of CGC sees 2 (its own and the shared one). ' +
      'ML-MMoE\'s gates all read the raw input; its level 1 has one gate per level-2 expert (no task gates), its level 2 one gate per task. ' +
      'Every gate has a trained bias (model.gateBias; without it symmetric input pins a 2-expert gate\'s mean at exactly 1/2). ' +
      'Test numbers use the weights of the best validation step. ' +
      'Gate statistics are over the 2,000 test rows of each seed, then mean ± std over seeds.',
    '',
    '- task-gate L1: mean over test rows of Σ_e |g₁(e) − g₂(e)| over the union of both gates\' experts (an expert a gate cannot see weighs 0 there); 0 = identical gates, 2 = disjoint.',
    '- uniform L1: the same distance if both gates were uniform over the experts they see: the part of the distance that comes from the architecture, not from training.',
    '- shared-expert L1: the distance over only the experts both gates see, each gate renormalised there (0 by construction when they share a single expert, as CGC/PLE here do).',
    `- smallest expert weight: the smallest mean weight any task gate gives any expert ("near zero" below ${NEAR_ZERO}).`,
    '- own-expert weight: mean over task gates of the weight on the gate\'s own task experts, against the uniform share.',
    '',
    table(
      ['Model', 'Params', 'Level', 'task-gate L1', 'uniform L1', 'shared-expert L1', 'task-gate entropy (nats; uniform)', 'smallest expert weight', 'own-expert weight (uniform)'],
      a.rows.map((r) => [
        r.label,
        String(a.params[r.variant] ?? 'n/a'),
        String(r.level + 1),
        pm(r.l1, 3),
        num(r.uniformL1, 3),
        pm(r.sharedL1, 3),
        `${pm(r.entropy, 3)} (${num(r.maxEntropy, 3)})`,
        pm(r.minWeight, 3),
        r.ownWeight ? `${pm(r.ownWeight, 3)} (${num(r.ownUniform, 3)})` : '—',
      ]),
    ),
    '',
    'Task-gate L1 per seed:',
    '',
    table(
      ['Model', 'Level', ...a.seeds.map((s) => `seed ${s}`)],
      a.rows.map((r) => [r.label, String(r.level + 1), ...r.l1PerSeed.map((s) => num(s.value, 3))]),
    ),
    '',
    '<details><summary>Every gate\'s weight per expert and seed: mean ± std over the test rows (what the bars and whiskers show)</summary>',
    '',
    table(
      ['Model', 'Level', 'Gate', 'Seed', 'Expert: mean ± std'],
      [...a.gates].sort((x, y) => a.rows.findIndex((r) => r.variant === x.variant) - a.rows.findIndex((r) => r.variant === y.variant) || x.seed - y.seed).flatMap((g) =>
        g.levels.flatMap((l) =>
          l.gates.map((gt) => [
            g.label,
            String(l.level + 1),
            gt.label,
            String(g.seed),
            gt.experts.map((e, i) => `${e.label} ${num(gt.mean[i], 3)} ± ${num(gt.std[i], 3)}`).join(', '),
          ]),
        ),
      ),
    ),
    '',
    '</details>',
    '',
    figure(fig, 'Expert utilisation: mean gate weight per expert, every model and seed'),
    '',
    '_Figure: one row per seed, one column per model; bar = mean gate weight over the test set, whisker = ± 1 standard deviation over test rows. ' +
      'MMoE experts are interchangeable between seeds (expert 0 of one seed has nothing to do with expert 0 of another), so the bars are not averaged over seeds._',
    '',
    '### Findings',
    '',
    a.findings.map(findingBlock).join('\n\n'),
  );
  return out.join('\n');
}

function seesawSection(a: SeesawAnalysis | null, fig: string | null): string {
  if (!a) return 'This part was not run (`--parts`).';
  const [nA, nB] = a.taskNames;
  const out: string[] = [];
  out.push(
    `Task "${nA}" is a regression target whose values are NOT standardised (data.standardizeTargets = false), so its MSE is several times the binary log-loss in the joint loss; ` +
      `task "${nB}" is a Bernoulli label on the same kind of target (T = 0.4); p = 0.5, 2,000 training rows. Every model uses equal task weights, except the last row, which adds uncertainty weighting (Kendall et al.) to Shared-Bottom. ` +
      'MTL gain (SPEC §4), positive = better than the single-task columns of the same seed: MSE(single) − MSE(model) for the regression task (raw scale), AUC(model) − AUC(single) for the binary task; mean ± SE of the per-seed gains.',
    '',
    table(
      ['Model', 'Params', `${nA}: test MSE`, `${nB}: test AUC`, `gain on ${nA} (± SE)`, `gain on ${nB} (± SE)`, 'quadrant of the mean', 'seeds in a seesaw quadrant'],
      a.rows.map((r) => {
        const g = (k: number) => paired(a.seeds, (seed) => r.perSeed.find((x) => x.seed === seed)?.gain?.[k] ?? null);
        return [
          r.label,
          String(r.perSeed[0]?.result.params ?? 'n/a'),
          pm(r.metric[0]?.stat ?? { mean: null, std: null, n: 0 }),
          pm(r.metric[1]?.stat ?? { mean: null, std: null, n: 0 }),
          r.model === 'single-task' ? '0 (baseline)' : pse(g(0)),
          r.model === 'single-task' ? '0 (baseline)' : pse(g(1)),
          r.model === 'single-task' ? 'origin' : r.quadrant,
          r.model === 'single-task' ? '—' : `${r.seesawSeeds}/${r.perSeed.length}`,
        ];
      }),
    ),
    '',
    figure(fig, 'Seesaw: MTL gain on task A against MTL gain on task B per model and seed'),
    '',
    '_Figure: dot = one seed, diamond = mean over seeds, cross = single-task (the origin by definition)._',
    '',
    '### Findings',
    '',
    a.findings.map(findingBlock).join('\n\n'),
  );
  return out.join('\n');
}

function configsSection(rec: ReproductionRecord): string {
  const seed = rec.plan.seeds[0];
  const out: string[] = [
    `Every run is a variant of a page preset (src/core/config/presets.ts) expanded by \`expandPreset(preset, { seeds: [n], steps })\` (src/core/config/suite.ts). ` +
      `Below: the first variant's full config at seed ${seed}, then what each other variant changes. Other seeds change only data.seed, train.initSeed and train.batchSeed (${SEED_SCHEME}).`,
  ];
  for (const part of rec.plan.parts) {
    const runs = partRuns(part, seed);
    const base = runs[0].config;
    out.push(
      '',
      `### ${part.title}: preset \`${part.presetId}\`, ${part.steps} steps per run`,
      '',
      `Base: variant \`${runs[0].variant}\`.`,
      '',
      '```json',
      JSON.stringify(base, null, 2),
      '```',
      '',
      table(
        ['Variant', 'Changes from the base'],
        runs.slice(1).map((r) => [`\`${r.variant}\``, esc(configDiff(base, r.config).join('; ') || 'none')]),
      ),
    );
  }
  return out.join('\n');
}

function timingSection(rec: ReproductionRecord): string {
  const t = partTimings(rec);
  const title = (id: string) => rec.plan.parts.find((p) => p.id === id)!.title;
  const wallSum = t.reduce((s, x) => s + x.unitSeconds, 0);
  const cpuSum = t.reduce((s, x) => s + x.cpuSeconds, 0);
  const out: string[] = [
    table(
      ['Part', 'Runs', 'Steps per run', 'Training steps', 'Run time (sum over seeds)', 'CPU time (sum over seeds)', 'Steps/s (training incl. validation)'],
      t.map((x) => [
        title(x.part),
        String(x.runs),
        String(rec.plan.parts.find((p) => p.id === x.part)!.steps),
        String(x.steps),
        fmtDuration(x.unitSeconds),
        fmtDuration(x.cpuSeconds),
        num(x.stepsPerSecond, 1),
      ]),
    ),
    '',
    `Total wall-clock time: ${fmtDuration(rec.elapsedSeconds)} with ${rec.env.jobs} parallel process${rec.env.jobs === 1 ? '' : 'es'} ` +
      `(sum of the parts' run times ${fmtDuration(wallSum)}, CPU time ${fmtDuration(cpuSum)}). ` +
      `Machine: ${rec.env.cpus} × ${rec.env.cpuModel}; 1-minute load average ${rec.env.loadStart.toFixed(1)} at the start, ${rec.env.loadEnd.toFixed(1)} at the end. ` +
      'A load above the core count means other processes shared the CPU: run times are then pessimistic, and CPU time is the better guess of an idle machine\'s run time.',
  ];
  if (rec.plan.mode === 'quick') {
    const est = estimateFullSeconds(rec);
    const wall = est.reduce((s, e) => s + e.wall, 0);
    const idle = est.reduce((s, e) => s + e.idle, 0);
    const jobs = Math.max(1, Math.min(2, rec.env.cpus));
    out.push(
      '',
      `Extrapolated time of the full-size reproduction (${FULL_SEEDS.length} seeds, each preset's own step budget) from this run's step rates, one process: ` +
        est.map((e) => `${title(e.part)} ${fmtDuration(e.idle)}`).join(', ') +
        ` on an idle core, total ${fmtDuration(idle)} (about ${fmtDuration(idle / jobs)} with ${jobs} processes); at this run's load, ${fmtDuration(wall)}. ` +
        'Both over-estimate: quick runs spend a larger share of their time on validation passes and warm-up.',
    );
  }
  return out.join('\n');
}

export interface FigurePaths {
  sweep: string | null;
  sweepNormalised: string | null;
  utilisation: string | null;
  seesaw: string | null;
  tradeoff: string | null;
}

export function buildReport(rec: ReproductionRecord, a: Analyses, figs: FigurePaths): string {
  const findings = allFindings(a);
  const quick = rec.plan.mode === 'quick';
  const parts = rec.plan.parts;
  const cmd = quick ? 'npm run reproduce -- --quick' : 'npm run reproduce';
  const head = [
    '# Reproducing the MMoE and PLE papers\' findings',
    '',
    `> Generated by \`${cmd}\` on ${rec.env.date}. Do not edit by hand: rerun the command. ` +
      'Numbers come from training runs on this project\'s own engine and synthetic data (SPEC §1); the verdicts come from the fixed rules written next to them.',
  ];
  if (quick)
    head.push(
      '>',
      '> **Quick mode**: tiny step budgets for the test suite. It checks that the pipeline works; its verdicts are not evidence about the papers.',
    );
  const sections: string[] = [
    head.join('\n'),
    [
      REPORT_SECTIONS[0],
      '',
      table(
        ['#', 'Finding', 'Verdict'],
        findings.map((f) => [f.id, esc(f.claim), `**${f.verdict}**`]),
      ),
      '',
      'Verdicts: **shown** = the rule\'s strict condition holds on our numbers; **partly shown** = its weaker condition holds; **not shown** = neither; **not run** = the part did not run. ' +
        `Every comparison is paired by seed (same data, same batch order) and ${TWO_SE_RULE}. ` +
        'A finding that does not hold on our data is reported as not shown, not tuned away; the page\'s preset texts are written from these verdicts (a unit test checks them).',
    ].join('\n'),
    [
      REPORT_SECTIONS[1],
      '',
      `- Mode: ${rec.plan.mode}. Backend: ${rec.env.backend} (TF.js ${rec.env.tfjs}), Node ${rec.env.node}.`,
      ...(rec.merged?.parts.length
        ? [`- Merged run (\`--merge\`): the parts ${rec.merged.parts.join(', ')} are kept unchanged from the reproduction of ${rec.merged.keptFrom}; the others were run on ${rec.env.date}.`]
        : []),
      `- Seeds: ${rec.plan.seeds.join(', ')}. ${SEED_SCHEME}. Every model of a seed sees the same data and batch order; the MTL gain compares runs of the same seed.`,
      `- Parts and presets (the same presets are in the page's preset menu):`,
      '',
      table(
        ['Part', 'Page preset', 'Models', 'Runs per seed', 'Steps per run'],
        parts.map((p) => {
          const preset = partPreset(p.id);
          return [p.title, `\`${p.presetId}\` (${preset.title})`, esc([...new Set(preset.variants.map((v) => v.label.replace(/ p=.*$/, '')))].join(', ')), String(preset.variants.length), String(p.steps)];
        }),
      ),
      '',
      `- To get the same numbers elsewhere: in the page, load the preset, set seeds ${rec.plan.seeds.join(', ')} and the steps above on the ${rec.env.backend} backend and use "Run all seeds"; ` +
        `or \`npm run experiment -- --preset <id> --seeds ${rec.plan.seeds.join(',')} --steps <steps> --out <dir>\`.`,
    ].join('\n'),
    [REPORT_SECTIONS[2], '', sweepSection(a.sweep, figs.sweep, figs.sweepNormalised)].join('\n'),
    [REPORT_SECTIONS[3], '', utilisationSection(a.utilisation, figs.utilisation)].join('\n'),
    [REPORT_SECTIONS[4], '', mechanismSection(a.regional)].join('\n'),
    [REPORT_SECTIONS[5], '', seesawSection(a.seesaw, figs.seesaw)].join('\n'),
    [REPORT_SECTIONS[6], '', mechanismSection(a.negative)].join('\n'),
    [REPORT_SECTIONS[7], '', mechanismSection(a.esmm)].join('\n'),
    [REPORT_SECTIONS[8], '', tradeoffSection(a.tradeoff, figs.tradeoff)].join('\n'),
    [REPORT_SECTIONS[9], '', mechanismSection(a.features)].join('\n'),
    [REPORT_SECTIONS[10], '', configsSection(rec)].join('\n'),
    [REPORT_SECTIONS[11], '', timingSection(rec)].join('\n'),
    [
      REPORT_SECTIONS[12],
      '',
      '- Synthetic data is not the papers\' data: the MMoE paper\'s sweep used its own constants and many more runs, the PLE paper\'s seesaw comes from industrial video data. ' +
        'What is reproduced is the kind of effect, on SPEC §1\'s generator, at this engine\'s model sizes and step budgets.',
      `- Diverged or unfinished runs are left out of means (n in each statistic); this reproduction had ${rec.units.flatMap((u) => u.runs).filter((r) => r.results.status !== 'done').length} such runs.`,
      '- Standard deviations are over seeds (sample std, n − 1); "SE" is the standard error of the mean (std / √n).',
      `- MTL gains (seesaw) follow SPEC §4 in the metric's own units, so the gain on the regression task scales with each seed's label variance; the paired rules (W3) and the per-seed counts are less affected by that than the means.`,
      '- Raw numbers per run (test metrics, MTL gains, gate statistics): reproduction.json next to this file.',
    ].join('\n'),
  ];
  return sections.join('\n\n') + '\n';
}

export const FIGURE_IDS = ['sweep', 'sweepNormalised', 'utilisation', 'seesaw', 'tradeoff'] as const;
export const partFigureName: Record<(typeof FIGURE_IDS)[number], string> = {
  sweep: 'sweep.svg',
  sweepNormalised: 'sweep-normalised.svg',
  utilisation: 'utilisation.svg',
  seesaw: 'seesaw.svg',
  tradeoff: 'tradeoff.svg',
};
