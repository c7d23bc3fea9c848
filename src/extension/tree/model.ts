/**
 * The APIs tree as data, apart from the VS Code provider: nodes with stable ids, children computed lazily
 * from the registry's entries, the operation filter, and the words the tree shows (labels, descriptions,
 * tooltips as Markdown). Pure (no vscode), unit tested in plain Node.
 */
import type { ApiIndex, ApiSummary, HttpMethod, OperationInfo, SecurityRequirement, SpecProblem } from '../../core/spec/types';
import { describeAuth } from '../shared/authSummary';
import type { SpecEntry } from '../contracts';
import { messageWithoutPlace, ORIGIN_LABELS } from '../specs/sources';

export interface ApiNode {
  kind: 'api';
  /** Tree item id: the API id (= the registry key). */
  id: string;
  key: string;
  /** Same as `key`: lets commands take a node where they take `{apiId}`. */
  apiId: string;
  entry: SpecEntry;
}

export interface TagNode {
  kind: 'tag';
  id: string;
  apiId: string;
  tag: string;
  description?: string;
  operationIds: readonly string[];
  parent: ApiNode;
}

export interface OperationNode {
  kind: 'operation';
  /** Unique in the tree: an operation with two tags appears under both. */
  id: string;
  apiId: string;
  /** The operation's JSON pointer (`#/paths/~1stores/get`), its id in the index. */
  operationId: string;
  operation: OperationInfo;
  parent: TagNode;
}

/** A row about the list rather than an API: still looking for specs, or workspace specs held back. */
export interface StatusNode {
  kind: 'status';
  id: string;
  label: string;
  reason: 'discovering' | 'restricted';
}

export type TreeNode = ApiNode | TagNode | OperationNode | StatusNode;

// ---------------------------------------------------------------------------------------------- filter

/** Lower-cased words; every one must match (so `get stores` finds the GET operations on stores paths). */
export function parseFilter(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
}

/** An operation matches when each term is in its method, path, summary, operationId or tag name. */
export function operationMatches(op: OperationInfo, tag: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const fields = [op.method, op.path, op.summary ?? '', op.operationId ?? '', tag].map((f) => f.toLowerCase());
  return terms.every((t) => fields.some((f) => f.includes(t)));
}

/** [start, end) ranges of `label` that contain a term, merged, for highlighting matches. */
export function highlightRanges(label: string, terms: readonly string[]): Array<[number, number]> {
  const lower = label.toLowerCase();
  const ranges: Array<[number, number]> = [];
  for (const t of terms) {
    for (let i = lower.indexOf(t); i !== -1; i = lower.indexOf(t, i + t.length)) ranges.push([i, i + t.length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------- model

const SEP = '::';

/**
 * One snapshot of the tree. A new model is made whenever the entries or the filter change; node objects are
 * cached per model so `getParent` and `reveal` see the same objects `getChildren` returned.
 */
export class TreeModel {
  readonly terms: readonly string[];
  private rootNodes: TreeNode[] | undefined;
  private readonly childCache = new Map<string, TreeNode[]>();
  /** With a filter: per API key, the matching operation ids per tag (document order). */
  private readonly matches = new Map<string, Map<string, string[]>>();

  constructor(
    private readonly entries: readonly SpecEntry[],
    filter = '',
    /** False while the registry still discovers sources: the tree shows one "loading" row then. */
    private readonly discovered = true,
    /** Restricted Mode: workspace specs are not read, which the list says at its end. */
    private readonly restricted = false,
  ) {
    this.terms = parseFilter(filter);
    if (this.terms.length > 0) {
      for (const e of entries) {
        if (!e.api) continue;
        const perTag = new Map<string, string[]>();
        for (const tag of e.api.tags) {
          const ids = tag.operationIds.filter((id) => {
            const op = e.api?.operations[id];
            return op !== undefined && operationMatches(op, tag.name, this.terms);
          });
          if (ids.length > 0) perTag.set(tag.name, ids);
        }
        if (perTag.size > 0) this.matches.set(e.key, perTag);
      }
    }
  }

  get filtering(): boolean {
    return this.terms.length > 0;
  }

  /** Matching operations (each counted once, even under two tags) and the APIs they are in. */
  matchCount(): { operations: number; apis: number } {
    let operations = 0;
    for (const perTag of this.matches.values()) operations += new Set([...perTag.values()].flat()).size;
    return { operations, apis: this.matches.size };
  }

  roots(): TreeNode[] {
    if (this.rootNodes) return this.rootNodes;
    if (!this.discovered) {
      this.rootNodes = [{ kind: 'status', id: 'status:discovering', label: 'Looking for specs…', reason: 'discovering' }];
      return this.rootNodes;
    }
    const shown = this.filtering ? this.entries.filter((e) => this.matches.has(e.key)) : this.entries;
    const nodes: TreeNode[] = shown.map((entry): ApiNode => ({ kind: 'api', id: entry.key, key: entry.key, apiId: entry.key, entry }));
    // With nothing listed the welcome view says it instead (a row would hide the welcome view).
    if (this.restricted && !this.filtering && nodes.length > 0) {
      nodes.push({ kind: 'status', id: 'status:restricted', label: 'Workspace specs are not read in Restricted Mode', reason: 'restricted' });
    }
    this.rootNodes = nodes;
    return this.rootNodes;
  }

  children(node: TreeNode): TreeNode[] {
    if (node.kind === 'operation' || node.kind === 'status') return [];
    const cached = this.childCache.get(node.id);
    if (cached) return cached;
    const made = node.kind === 'api' ? this.tagsOf(node) : this.operationsOf(node);
    this.childCache.set(node.id, made);
    return made;
  }

  /** Finds the API node of a key among the roots (for reveal). */
  apiNode(key: string): ApiNode | undefined {
    return this.roots().find((n): n is ApiNode => n.kind === 'api' && n.key === key);
  }

  private tagsOf(node: ApiNode): TagNode[] {
    const api = node.entry.api;
    if (!api) return [];
    const perTag = this.filtering ? this.matches.get(node.key) : undefined;
    const out: TagNode[] = [];
    for (const tag of api.tags) {
      const operationIds = perTag ? perTag.get(tag.name) : tag.operationIds;
      if (!operationIds || operationIds.length === 0) continue;
      const t: TagNode = { kind: 'tag', id: `${node.id}${SEP}tag:${tag.name}`, apiId: node.key, tag: tag.name, operationIds, parent: node };
      if (tag.description) t.description = tag.description;
      out.push(t);
    }
    return out;
  }

  private operationsOf(node: TagNode): OperationNode[] {
    const api = node.parent.entry.api;
    if (!api) return [];
    return node.operationIds.flatMap((operationId) => {
      const operation = api.operations[operationId];
      return operation ? [{ kind: 'operation', id: `${node.id}${SEP}${operationId}`, apiId: node.apiId, operationId, operation, parent: node } satisfies OperationNode] : [];
    });
  }
}

// ---------------------------------------------------------------------------------------------- words

export const METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Base name of the method badge icon in media/methods/ (`get`, `post-deprecated`…). */
export function methodIconName(method: HttpMethod, deprecated: boolean): string {
  return deprecated ? `${method}-deprecated` : method;
}

export function operationLabel(op: OperationInfo): string {
  return op.summary?.trim() || op.operationId || `${op.method.toUpperCase()} ${op.path}`;
}

export function operationDescription(op: OperationInfo): string {
  return op.deprecated ? `deprecated · ${op.path}` : op.path;
}

/** What a screen reader says for an operation row: the method is otherwise only in the icon. */
export function operationAccessibleLabel(op: OperationInfo): string {
  return `${op.method.toUpperCase()} ${op.path}, ${operationLabel(op)}${op.deprecated ? ', deprecated' : ''}`;
}

/** `v1.0.0 · built-in · Norway`. */
export function apiDescription(entry: SpecEntry, regionLabel?: string): string {
  const parts: string[] = [];
  if (entry.api?.version) parts.push(/^\d/.test(entry.api.version) ? `v${entry.api.version}` : entry.api.version);
  parts.push(ORIGIN_LABELS[entry.origin]);
  if (regionLabel) parts.push(regionLabel);
  const errors = entry.problems.filter((p) => p.severity === 'error').length;
  const warnings = entry.problems.length - errors;
  if (entry.state === 'loaded' && errors + warnings > 0) parts.push(errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : `${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** Escapes text for Markdown, so spec content (untrusted) is shown as written and never as markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&');
}

function oneParagraph(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Text that is not Markdown (messages, hints), cut to a length a tooltip can hold, shown as written. */
function plain(text: string, max = 300): string {
  return escapeMarkdown(oneParagraph(text, max));
}

/**
 * Spec prose is CommonMark: its emphasis and code spans are kept, but it is untrusted, so images (which
 * would fetch) and links are reduced to their text, and a leading block marker is escaped so one
 * paragraph stays one paragraph. (Raw HTML is shown as text by VS Code unless `supportHtml` is set.)
 */
export function specMarkdown(text: string, max = 300): string {
  let t = oneParagraph(
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1'),
    max,
  );
  // Cutting inside a code span would leave a stray backtick: cut before that span instead.
  if (t.endsWith('…') && (t.match(/`/g) ?? []).length % 2 === 1) t = `${t.slice(0, t.lastIndexOf('`')).trimEnd()} …`;
  return /^(?:[#>+*-]|\d+[.)])/.test(t) ? `\\${t}` : t;
}

function code(text: string): string {
  // A code span cannot hold its own backtick run: use a longer fence.
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest > 0 ? ' ' : ''}${text}${longest > 0 ? ' ' : ''}${fence}`;
}

/** One problem for a tooltip: its place once (the message's own "file line 3:" is dropped), then what. */
export function problemLine(p: SpecProblem, origin: string): string {
  const where = p.line !== undefined ? `line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}` : p.pointer;
  return `${where ? `${escapeMarkdown(where)}: ` : ''}${plain(where ? messageWithoutPlace(p.message, origin) : p.message, 400)}`;
}

export interface ApiTooltipExtras {
  regionLabel?: string;
  /** The auth profile's label (`Norway · client credentials`) and where it came from. */
  auth?: string;
  /** Where requests go in the active environment, or why they cannot. */
  target?: string;
  environmentLabel?: string;
}

const SPEC_LABELS: Record<string, string> = { '2.0': 'Swagger 2.0', '3.0': 'OpenAPI 3.0', '3.1': 'OpenAPI 3.1' };

function sourceText(entry: SpecEntry): string {
  const s = entry.source;
  const where = s.kind === 'file' || s.kind === 'builtin' ? s.path : entry.label;
  return `${ORIGIN_LABELS[entry.origin]} · ${code(where)}`;
}

/** Markdown for an API row: what it is, where it comes from and goes to, how it authenticates, problems. */
export function apiTooltip(entry: SpecEntry, extras: ApiTooltipExtras = {}): string {
  const api = entry.api;
  const out: string[] = [];
  if (!api) {
    out.push(`**${escapeMarkdown(entry.label)}** — ${entry.state === 'failed' ? 'failed to load' : 'loading…'}`);
    out.push(`Source: ${sourceText(entry)}`);
    const first = entry.problems.find((p) => p.severity === 'error') ?? entry.problems[0];
    if (first) {
      out.push(problemLine(first, entry.label));
      if (first.hint) out.push(`*What to do:* ${plain(first.hint)}`);
      if (entry.problems.length > 1) out.push(`${entry.problems.length - 1} more problem${entry.problems.length === 2 ? '' : 's'}: run *Show Spec Problems*.`);
    }
    return out.join('\n\n');
  }
  out.push(`**${escapeMarkdown(api.title)}**${api.version ? ` ${escapeMarkdown(api.version)}` : ''}`);
  if (api.description) out.push(specMarkdown(api.description));
  const facts: string[] = [
    `Spec: ${SPEC_LABELS[api.specVersion] ?? api.specVersion}`,
    `Source: ${sourceText(entry)}`,
  ];
  if (extras.regionLabel) facts.push(`Region: ${escapeMarkdown(extras.regionLabel)}`);
  if (api.servers.length > 0) {
    facts.push(`Servers: ${api.servers.map((s) => `${code(s.url)}${s.description ? ` (${plain(s.description, 60)})` : ''}`).join(', ')}`);
  } else {
    facts.push('Servers: none declared');
  }
  if (extras.target) facts.push(`Requests go to${extras.environmentLabel ? ` (${escapeMarkdown(extras.environmentLabel)})` : ''}: ${extras.target}`);
  if (extras.auth) facts.push(`Auth: ${extras.auth}`);
  facts.push(`Operations: ${api.operationCount}`);
  const errors = entry.problems.filter((p) => p.severity === 'error').length;
  facts.push(entry.problems.length === 0 ? 'Problems: none' : `Problems: ${errors} error${errors === 1 ? '' : 's'}, ${entry.problems.length - errors} warning${entry.problems.length - errors === 1 ? '' : 's'}`);
  out.push(facts.join('  \n'));
  const first = entry.problems[0];
  if (first) out.push(`First problem: ${problemLine(first, entry.label)}`);
  return out.join('\n\n');
}

/** `telenorOAuth (openapi) + X-JWT`, alternatives joined by "or"; `none` for an explicitly empty list. */
export function securityText(security: readonly SecurityRequirement[]): string {
  if (security.length === 0) return 'none';
  return security
    .map((req) => {
      const names = Object.entries(req).map(([name, scopes]) => (scopes.length > 0 ? `${name} (${scopes.join(', ')})` : name));
      return names.length > 0 ? names.join(' + ') : 'none (optional)';
    })
    .join(' or ');
}

/** Markdown for an operation row: method and path, summary, parameters, body, auth. */
export function operationTooltip(op: OperationInfo, api?: ApiSummary): string {
  const out: string[] = [`**${op.method.toUpperCase()}** ${code(op.path)}${op.deprecated ? ' — *deprecated*' : ''}`];
  if (op.summary) out.push(specMarkdown(op.summary));
  if (op.description && op.description.trim() !== op.summary?.trim()) out.push(specMarkdown(op.description));
  if (op.operationId) out.push(`operationId: ${code(op.operationId)}`);
  if (op.parameters.length > 0) {
    const rows = op.parameters.map(
      (p) => `- ${code(p.name)} (${p.in}${p.required ? ', required' : ''}${p.type ? `, ${escapeMarkdown(p.type)}` : ''})${p.description ? ` — ${specMarkdown(p.description, 120)}` : ''}`,
    );
    out.push(`Parameters:\n${rows.join('\n')}`);
  } else {
    out.push('Parameters: none');
  }
  if (op.requestBody) {
    out.push(`Request body${op.requestBody.required ? ' (required)' : ''}: ${op.requestBody.contents.map((c) => code(c.mediaType)).join(', ') || 'no media type'}`);
  }
  // With the API at hand, say which grant it means (as the hover does), not only the scheme names.
  out.push(`Auth: ${api ? describeAuth(api, op) : escapeMarkdown(securityText(op.security))}`);
  return out.join('\n\n');
}

/** One row of the "Open Request Panel" picker. */
export interface OperationChoice {
  apiId: string;
  operationId: string;
  /** `GET /stores/{storeId}` */
  label: string;
  /** The summary (or operationId), marked when deprecated. */
  description: string;
  /** API title and tag, so a search for the API finds its operations. */
  detail: string;
}

/** The picker's rows per API, in tag order; an operation under two tags is listed once. */
export function operationChoices(apis: readonly ApiIndex[]): Array<{ title: string; choices: OperationChoice[] }> {
  return apis.map((api) => {
    const seen = new Set<string>();
    const choices: OperationChoice[] = [];
    for (const tag of api.tags) {
      for (const id of tag.operationIds) {
        const op = api.operations[id];
        if (!op || seen.has(id)) continue;
        seen.add(id);
        choices.push({
          apiId: api.id,
          operationId: id,
          label: `${op.method.toUpperCase()} ${op.path}`,
          description: `${operationLabel(op)}${op.deprecated ? ' (deprecated)' : ''}`,
          detail: `${api.title} · ${tag.name}`,
        });
      }
    }
    return { title: api.title, choices };
  });
}

// ---------------------------------------------------------------------------------------------- source

/**
 * 0-based line and character of an operation (`path` → `method`) in a spec's text, JSON or YAML, found
 * by scanning for the keys. A convenience for "Open Spec at Operation": undefined when not found.
 */
export function locateOperation(text: string, path: string, method: string): { line: number; character: number } | undefined {
  const re = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The spellings of a key: JSON string, YAML single-quoted, YAML double-quoted (same as JSON here), plain.
  const key = (k: string): string => `(?:"${re(JSON.stringify(k).slice(1, -1))}"|'${re(k.replace(/'/g, "''"))}'|${re(k)})`;
  const pathKey = new RegExp(`^(\\s*)${key(path)}\\s*:`);
  const methodKey = new RegExp(`^(\\s*)${key(method.toLowerCase())}\\s*:`);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = pathKey.exec(lines[i] ?? '');
    if (!m) continue;
    const indent = m[1]?.length ?? 0;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim() === '' || /^\s*#/.test(line)) continue;
      // The path item ends where the indentation drops back to the path's (YAML and pretty-printed JSON).
      if ((/^\s*/.exec(line)?.[0].length ?? 0) <= indent) break;
      const k = methodKey.exec(line);
      if (k) return { line: j, character: k[1]?.length ?? 0 };
    }
    return { line: i, character: indent };
  }
  return undefined;
}
