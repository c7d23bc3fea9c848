/**
 * Full validation with swagger-parser, run after the index is built and only on request (it dereferences
 * and schema-checks the whole document: seconds on a big spec). Its failures come back as a list of
 * problems with JSON pointers into the original document (and line/column when the text can be walked) —
 * validation never throws.
 */
import { finishProblems, MAX_PROBLEMS, type ProblemSource } from './problems';
import { isObject, parsePointer, pointerThroughRefs, toPointer, type JsonObject } from './pointer';
import type { SpecProblem } from './types';

interface AjvError {
  instancePath?: unknown;
  message?: unknown;
  keyword?: unknown;
  params?: unknown;
}

/** Keywords whose errors only say "one of the alternatives failed"; the more specific errors say why. */
const VAGUE_KEYWORDS = new Set(['oneOf', 'anyOf', 'if', 'not']);

function ajvProblems(doc: JsonObject, errors: readonly AjvError[]): SpecProblem[] {
  const entries: { pointer: string; message: string; vague: boolean }[] = [];
  // Alternatives of one enum (`in` must be path | query | …) arrive as one error each; they are merged.
  const enums = new Map<string, unknown[]>();
  for (const e of errors) {
    const segments = parsePointer(typeof e.instancePath === 'string' ? e.instancePath : '') ?? [];
    const keyword = typeof e.keyword === 'string' ? e.keyword : '';
    const params = isObject(e.params) ? e.params : {};
    // Every "X or a Reference Object" in the OpenAPI schema adds "must have required property '$ref'".
    if (keyword === 'required' && params['missingProperty'] === '$ref') continue;
    const pointer = pointerThroughRefs(doc, segments);
    if (keyword === 'enum' && Array.isArray(params['allowedValues'])) {
      const known = enums.get(pointer) ?? [];
      for (const v of params['allowedValues']) if (!known.includes(v)) known.push(v);
      enums.set(pointer, known);
      continue;
    }
    let message = typeof e.message === 'string' ? e.message : 'is invalid';
    if (keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
      message = `has an unexpected property "${params['additionalProperty']}"`;
    } else if (keyword === 'required' && typeof params['missingProperty'] === 'string') {
      message = `is missing the required property "${params['missingProperty']}"`;
    }
    entries.push({ pointer, message, vague: VAGUE_KEYWORDS.has(keyword) });
  }
  for (const [pointer, values] of enums) {
    entries.push({ pointer, message: `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, vague: false });
  }
  const specific = entries.filter((e) => !e.vague).map((e) => e.pointer);
  const byPointer = new Map<string, string[]>();
  for (const e of entries) {
    // "must match exactly one schema in oneOf" is noise when something at or below says what is wrong.
    if (e.vague && specific.some((p) => p === e.pointer || p.startsWith(`${e.pointer}/`))) continue;
    const list = byPointer.get(e.pointer) ?? [];
    if (!list.includes(e.message)) list.push(e.message);
    byPointer.set(e.pointer, list);
  }
  return [...byPointer].map(([pointer, messages]) => ({
    severity: 'error',
    code: 'validation',
    pointer,
    message: `${describePointer(pointer)} ${messages.join('; ')}.`,
  }));
}

/** `#/paths/~1a/get/responses` → `paths › /a › get › responses` for messages. */
function describePointer(pointer: string): string {
  const segments = parsePointer(pointer) ?? [];
  return segments.length === 0 ? 'the document' : segments.join(' › ');
}

/** swagger-parser's spec checks name paths unescaped ("/paths/users/{id}/get"); map them to a pointer. */
function pointerFromSpecMessage(doc: JsonObject, message: string): string | undefined {
  const paths = isObject(doc['paths']) ? Object.keys(doc['paths']) : [];
  const duplicate = /Duplicate operation id '([^']*)'/.exec(message)?.[1];
  if (duplicate !== undefined) {
    // The second operation that uses the id is the one in the way.
    let seen = 0;
    for (const p of paths) {
      const item = (doc['paths'] as JsonObject)[p];
      if (!isObject(item)) continue;
      for (const [method, op] of Object.entries(item)) {
        if (isObject(op) && op['operationId'] === duplicate && ++seen === 2) return toPointer(['paths', p, method, 'operationId']);
      }
    }
  }
  let best: string | undefined;
  for (const p of paths) {
    if (message.includes(`/paths${p}`) && (best === undefined || p.length > best.length)) best = p;
  }
  if (best === undefined) return undefined;
  const after = message.slice(message.indexOf(`/paths${best}`) + `/paths${best}`.length);
  const method = /^\/(get|put|post|delete|options|head|patch|trace)\b/.exec(after)?.[1];
  return toPointer(method ? ['paths', best, method] : ['paths', best]);
}

/**
 * Validates a parsed document (Swagger 2.0 / OpenAPI 3.0 / 3.1). The document is cloned first because
 * swagger-parser dereferences in place. Returns problems (empty when valid); never throws.
 */
export async function validateDocument(doc: JsonObject, source: ProblemSource): Promise<SpecProblem[]> {
  let raw: SpecProblem[];
  try {
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    const copy = structuredClone(doc);
    // External refs were bundled at load time; anything still external is reported by the indexer.
    await SwaggerParser.validate(copy as never, { resolve: { external: false }, dereference: { circular: 'ignore' } } as never);
    return [];
  } catch (e) {
    raw = problemsFromError(doc, e, source.origin);
  }
  return finishProblems(raw.slice(0, MAX_PROBLEMS + 1), source, { locateYaml: true });
}

function problemsFromError(doc: JsonObject, e: unknown, origin: string): SpecProblem[] {
  const details = (e as { details?: unknown } | null)?.details;
  if (Array.isArray(details) && details.length > 0) return ajvProblems(doc, details as AjvError[]);
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError || /Maximum call stack/i.test(message)) {
    return [
      {
        severity: 'warning',
        code: 'validation',
        message: `${origin}: too deeply nested to validate fully.`,
        hint: 'The tree still works; validate the spec with another tool if you need the details.',
      },
    ];
  }
  const firstLine = (message.split('\n')[0] ?? message).replace(/^Validation failed\.\s*/, '').trim();
  const pointer = pointerFromSpecMessage(doc, firstLine);
  const what = firstLine || 'the spec is invalid';
  // Problems with a pointer get source and place from finishProblems; the others name the source here.
  const p: SpecProblem = { severity: 'error', code: 'validation', message: pointer === undefined ? `${origin}: ${what}` : what };
  if (pointer !== undefined) p.pointer = pointer;
  if (/Unsupported OpenAPI version/i.test(message)) {
    p.severity = 'warning';
    p.message = `${origin}: validation skipped: ${firstLine}`;
    p.hint = 'The tree works; swagger-parser cannot check this OpenAPI version yet.';
  }
  return [p];
}
