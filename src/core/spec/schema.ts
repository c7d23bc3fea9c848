/**
 * A schema with its local `$ref`s copied inline — bounded. Real specs have circular schemas (a comment
 * with replies, a Kubernetes object with owner references) and very wide ones (GitHub's `repository`),
 * so inlining stops at a depth, at a node budget and at cycles. The same walk feeds the schema viewer
 * (`display`: cut places keep a `$ref` to fetch later) and example generation (`sample`: cut places become
 * a bare `type` so the sampler writes an empty value instead of recursing).
 */
import { childPointer, isObject, refOf, resolveRef, type JsonObject } from './pointer';
import type { ResolvedSchema } from './types';

export interface InlineOptions {
  /** Schema levels to expand (a property, an array's items, an allOf member each count one). */
  maxDepth: number;
  /** Values copied in total before the rest is cut. */
  maxNodes: number;
  mode: 'display' | 'sample';
}

export const DEFAULT_DISPLAY_DEPTH = 3;
export const MAX_DISPLAY_DEPTH = 12;
export const DEFAULT_DISPLAY_NODES = 20_000;

/** Keywords whose value is one schema. */
const SCHEMA_KEYS = new Set(['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems', 'contentSchema']);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);

type Cut = 'depth' | 'cycle' | 'size' | 'missing';

class Inliner {
  private nodes = 0;
  truncated = false;
  private readonly stack: string[] = [];

  constructor(
    private readonly doc: JsonObject,
    private readonly options: InlineOptions,
  ) {}

  /** Copies plain data (examples, enums, defaults) within the node budget. */
  private data(value: unknown, depth = 0): unknown {
    this.nodes++;
    if (typeof value !== 'object' || value === null) return value;
    if (this.nodes > this.options.maxNodes || depth > 32) {
      this.truncated = true;
      return Array.isArray(value) ? [] : {};
    }
    if (Array.isArray(value)) return value.map((v) => this.data(v, depth + 1));
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.data(v, depth + 1);
    return out;
  }

  private cut(reason: Cut, ref: string | undefined, target: unknown): unknown {
    this.truncated = true;
    if (this.options.mode === 'sample') {
      const type = isObject(target) ? target['type'] : undefined;
      return type === undefined ? {} : { type };
    }
    const stub: JsonObject = {};
    if (ref !== undefined) stub['$ref'] = ref;
    if (isObject(target)) {
      for (const k of ['type', 'title', 'description', 'format']) if (target[k] !== undefined) stub[k] = target[k];
    }
    stub['x-unresolved'] = reason;
    return stub;
  }

  schema(value: unknown, pointer: string, depth: number): unknown {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.data(value);
    const ref = refOf(value);
    let target: JsonObject = value as JsonObject;
    let at = pointer;
    if (ref !== undefined) {
      const r = resolveRef(this.doc, value, pointer);
      if (!r.ok) return this.cut(r.reason === 'circular' ? 'cycle' : 'missing', ref, undefined);
      if (this.stack.includes(r.pointer)) return this.cut('cycle', ref, r.value);
      if (!isObject(r.value)) return this.data(r.value);
      target = r.value;
      at = r.pointer;
    }
    if (depth > this.options.maxDepth) return this.cut('depth', ref, target);
    if (this.nodes > this.options.maxNodes) return this.cut('size', ref, target);
    this.nodes++;
    this.stack.push(at);
    try {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(target)) {
        if (k === '$ref') continue;
        out[k] = this.keyword(k, v, childPointer(at, k), depth);
      }
      // OpenAPI 3.1 allows keywords next to `$ref` (a description, a nullable twist): they override.
      if (ref !== undefined) {
        for (const [k, v] of Object.entries(value)) {
          if (k !== '$ref') out[k] = this.keyword(k, v, pointer, depth);
        }
      }
      return out;
    } finally {
      this.stack.pop();
    }
  }

  private keyword(key: string, value: unknown, pointer: string, depth: number): unknown {
    if (SCHEMA_KEYS.has(key) && (isObject(value) || typeof value === 'boolean')) return this.schema(value, pointer, depth + 1);
    if (SCHEMA_LIST_KEYS.has(key) && Array.isArray(value)) return value.map((v, i) => this.schema(v, childPointer(pointer, i), depth + 1));
    if (key === 'items' && Array.isArray(value)) return value.map((v, i) => this.schema(v, childPointer(pointer, i), depth + 1));
    if (SCHEMA_MAP_KEYS.has(key) && isObject(value)) {
      const out: JsonObject = {};
      for (const [name, v] of Object.entries(value)) {
        out[name] = this.schema(v, childPointer(pointer, name), depth + 1);
      }
      return out;
    }
    return this.data(value);
  }
}

/** Inlines `schema` (found at `pointer` in `doc`) within the given limits. */
export function inlineSchema(doc: JsonObject, schema: unknown, pointer: string, options: InlineOptions): { schema: unknown; truncated: boolean } {
  const inliner = new Inliner(doc, options);
  const out = inliner.schema(schema, pointer, 0);
  return { schema: out, truncated: inliner.truncated };
}

/**
 * The schema at `pointer` for display, `depth` schema levels deep (clamped to 0…12). A pointer that leads
 * nowhere gives `undefined`.
 */
export function resolveSchemaForDisplay(doc: JsonObject, pointer: string, depth = DEFAULT_DISPLAY_DEPTH, maxNodes = DEFAULT_DISPLAY_NODES): ResolvedSchema | undefined {
  const start = resolveRef(doc, { $ref: pointer }, pointer);
  if (!start.ok) return undefined;
  const levels = Math.max(0, Math.min(MAX_DISPLAY_DEPTH, Math.floor(Number.isFinite(depth) ? depth : DEFAULT_DISPLAY_DEPTH)));
  const { schema, truncated } = inlineSchema(doc, start.value, start.pointer, { maxDepth: levels, maxNodes, mode: 'display' });
  return { pointer: start.pointer, schema, truncated };
}
