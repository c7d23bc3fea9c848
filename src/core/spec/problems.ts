/**
 * Turns raw problems (a plain message + a pointer) into what users read: the source named, the place as
 * line/column when the text can be walked, and a hint. Shared by indexing and validation.
 */
import { locatePointers } from './locate';
import { locatedMessage, type SpecFormat } from './parse';
import type { SpecProblem, SpecProblemCode } from './types';

export interface ProblemSource {
  origin: string;
  /** The text the document was parsed from; without it problems keep only their pointer. */
  text?: string;
  format?: SpecFormat;
}

/** Beyond this many problems the rest are summarised in one line: a list of thousands helps nobody. */
export const MAX_PROBLEMS = 200;

/** YAML position mapping re-parses the text with a listener; above this size it is skipped on the load path. */
export const LOCATE_YAML_MAX_CHARS = 4_000_000;

const HINTS: Partial<Record<SpecProblemCode, string>> = {
  structure: 'Fix this part of the spec; the rest of the API still loads.',
  ref: 'Make the $ref point at something that exists (a path in this file, or a file next to it).',
  validation: 'Fix the spec at this place; the tree keeps working meanwhile.',
};

export function finishProblems(problems: readonly SpecProblem[], source: ProblemSource, options: { locateYaml?: boolean } = {}): SpecProblem[] {
  const capped = problems.slice(0, MAX_PROBLEMS);
  const { text, format } = source;
  const canLocate =
    text !== undefined && format !== undefined && (format === 'json' || options.locateYaml === true || text.length <= LOCATE_YAML_MAX_CHARS);
  const pointers = capped.filter((p) => p.pointer !== undefined && p.line === undefined).map((p) => p.pointer as string);
  const positions = canLocate && pointers.length > 0 ? locatePointers(text, format, [...new Set(pointers)]) : new Map();
  const out = capped.map((p): SpecProblem => {
    // Problems from reading and parsing already name their source (and place, when they have one).
    if (p.line !== undefined || p.pointer === undefined || p.message.startsWith(source.origin)) return p;
    const pos = positions.get(p.pointer);
    const message = pos ? locatedMessage(source.origin, pos, p.message) : `${source.origin} at ${p.pointer}: ${p.message}`;
    const hint = p.hint ?? (p.code ? HINTS[p.code] : undefined);
    return { ...p, message, ...(pos ?? {}), ...(hint !== undefined ? { hint } : {}) };
  });
  if (problems.length > MAX_PROBLEMS) {
    out.push({
      severity: 'warning',
      code: 'validation',
      message: `${source.origin}: ${problems.length - MAX_PROBLEMS} more problems not listed.`,
      hint: 'Fix the listed ones first; the rest often go away with them.',
    });
  }
  return out;
}
