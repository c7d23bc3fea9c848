/**
 * The hover's Markdown for the operations a URL matched: method and path, summary, API title and version,
 * parameters, the auth it needs, and command links. Pure (a string); the feature wraps it in a trusted
 * MarkdownString that may run only the commands listed in `HOVER_COMMANDS`.
 */
import type { ApiSummary, OperationInfo } from '../../core/spec/types';
import { describeAuth } from '../shared/authSummary';
import type { GivenValues } from '../snippets/requestValues';
import type { OperationHit } from './operationIndex';
import { DYNAMIC_SEGMENT } from './urlToken';

/** The only commands the hover's links may run. */
export const HOVER_COMMANDS = ['telenor.insertSnippet', 'telenor.copyAsCurl', 'telenor.openRequest', 'telenor.openDocs'] as const;

export interface HoverContext {
  /** The document hovered (links insert into it). */
  uri: string;
  /** Where Insert snippet puts the code: the start of the line below the URL. */
  insertAt: { line: number; character: number };
  /** Query values written in the hovered URL. */
  query: Record<string, string | string[]>;
  /** Spec files get no Insert snippet link: code does not belong in a spec. */
  allowInsert: boolean;
  /** Links to Telenor's docs only for APIs the portal documents (`docsFor`). */
  hasDocs: (api: ApiSummary, op: OperationInfo) => boolean;
}

const MAX_OPERATIONS = 3;
const MAX_PARAMETERS = 12;

/** Escapes text for Markdown prose (summaries and titles come from specs anyone can write). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\s*[\r\n]+\s*/g, ' ');
}

function code(text: string): string {
  // A code span cannot contain its own fence; paths and names practically never hold backticks.
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

export function commandLink(label: string, command: (typeof HOVER_COMMANDS)[number], args: unknown): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify([args]))} "${label}")`;
}

/** Path values the URL spelled out (not `${id}`-style run-time values). */
function concretePath(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== '' && !v.includes(DYNAMIC_SEGMENT) && !/^\{.*\}$/.test(v)) out[k] = v;
  return out;
}

/**
 * One line per parameter (`accountId` · path · string · required). A Markdown table looked cramped in the
 * hover: VS Code renders hover tables without cell padding.
 */
function parameterTable(op: OperationInfo): string[] {
  if (op.parameters.length === 0) return ['No parameters.'];
  const rows: string[] = [];
  for (const p of op.parameters.slice(0, MAX_PARAMETERS)) {
    const type = p.type === 'array' && p.items?.type ? `${p.items.type}[]` : (p.type ?? '');
    const facts = [p.in, ...(type ? [escapeMarkdown(type)] : []), p.required ? '**required**' : 'optional', ...(p.deprecated === true ? ['deprecated'] : [])];
    rows.push(`- ${code(p.name)} · ${facts.join(' · ')}`);
  }
  if (op.parameters.length > MAX_PARAMETERS) rows.push(`- …and ${op.parameters.length - MAX_PARAMETERS} more`);
  return rows;
}

function section(hit: OperationHit, ctx: HoverContext): string {
  const { api, match } = hit;
  const op = match.operation;
  const lines: string[] = [];
  const summary = op.summary ?? op.operationId;
  // The full path as code spells it: a Swagger 2.0 basePath (`/telenor-stores/v1`) belongs in front.
  lines.push(`**${op.method.toUpperCase()}** ${code(`${match.basePath}${op.path}`)}${summary ? ` — ${escapeMarkdown(summary)}` : ''}${op.deprecated ? ' *(deprecated)*' : ''}`);
  lines.push('');
  lines.push(`${escapeMarkdown(api.title)} ${escapeMarkdown(api.version)}`);
  lines.push('');
  lines.push(...parameterTable(op));
  if (op.requestBody) lines.push('', `Request body${op.requestBody.required ? ' (required)' : ''}: ${op.requestBody.contents.map((c) => code(c.mediaType)).join(', ')}`);
  lines.push('', `**Auth:** ${describeAuth(api, op)}`);

  const values: GivenValues = {};
  const path = concretePath(match.pathParams);
  if (Object.keys(path).length > 0) values.path = path;
  if (Object.keys(ctx.query).length > 0) values.query = ctx.query;
  const target = { apiId: api.id, operationId: op.id, ...(values.path || values.query ? { values } : {}) };
  const links: string[] = [];
  if (ctx.allowInsert) links.push(commandLink('Insert snippet', 'telenor.insertSnippet', { ...target, uri: ctx.uri, position: ctx.insertAt }));
  links.push(commandLink('Copy curl', 'telenor.copyAsCurl', target));
  links.push(commandLink('Open request panel', 'telenor.openRequest', target));
  if (ctx.hasDocs(api, op)) links.push(commandLink('Telenor docs', 'telenor.openDocs', { apiId: api.id, operationId: op.id }));
  lines.push('', links.join(' · '));
  return lines.join('\n');
}

/** Markdown for the best few hits; the rest are counted. */
export function renderHover(hits: readonly OperationHit[], ctx: HoverContext): string {
  const shown = hits.slice(0, MAX_OPERATIONS).map((h) => section(h, ctx));
  if (hits.length > MAX_OPERATIONS) shown.push(`…and ${hits.length - MAX_OPERATIONS} more matching operations.`);
  return shown.join('\n\n---\n\n');
}
