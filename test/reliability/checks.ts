/** Checks shared by the reliability suites. */
import type { LoadResult, SpecProblem } from '../../src/core/spec/types';

/** What is wrong with a load result, or an empty list. */
export function violations(result: LoadResult, origin: string): string[] {
  const out: string[] = [];
  if (result.ok) {
    if (typeof result.api.title !== 'string') out.push('an index without a title');
    if (typeof result.api.operationCount !== 'number') out.push('an index without an operation count');
  } else if (result.problems.length === 0) {
    out.push('ok: false without any problem');
  }
  for (const p of result.problems) out.push(...problemViolations(p, origin));
  return out;
}

function problemViolations(p: SpecProblem, origin: string): string[] {
  const out: string[] = [];
  const shown = JSON.stringify(p).slice(0, 300);
  if (typeof p.message !== 'string' || p.message.trim() === '') out.push(`a problem without a message: ${shown}`);
  else if (!p.message.includes(origin)) out.push(`a problem that does not name ${origin}: ${shown}`);
  if (p.line === undefined && p.pointer === undefined && p.code === undefined) out.push(`a problem with neither a place nor a code: ${shown}`);
  if (p.severity !== 'error' && p.severity !== 'warning') out.push(`a problem with severity ${String(p.severity)}`);
  return out;
}
