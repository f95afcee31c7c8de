// What a config field accepts, in words, found by walking the one schema
// (schema.ts registers each number field's rule in NUMBER_RULES). Used to turn
// zod's issues into sentences a person reads ("a whole number from 1 to 1024").
import type { z } from 'zod';
import { ExperimentSchema, NUMBER_RULES } from './schema';

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema at a dotted path's segments (array indices step into the element), or null. */
function schemaAt(path: (string | number)[]): z.ZodType | null {
  let s: z.ZodType | null = ExperimentSchema as unknown as z.ZodType;
  for (const seg of path) {
    s = unwrap(s);
    if (!s) return null;
    const d = defOf(s);
    if (d.type === 'object' && d.shape && typeof seg === 'string' && !/^\d+$/.test(seg)) s = d.shape[seg] ?? null;
    else if (d.type === 'array' && d.element) s = d.element;
    else if (d.type === 'union' && d.options) {
      // A number-or-list field (specificExperts): an index steps into the list option.
      const list = d.options.map(unwrap).find((o) => o && defOf(o).type === 'array');
      s = list ? (defOf(list).element ?? null) : null;
    } else return null;
  }
  return s;
}

function unwrap(s: z.ZodType | null): z.ZodType | null {
  while (s && !NUMBER_RULES.has(s)) {
    const d = defOf(s);
    if ((d.type === 'default' || d.type === 'nullable' || d.type === 'optional' || d.type === 'prefault') && d.innerType) s = d.innerType;
    else break;
  }
  return s;
}

/** The rule of the number field at `path` ("a whole number from 1 to 1024"), or null when it is not a number field. */
export function numberRuleAt(path: (string | number)[]): string | null {
  let s = unwrap(schemaAt(path));
  if (s && defOf(s).type === 'union') s = unwrap(defOf(s).options?.[0] ?? null); // a number or one per task: the number's rule
  return s ? (NUMBER_RULES.get(s) ?? null) : null;
}
