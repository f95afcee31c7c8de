// Every preset names the chart it is about, and the lesson path lists real presets once each.
import { describe, expect, it } from 'vitest';
import { focusOf, LESSON_ORDER, PRESETS, presetsInLessonOrder } from './presets';

describe('preset focus and lesson order', () => {
  it('every preset names its focus chart', () => {
    for (const p of PRESETS) expect(p.focus, p.id).toBeDefined();
    expect(focusOf(PRESETS.find((p) => p.id === 'seesaw'))).toBe('seesaw');
    expect(focusOf(undefined)).toBe('architecture');
  });
  it('the lesson order names existing presets, once each, and keeps every preset', () => {
    const ids = new Set(PRESETS.map((p) => p.id));
    for (const id of LESSON_ORDER) expect(ids.has(id), id).toBe(true);
    expect(new Set(LESSON_ORDER).size).toBe(LESSON_ORDER.length);
    const ordered = presetsInLessonOrder().map((p) => p.id);
    expect(ordered.slice(0, LESSON_ORDER.length)).toEqual([...LESSON_ORDER]);
    expect(new Set(ordered)).toEqual(ids);
  });
});
