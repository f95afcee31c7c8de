// The committed findings of `npm run reproduce` (docs/findings.json), for the
// preset bar's claim badges and the article's "What the runs show". The page
// never types a measured number: it shows what this file says. Bundled as
// JSON (a few kB; no TF.js).
import raw from '../../docs/findings.json';
import type { ClaimVerdict, Preset } from '../core/config/presets';

export interface Finding {
  id: string;
  /** 'regional' | 'utilisation' | 'seesaw' | 'negative' | 'esmm' | 'sweep' (others are shown under their own name). */
  part: string;
  claim: string;
  verdict: string;
  /** How the verdict is decided, in words. */
  rule: string;
  /** The measured numbers behind the verdict, in words. */
  evidence: string;
}

export interface FindingsFile {
  generated: string;
  /** 'full' (the committed reproduction) or 'quick' (a provisional, small run). */
  mode: string;
  seeds: number[];
  findings: Finding[];
}

/** Keep only well-formed findings, so a malformed file shows less, never crashes the page. */
export function readFindings(json: unknown): FindingsFile {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = Array.isArray(o.findings) ? o.findings : [];
  const findings: Finding[] = [];
  for (const f of list) {
    if (typeof f !== 'object' || f === null) continue;
    const r = f as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.verdict !== 'string') continue;
    const evidence = typeof r.evidence === 'string' ? r.evidence : r.evidence === undefined ? '' : JSON.stringify(r.evidence);
    findings.push({ id: r.id, part: str(r.part) || 'other', claim: str(r.claim), verdict: r.verdict, rule: str(r.rule), evidence });
  }
  return {
    generated: str(o.generated),
    mode: str(o.mode),
    seeds: Array.isArray(o.seeds) ? o.seeds.filter((s): s is number => typeof s === 'number') : [],
    findings,
  };
}

export const FINDINGS: FindingsFile = readFindings(raw);

/** The parts in the order the article tells them, each with a title, its mechanism in one sentence and its preset. */
export const PARTS: { part: string; title: string; mechanism: string; preset: string }[] = [
  {
    part: 'regional',
    title: 'Routing by region',
    preset: 'mmoe-vs-cgc',
    mechanism:
      'With one global correlation there is nothing for an input-dependent gate to route; in the regional generator a hidden direction splits the inputs into two regions, each with its own task correlation, so a gate that reads x can send each region to different experts, and a gate’s region L1 measures how differently it routes the two.',
  },
  {
    part: 'utilisation',
    title: 'Expert utilisation and the gate bias',
    preset: 'expert-utilisation',
    mechanism:
      'Without a bias a gate is softmax(W·x), and x and −x are equally likely, so over the input distribution a 2-expert gate’s mean weight is exactly 1/2 whatever W it learns (CGC’s task gates here see one own and one shared expert); a trained bias frees that mean, which is what lets a gate prefer its own expert.',
  },
  {
    part: 'seesaw',
    title: 'The seesaw and loss scale',
    preset: 'seesaw',
    mechanism:
      'The idea tested: when one task’s loss lives on a much larger scale (a raw regression MSE next to a binary log-loss), its gradients could dominate the shared layers so that the other task pays, and uncertainty weighting, which learns a weight per task from its loss, would rebalance the two. The findings below say whether that is what happens here.',
  },
  {
    part: 'tradeoff',
    title: 'The seesaw as a trade-off curve',
    preset: 'seesaw-tradeoff',
    mechanism:
      'A model’s seesaw is a curve, not a point: training it once per task-weight ratio ω_A / (ω_A + ω_B) moves it along (gain on A, gain on B), and one model is better than another at every weighting when its curve lies up and to the right.',
  },
  {
    part: 'negative',
    title: 'Negative transfer and early stopping',
    preset: 'negative-transfer',
    mechanism:
      'On little data a multi-task model with several times a single-task model’s parameters can memorise the training rows, which looks like negative transfer but is overfitting; taking the weights at the best validation step (early stopping) is the test of which one it is.',
  },
  {
    part: 'esmm',
    title: 'ESMM on the exposure space',
    preset: 'esmm',
    mechanism:
      'Conversion is observed only on clicked rows, yet a conversion model is used on every exposure; ESMM learns pCTCVR = pCTR · pCVR on all exposures, so its conversion tower is trained on the space it is scored on, while a plain model learns it from clicks alone.',
  },
  {
    part: 'features',
    title: 'Feature-selection gates',
    preset: 'feature-selection',
    mechanism:
      'A feature gate is one linear layer + softmax over the input features per task; its weights scale the raw features before that task’s experts, so a task can read only the features its label depends on. On sparse tasks (task A’s true weights on dimensions 1–10, task B’s on 11–20) the generator knows |w_k|, so whether each gate found its own features can be measured.',
  },
  {
    part: 'sweep',
    title: 'The MMoE paper’s correlation sweep',
    preset: 'correlation-sweep',
    mechanism:
      'The MMoE paper changes only the task correlation p, at its own model sizes (Shared-Bottom sized to match the experts’ parameters), and reports that Shared-Bottom degrades most as p falls and MMoE least.',
  },
];

/** The findings grouped by part, in the article's order (unknown parts last, in file order). */
export function findingsByPart(file: FindingsFile = FINDINGS): { part: string; title: string; mechanism: string | null; preset: string | null; findings: Finding[] }[] {
  const out: { part: string; title: string; mechanism: string | null; preset: string | null; findings: Finding[] }[] = [];
  for (const p of PARTS) {
    const fs = file.findings.filter((f) => f.part === p.part);
    if (fs.length) out.push({ ...p, findings: fs });
  }
  for (const f of file.findings) {
    if (PARTS.some((p) => p.part === f.part)) continue;
    let g = out.find((x) => x.part === f.part);
    if (!g) out.push((g = { part: f.part, title: f.part, mechanism: null, preset: null, findings: [] }));
    g.findings.push(f);
  }
  return out;
}

/** A verdict as a sentence. */
export function verdictWords(verdict: string): string {
  switch (verdict) {
    case 'shown':
      return 'The runs show it.';
    case 'partly shown':
      return 'The runs show it only in part.';
    case 'not shown':
      return 'The runs do not show it.';
    default:
      return `Verdict: ${verdict}.`;
  }
}

/** CSS modifier of a verdict badge. */
export function verdictClass(verdict: string): string {
  return verdict === 'shown' ? 'shown' : verdict === 'partly shown' ? 'partly' : verdict === 'not shown' ? 'not' : 'unknown';
}

/** "quick mode, seeds 1, 2, generated 2026-12-02" */
export function provenance(file: FindingsFile = FINDINGS): string {
  const date = /^\d{4}-\d\d-\d\d/.exec(file.generated)?.[0] ?? (file.generated || 'at an unknown date');
  const seeds = file.seeds.length ? `${file.seeds.length === 1 ? 'seed' : 'seeds'} ${file.seeds.join(', ')}` : 'no seeds recorded';
  return `${file.mode || 'unknown'} mode, ${seeds}, generated ${date}`;
}

export interface ClaimStatus {
  finding: string;
  /** The verdict the preset's text was written for. */
  expected: ClaimVerdict;
  /** The committed verdict; null when the file has no such finding. */
  actual: string | null;
  /** The finding itself (null when missing). */
  detail: Finding | null;
  /** The text was written for another verdict than the latest run gives (or for a finding the file lacks). */
  mismatch: boolean;
}

/** Each claim of a preset against the committed findings. */
export function claimStatuses(preset: Pick<Preset, 'claims'>, file: FindingsFile = FINDINGS): ClaimStatus[] {
  return preset.claims.map((c) => {
    const f = file.findings.find((x) => x.id === c.finding) ?? null;
    return { finding: c.finding, expected: c.verdict, actual: f?.verdict ?? null, detail: f, mismatch: !f || f.verdict !== c.verdict };
  });
}

/** The visible warning for a claim whose text no longer matches the latest run (null when it matches). */
export function mismatchWarning(s: ClaimStatus): string | null {
  if (!s.mismatch) return null;
  if (s.actual === null) return `this text was written for ${s.finding} = ${s.expected}; the latest run has no finding ${s.finding}`;
  return `this text was written for ${s.finding} = ${s.expected}; the latest run says ${s.actual}`;
}
