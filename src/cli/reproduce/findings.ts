// A finding from the papers, the rule that turns our numbers into a verdict,
// and the numbers behind it. Rules are fixed in code before any run: a
// verdict is computed, never chosen.
import type { PartId } from './plan';

export type Verdict = 'shown' | 'partly shown' | 'not shown' | 'not run';
export const VERDICTS: readonly Verdict[] = ['shown', 'partly shown', 'not shown', 'not run'];

export interface Finding {
  id: string;
  part: PartId;
  /** The claim, as the papers (or SPEC §5) state it. */
  claim: string;
  /** Where the claim comes from. */
  source: string;
  /** The rule, in words, exactly as the code applies it. */
  rule: string;
  verdict: Verdict;
  /** The numbers the rule looked at. */
  evidence: string;
}

export function notRun(f: Omit<Finding, 'verdict' | 'evidence'>, why = 'this part did not run or produced no finished runs'): Finding {
  return { ...f, verdict: 'not run', evidence: why };
}
