/**
 * The values a snippet is built from, and the finishing touches on the generated code. Pure: no vscode,
 * no engine (the inserter passes the engine's output in).
 *
 * Where values come from, in order: what the hovered URL said (`/accounts/48120000` → `accountId`), the
 * spec's example, default or first enum value, and otherwise a named placeholder (`<accountId>`) that
 * becomes a tab stop. Placeholders cannot go through request building as they are (`<` would be
 * percent-encoded in a path), so each travels as an inert sentinel word and is swapped back afterwards.
 */
import type { RequestValues } from '../../core/http/types';
import type { SnippetPlaceholder } from '../../core/snippets';
import type { OperationInfo, ParameterInfo } from '../../core/spec/types';
import type { AuthPlaceholders } from '../shared/authSummary';
import { DYNAMIC_SEGMENT } from '../hover/urlToken';

export type GivenValues = Partial<Pick<RequestValues, 'path' | 'query' | 'headers' | 'body'>>;

export interface SnippetValuesInput {
  serverUrl: string;
  operation: OperationInfo;
  /** From the hover (a concrete URL) or the caller. */
  given?: GivenValues;
  /** The spec's example body, when the operation takes one. */
  body?: { text: string; mediaType: string };
  auth: AuthPlaceholders;
}

export interface Sentinel {
  sentinel: string;
  /** What the code shows instead: `<accountId>`. */
  placeholder: string;
  name: string;
}

export interface SnippetValues {
  values: RequestValues;
  sentinels: Sentinel[];
  /** Concrete values a person will likely change (path parameters, query values): tab stops when unambiguous. */
  stops: SnippetPlaceholder[];
}

/** Sweden wants a fresh id per call: never a fixed example. */
const TRANSACTION_ID = /^x-transaction-id$/i;

/** A value from the code, not one computed at run time (`${id}`, `{id}`). */
function concrete(v: string | undefined): v is string {
  return v !== undefined && v !== '' && !v.includes(DYNAMIC_SEGMENT) && !/^\{.*\}$/.test(v);
}

function exampleOf(p: ParameterInfo): string | undefined {
  const v = p.example ?? p.default ?? p.enum?.[0];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function placeholderName(name: string): string {
  return name.replace(/[^\w.-]/g, '_') || 'value';
}

export function snippetValues(input: SnippetValuesInput): SnippetValues {
  const { operation, given = {} } = input;
  const sentinels: Sentinel[] = [];
  const stops: SnippetPlaceholder[] = [];
  const sentinelFor = (name: string): string => {
    const sentinel = `zzTaeValue${sentinels.length}zz`;
    sentinels.push({ sentinel, placeholder: `<${placeholderName(name)}>`, name });
    return sentinel;
  };
  const params = (where: ParameterInfo['in']): ParameterInfo[] => operation.parameters.filter((p) => p.in === where);

  const path: Record<string, string> = {};
  for (const m of operation.path.matchAll(/\{([^{}]+)\}/g)) {
    const name = m[1] as string;
    const fromCode = given.path?.[name];
    const declared = params('path').find((p) => p.name === name);
    const value = concrete(fromCode) ? fromCode : declared === undefined ? undefined : exampleOf(declared);
    if (value === undefined) path[name] = sentinelFor(name);
    else {
      path[name] = value;
      stops.push({ text: value, name });
    }
  }

  const query: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(given.query ?? {})) {
    const items = (Array.isArray(v) ? v : [v]).filter(concrete);
    if (items.length === 0) continue;
    query[name] = items.length === 1 ? (items[0] as string) : items;
    for (const item of items) stops.push({ text: item, name });
  }
  for (const p of params('query')) {
    if (!p.required || query[p.name] !== undefined) continue;
    query[p.name] = exampleOf(p) ?? sentinelFor(p.name);
  }
  for (const [name, v] of Object.entries(input.auth.query)) query[name] = v;

  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(given.headers ?? {})) if (concrete(v)) headers[name] = v;
  const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
  for (const p of params('header')) {
    if (has(p.name) || Object.keys(input.auth.headers).some((k) => k.toLowerCase() === p.name.toLowerCase())) continue;
    if (TRANSACTION_ID.test(p.name)) headers[p.name] = '<transaction_id>';
    else if (p.required) headers[p.name] = exampleOf(p) ?? sentinelFor(p.name);
  }

  const cookies: Record<string, string> = {};
  for (const p of params('cookie')) if (p.required) cookies[p.name] = exampleOf(p) ?? sentinelFor(p.name);

  const values: RequestValues = { serverUrl: input.serverUrl, path, query, headers };
  if (Object.keys(cookies).length > 0) values.cookies = cookies;
  const body = given.body ?? input.body?.text;
  if (body !== undefined && body !== '') {
    values.body = body;
    if (given.body === undefined && input.body !== undefined) values.contentType = input.body.mediaType;
  }
  return { values, sentinels, stops };
}

function count(haystack: string, needle: string): number {
  return needle === '' ? 0 : haystack.split(needle).length - 1;
}

/**
 * Swaps the sentinels for their placeholders and lists every tab stop: the secret placeholders the
 * generator found, the parameter placeholders, and concrete values that occur exactly once (a value such
 * as `0` that also appears elsewhere would turn unrelated text into a tab stop).
 */
export function finishSnippet(
  code: string,
  placeholders: readonly SnippetPlaceholder[],
  values: Pick<SnippetValues, 'sentinels' | 'stops'>,
): { code: string; placeholders: SnippetPlaceholder[] } {
  let out = code;
  const all: SnippetPlaceholder[] = [...placeholders];
  for (const s of values.sentinels) {
    if (!out.includes(s.sentinel)) continue;
    out = out.split(s.sentinel).join(s.placeholder);
    if (!all.some((p) => p.text === s.placeholder)) all.push({ text: s.placeholder, name: s.name });
  }
  for (const stop of values.stops) {
    const spelled = [stop.text, encodeURIComponent(stop.text)].find((t) => count(out, t) === 1);
    if (spelled === undefined || spelled.length < 2 || all.some((p) => p.text.includes(spelled) || spelled.includes(p.text))) continue;
    all.push({ text: spelled, name: stop.name });
  }
  return { code: out, placeholders: all };
}
