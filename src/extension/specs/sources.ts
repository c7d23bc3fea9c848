/**
 * Pure parts of the spec registry (no vscode): what is remembered about added specs, checking a URL the
 * person typed, ordering and describing sources, and the text of the "spec problems" document.
 */
import type { SpecProblem } from '../../core/spec/types';
import type { SpecOrigin } from '../contracts';

/**
 * One spec the person added, as kept in globalState. A URL with user-info or a query may carry a token
 * (`?apikey=…`), so such URLs live in SecretStorage and only `display` (no query) is kept here.
 */
export type StoredSpec =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'url'; secretId: string; display: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/** The stored list, with anything of the wrong shape (an older version, a hand edit) dropped. */
export function parseStoredSpecs(value: unknown): StoredSpec[] {
  if (!Array.isArray(value)) return [];
  const out: StoredSpec[] = [];
  for (const v of value) {
    if (!isRecord(v)) continue;
    if (v['kind'] === 'file' && nonEmpty(v['path'])) out.push({ kind: 'file', path: v['path'] });
    else if (v['kind'] === 'url' && nonEmpty(v['url'])) out.push({ kind: 'url', url: v['url'] });
    else if (v['kind'] === 'url' && nonEmpty(v['secretId']) && nonEmpty(v['display'])) {
      out.push({ kind: 'url', secretId: v['secretId'], display: v['display'] });
    }
  }
  return out;
}

/** True when the URL has parts that may be credentials (user-info, a query): keep it in SecretStorage. */
export function mayCarrySecrets(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '' || u.search !== '';
  } catch {
    return false;
  }
}

/**
 * The parts of a spec URL that may be credentials (user-info, query values), for the shared Redactor: the
 * URL is shown without them, and they are masked wherever else they might turn up (a server echoing them).
 */
export function secretPartsOfUrl(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const parts = [decodeURIComponent(u.username), decodeURIComponent(u.password), ...[...u.searchParams.values()]];
  return [...new Set(parts.filter((p) => p.length > 0))];
}

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/** Checks a spec URL typed by the person; the message says what is wrong and what to type instead. */
export function checkSpecUrl(text: string): UrlCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Type the http(s) URL of an OpenAPI or Swagger document (JSON or YAML).' };
  let u: URL;
  try {
    u = new URL(trimmed);
  } catch {
    return { ok: false, message: 'This is not a URL. It should look like https://example.com/openapi.yaml.' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { ok: false, message: `Only http and https URLs can be added (this one is ${u.protocol.replace(':', '')}). For a local file, use “Add OpenAPI Spec File…”.` };
  }
  if (u.hostname === '') return { ok: false, message: 'The URL has no host.' };
  // The fragment never reaches the server; dropping it keeps one spec from being listed twice.
  u.hash = '';
  return { ok: true, url: u.href };
}

/** Order of the groups in the tree: the person's own specs first, the built-in ones last. */
export const ORIGIN_ORDER: readonly SpecOrigin[] = ['workspace', 'file', 'url', 'builtin'];

export const ORIGIN_LABELS: Record<SpecOrigin, string> = { workspace: 'workspace', file: 'file', url: 'URL', builtin: 'built-in' };

/** The origin to show when one source is known several ways (an added file that is also in the workspace). */
export function primaryOrigin(origins: ReadonlySet<SpecOrigin>): SpecOrigin {
  return ORIGIN_ORDER.find((o) => origins.has(o)) ?? 'file';
}

/** Load problems followed by validation problems, without repeating one the load already reported. */
export function mergeProblems(load: readonly SpecProblem[], validation: readonly SpecProblem[]): SpecProblem[] {
  const seen = new Set(load.map(problemKey));
  return [...load, ...validation.filter((p) => !seen.has(problemKey(p)))];
}

function problemKey(p: SpecProblem): string {
  return `${p.severity}|${p.pointer ?? ''}|${p.line ?? ''}|${p.column ?? ''}|${p.message}`;
}

/**
 * A problem's message without the "<file> line 3, column 2: " it starts with, for views that show the
 * place themselves (the Problems panel, the problems document, tooltips).
 */
export function messageWithoutPlace(message: string, origin: string): string {
  const escaped = origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`^${escaped}(?: line \\d+(?:, column \\d+)?)?: `), '');
}

/** `line 12, column 3`, `line 12`, or the pointer when no position is known; undefined when neither. */
export function locationText(p: Pick<SpecProblem, 'line' | 'column' | 'pointer'>): string | undefined {
  if (p.line !== undefined) return p.column !== undefined ? `line ${p.line}, column ${p.column}` : `line ${p.line}`;
  return p.pointer;
}

export function countText(problems: readonly SpecProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/** A place in the report that links to a place in the spec file. */
export interface ReportLink {
  /** 0-based line and character range in the report. */
  reportLine: number;
  start: number;
  end: number;
  /** 1-based position in the spec. */
  line: number;
  column: number;
}

export interface ProblemReport {
  text: string;
  links: ReportLink[];
}

export interface ReportInput {
  label: string;
  /** How the spec's own messages name it (file name or URL), stripped from them. */
  origin: string;
  /** The file path or display URL (no query). */
  location: string;
  state: 'loading' | 'loaded' | 'failed';
  problems: readonly SpecProblem[];
}

/**
 * The read-only "spec problems" document: one block per problem with severity, location, message and
 * what to do. Positions become links when the spec is a file.
 */
export function problemReport(input: ReportInput, linkPositions: boolean): ProblemReport {
  const lines: string[] = [];
  const links: ReportLink[] = [];
  const state = input.state === 'failed' ? 'failed to load' : input.state === 'loading' ? 'loading' : 'loaded';
  lines.push(`Problems of ${input.label}`, input.location, `${state} · ${countText(input.problems)}`, '');
  if (input.problems.length === 0) lines.push('No problems were found.');
  for (const p of input.problems) {
    const where = locationText(p);
    const head = `${p.severity === 'error' ? 'Error' : 'Warning'}${p.code ? ` (${p.code})` : ''}`;
    if (where) {
      const prefix = `${head} at `;
      if (linkPositions && p.line !== undefined) {
        links.push({ reportLine: lines.length, start: prefix.length, end: prefix.length + where.length, line: p.line, column: p.column ?? 1 });
      }
      lines.push(`${prefix}${where}`);
    } else {
      lines.push(head);
    }
    const message = where ? messageWithoutPlace(p.message, input.origin) : p.message;
    for (const l of message.split(/\r?\n/)) lines.push(`    ${l}`);
    if (p.hint) lines.push(`    What to do: ${p.hint}`);
    lines.push('');
  }
  return { text: lines.join('\n'), links };
}
