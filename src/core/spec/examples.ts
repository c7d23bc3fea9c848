/**
 * Example request bodies and parameter values for an operation. Explicit examples in the spec win (a
 * media type's `example`, then the first of its `examples`, then the schema's own `example`); otherwise
 * openapi-sampler writes one from the schema. The schema is first inlined by `inlineSchema` with a depth
 * and node budget, so circular or huge schemas give a small example instead of a hang.
 */
import { TelenorError } from '../errors';
import { findOperation, formDataSchema } from './indexer';
import { childPointer, isObject, resolveRef, type JsonObject } from './pointer';
import { inlineSchema } from './schema';
import type { BodyExample, SpecVersion } from './types';

export interface ExampleOptions {
  /** Schema levels expanded before the sampler writes empty values. Default 8. */
  maxDepth?: number;
  /** Schema nodes inlined at most. Default 3,000. */
  maxNodes?: number;
  /** Longest example text; bigger ones are regenerated with required properties only. Default 64 KB. */
  maxChars?: number;
}

const DEFAULTS = { maxDepth: 8, maxNodes: 3000, maxChars: 64 * 1024 };

type Sample = (schema: unknown, options?: Record<string, unknown>) => unknown;

async function sampler(): Promise<Sample> {
  // Loaded on first use: openapi-sampler is only needed when someone opens a request form.
  const mod = (await import('openapi-sampler')) as unknown as { sample?: Sample; default?: { sample: Sample } };
  const sample = mod.sample ?? mod.default?.sample;
  if (!sample) throw new TelenorError('internal', 'openapi-sampler has no sample() export.');
  return sample;
}

function isJsonMedia(mediaType: string): boolean {
  return /[/+]json\b/i.test(mediaType) || /^\*\/\*/.test(mediaType);
}

/** The example value as text for the request editor. */
export function exampleText(mediaType: string, value: unknown): string {
  if (value === undefined) return '';
  if (/^application\/x-www-form-urlencoded\b/i.test(mediaType) && isObject(value)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(value)) {
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) form.append(k, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item ?? ''));
    }
    return form.toString();
  }
  if (typeof value === 'string' && !isJsonMedia(mediaType)) return value;
  return JSON.stringify(value, null, 2) ?? '';
}

interface BodySource {
  mediaType: string;
  /** Explicit example, when the spec gives one. */
  example?: { value: unknown; source: 'example' | 'examples' };
  schema?: unknown;
  schemaPointer: string;
}

function pickMediaType(available: readonly string[], wanted: string | undefined): string | undefined {
  if (wanted !== undefined) return available.find((m) => m.toLowerCase() === wanted.toLowerCase());
  return available.find(isJsonMedia) ?? available[0];
}

function bodySource3(doc: JsonObject, opPointer: string, operation: JsonObject, mediaType: string | undefined): BodySource | undefined {
  if (operation['requestBody'] === undefined) return undefined;
  const rb = resolveRef(doc, operation['requestBody'], childPointer(opPointer, 'requestBody'));
  if (!rb.ok || !isObject(rb.value) || !isObject(rb.value['content'])) return undefined;
  const content = rb.value['content'];
  const chosen = pickMediaType(Object.keys(content), mediaType);
  if (chosen === undefined) return undefined;
  const media = content[chosen];
  if (!isObject(media)) return { mediaType: chosen, schemaPointer: childPointer(rb.pointer, 'content', chosen) };
  const out: BodySource = { mediaType: chosen, schema: media['schema'], schemaPointer: childPointer(rb.pointer, 'content', chosen, 'schema') };
  if (media['example'] !== undefined) out.example = { value: media['example'], source: 'example' };
  else if (isObject(media['examples'])) {
    for (const [name, ex] of Object.entries(media['examples'])) {
      const r = resolveRef(doc, ex, childPointer(rb.pointer, 'content', chosen, 'examples', name));
      if (r.ok && isObject(r.value) && r.value['value'] !== undefined) {
        out.example = { value: r.value['value'], source: 'examples' };
        break;
      }
    }
  }
  return out;
}

/** Path-level and operation-level parameters merged (operation wins by `in` + `name`), resolved. */
function mergedParameters(doc: JsonObject, found: NonNullable<ReturnType<typeof findOperation>>): JsonObject[] {
  const merged = new Map<string, JsonObject>();
  const add = (list: unknown, pointer: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const r = resolveRef(doc, p, childPointer(pointer, i));
      if (r.ok && isObject(r.value) && typeof r.value['name'] === 'string' && typeof r.value['in'] === 'string') {
        merged.set(`${r.value['in']}:${r.value['name']}`, r.value);
      }
    });
  };
  add(found.pathItem['parameters'], childPointer(found.pathItemPointer, 'parameters'));
  add(found.operation['parameters'], childPointer(found.pointer, 'parameters'));
  return [...merged.values()];
}

function bodySource2(doc: JsonObject, found: NonNullable<ReturnType<typeof findOperation>>, mediaType: string | undefined): BodySource | undefined {
  const params = mergedParameters(doc, found);
  const consumesRaw = Array.isArray(found.operation['consumes']) ? found.operation['consumes'] : doc['consumes'];
  const consumes = Array.isArray(consumesRaw) ? consumesRaw.filter((x): x is string => typeof x === 'string') : [];
  const body = params.find((p) => p['in'] === 'body');
  if (body) {
    const chosen = pickMediaType(consumes.length > 0 ? consumes : ['application/json'], mediaType);
    if (chosen === undefined) return undefined;
    const schema = body['schema'];
    const out: BodySource = { mediaType: chosen, schema, schemaPointer: '#' };
    const examples = body['x-examples'];
    if (isObject(examples) && examples[chosen] !== undefined) out.example = { value: examples[chosen], source: 'examples' };
    return out;
  }
  const form = params.filter((p) => p['in'] === 'formData');
  if (form.length === 0) return undefined;
  const formTypes = consumes.filter((t) => /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(t));
  const fallback = form.some((f) => f['type'] === 'file') ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
  const chosen = pickMediaType(formTypes.length > 0 ? formTypes : [fallback], mediaType);
  return chosen === undefined ? undefined : { mediaType: chosen, schema: formDataSchema(form), schemaPointer: '#' };
}

/** An example for a schema, or `undefined` when the sampler cannot write one. */
async function sampleSchema(
  doc: JsonObject,
  schema: unknown,
  pointer: string,
  options: Required<ExampleOptions>,
  sampleOptions: Record<string, unknown>,
): Promise<{ value: unknown; truncated: boolean }> {
  const sample = await sampler();
  const inlined = inlineSchema(doc, schema, pointer, { maxDepth: options.maxDepth, maxNodes: options.maxNodes, mode: 'sample' });
  try {
    return { value: sample(inlined.schema, { quiet: true, maxSampleDepth: options.maxDepth + 2, ...sampleOptions }), truncated: inlined.truncated };
  } catch {
    return { value: undefined, truncated: true };
  }
}

/**
 * The example request body of an operation for one media type (the first JSON-like one when none is
 * named). Operations without a body give `source: 'none'`. Unknown operations throw a `spec` TelenorError.
 */
export async function bodyExample(
  doc: JsonObject,
  specVersion: SpecVersion,
  operationId: string,
  mediaType?: string,
  options: ExampleOptions = {},
): Promise<BodyExample> {
  const found = findOperation(doc, operationId);
  if (!found) {
    throw new TelenorError('spec', `The operation ${operationId} is not in this spec.`, {
      hint: 'The spec changed since the tree was drawn: refresh it.',
    });
  }
  const limits = { ...DEFAULTS, ...options };
  const src = specVersion === '2.0' ? bodySource2(doc, found, mediaType) : bodySource3(doc, found.pointer, found.operation, mediaType);
  if (!src) return { mediaType: mediaType ?? '', value: undefined, text: '', source: 'none', truncated: false };
  if (src.example) {
    return { mediaType: src.mediaType, value: src.example.value, text: exampleText(src.mediaType, src.example.value), source: src.example.source, truncated: false };
  }
  if (src.schema === undefined) return { mediaType: src.mediaType, value: undefined, text: '', source: 'none', truncated: false };
  const top = resolveRef(doc, src.schema, src.schemaPointer);
  if (top.ok && isObject(top.value) && top.value['example'] !== undefined) {
    const value = top.value['example'];
    return { mediaType: src.mediaType, value, text: exampleText(src.mediaType, value), source: 'example', truncated: false };
  }
  // Request bodies leave out readOnly properties (ids, timestamps the server sets).
  let result = await sampleSchema(doc, src.schema, src.schemaPointer, limits, { skipReadOnly: true });
  let text = exampleText(src.mediaType, result.value);
  if (text.length > limits.maxChars) {
    result = await sampleSchema(doc, src.schema, src.schemaPointer, { ...limits, maxDepth: Math.min(limits.maxDepth, 4) }, { skipReadOnly: true, skipNonRequired: true });
    result.truncated = true;
    text = exampleText(src.mediaType, result.value);
    if (text.length > limits.maxChars) {
      result = { value: undefined, truncated: true };
      text = '';
    }
  }
  return { mediaType: src.mediaType, value: result.value, text, source: 'schema', truncated: result.truncated };
}

/**
 * Example values for an operation's parameters, keyed `in:name` (`path:accountId`, `query:page`): the
 * spec's example, default or first enum value, else one written from the parameter's schema.
 */
export async function parameterExamples(doc: JsonObject, specVersion: SpecVersion, operationId: string): Promise<Record<string, unknown>> {
  const found = findOperation(doc, operationId);
  if (!found) {
    throw new TelenorError('spec', `The operation ${operationId} is not in this spec.`, {
      hint: 'The spec changed since the tree was drawn: refresh it.',
    });
  }
  const out: Record<string, unknown> = {};
  for (const p of mergedParameters(doc, found)) {
    const where = p['in'] as string;
    if (where === 'body' || where === 'formData') continue;
    const key = `${where}:${p['name'] as string}`;
    let schema: unknown = specVersion === '2.0' ? p : p['schema'];
    if (schema === undefined && isObject(p['content'])) {
      const first = Object.values(p['content'])[0];
      if (isObject(first)) schema = first['schema'];
    }
    const resolved = resolveRef(doc, schema, '#');
    const s = resolved.ok && isObject(resolved.value) ? resolved.value : undefined;
    const explicit =
      p['example'] ?? p['x-example'] ?? s?.['example'] ?? s?.['default'] ?? (Array.isArray(s?.['enum']) ? (s['enum'] as unknown[])[0] : undefined);
    if (explicit !== undefined) {
      out[key] = explicit;
      continue;
    }
    if (s === undefined) continue;
    const sampled = await sampleSchema(doc, s, resolved.ok ? resolved.pointer : '#', { ...DEFAULTS, maxDepth: 3 }, {});
    if (sampled.value !== undefined && sampled.value !== null) out[key] = sampled.value;
  }
  return out;
}
