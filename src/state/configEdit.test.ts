import { describe, expect, it } from 'vitest';
import { deepMerge, diff, getAt, omitPaths, setAt, variedPaths } from './configEdit';

describe('config draft helpers', () => {
  it('sets a path immutably, creating arrays and objects', () => {
    const a = { data: { tasks: [{ type: 'regression' }] } };
    const b = setAt(a, ['data', 'tasks', 1, 'type'], 'binary');
    expect(a.data.tasks).toHaveLength(1);
    expect(getAt(b, ['data', 'tasks', 1, 'type'])).toBe('binary');
    expect(getAt(b, ['data', 'tasks', 0])).toBe(a.data.tasks[0]);
  });

  it('merges objects deeply and replaces arrays', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
  });

  it('diffs only what changed and finds varied paths', () => {
    expect(diff({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: 1, c: 3 }, d: [1] })).toEqual({ a: { c: 2 } });
    expect(diff({ a: 1 }, { a: 1 })).toBeUndefined();
    expect([...variedPaths([{ m: { t: 'a', n: 1 } }, { m: { t: 'b', n: 1 } }])]).toEqual(['m.t']);
    expect(omitPaths({ m: { t: 'a', n: 1 }, x: 2 }, ['m.t', 'm.n'])).toEqual({ x: 2 });
  });
});
