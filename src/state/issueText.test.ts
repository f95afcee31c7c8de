import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../core/config/schema';
import { describeIssue, issueContext } from './issueText';

const first = (input: unknown) => {
  const r = parseExperiment(input);
  if (r.ok) throw new Error('expected an invalid config');
  return describeIssue(r.issues[0], issueContext(input));
};

describe('validation issues in words', () => {
  it('names a list entry by its ordinal and says what the field accepts', () => {
    expect(first({ model: { expertHidden: [64, NaN] } })).toBe('Expert hidden sizes: the second layer must be a whole number from 1 to 1024');
    expect(first({ model: { type: 'shared-bottom', expertHidden: [64, 2000] } })).toBe('Bottom hidden sizes: the second layer must be a whole number from 1 to 1024 (got 2000)');
  });
  it('says what a number-or-list field wants instead of "Invalid input"', () => {
    expect(first({ model: { specificExperts: NaN } })).toBe('Specific experts: must be a whole number from 0 to 16');
    expect(first({ model: { specificExperts: [1, 'x'] } })).toBe("Specific experts per task: the second task's count must be a whole number from 0 to 16");
  });
  it('uses the form label, never the dotted path', () => {
    const m = first({ train: { learningRate: -1 } });
    expect(m).toBe('Learning rate: must be a number greater than 0 and at most 1 (got -1)');
    expect(first({ data: { taskSeed: 'abc' } })).toBe('Task seed: must be a whole number from 1 to 2147483647');
    expect(first({ train: { weighting: { weights: [1, -2] } } })).toBe("Task weights ω_k: the second task's weight must be a number from 0 to 100 (got -2)");
    expect(first({ model: { expertHidden: [] } })).toBe('Expert hidden sizes: need at least 1 layer');
    expect(first({ model: { gateBias: 'yes' } })).toBe('Trained bias on the gates: gate bias must be true or false');
  });
});
