/**
 * `telenor.insertSnippet`: code that calls one operation, in the language of the file, inserted as a
 * VS Code snippet whose tab stops are the token and the parameters. Secrets are never in it: the request
 * is built without auth, and auth appears only as placeholders (`Bearer <access_token>`).
 *
 * Arguments (all optional, so the hover's links and tests can drive it; without them it asks):
 * `{ apiId, operationId, values?, language?, uri?, position? }`.
 */
import * as vscode from 'vscode';
import { TelenorError, describeError, isTelenorError } from '../../core/errors';
import type { SnippetTargetId } from '../../core/snippets';
import type { ApiIndex, OperationInfo } from '../../core/spec/types';
import type { Redactor } from '../../core/util/redact';
import type { EnvironmentService, SpecRegistry } from '../contracts';
import { effectiveServers } from '../../core/spec/match';
import { authPlaceholders } from '../shared/authSummary';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import { restClientSnippet } from './restClient';
import { planImports } from './imports';
import { avoidNameClashes } from './names';
import { placeSnippet } from './placement';
import { finishSnippet, snippetValues, type GivenValues } from './requestValues';
import { REST_CLIENT_TARGET, targetForDocument, targetFromArgument, type InsertTargetId } from './targets';

export interface SnippetInserterDeps {
  specs: SpecRegistry;
  environments: EnvironmentService;
  lazy: LazyModules;
  redactor: Redactor;
  log: Log;
}

export interface InsertSnippetArgs {
  apiId?: string;
  operationId?: string;
  values?: GivenValues;
  /** A target id (`python-requests`, `rest-client`) or a language id (`python`). */
  language?: string;
  uri?: string;
  position?: { line: number; character: number };
}

export interface InsertSnippetResult {
  target: InsertTargetId;
  uri: string;
  /** The code as inserted, before the person fills in the tab stops. */
  code: string;
}

interface Picked {
  api: ApiIndex;
  operation: OperationInfo;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function badArgument(what: string): TelenorError {
  return new TelenorError('input', `Insert snippet: ${what}.`, {
    hint: 'Pass { apiId, operationId, values?, language?, uri?, position? }, or run the command without arguments to choose.',
  });
}

/** Command arguments arrive as JSON from links and as anything from other extensions: check each field. */
export function parseInsertArgs(raw: unknown): InsertSnippetArgs {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw badArgument('the argument is not an object');
  const out: InsertSnippetArgs = {};
  for (const key of ['apiId', 'operationId', 'language'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') throw badArgument(`${key} must be a non-empty string`);
    out[key] = v;
  }
  if (raw['uri'] !== undefined) {
    const u = raw['uri'];
    if (typeof u === 'string' && u !== '') out.uri = u;
    else if (u instanceof vscode.Uri) out.uri = u.toString();
    else throw badArgument('uri must be a URI string');
  }
  if (raw['position'] !== undefined) {
    const p = raw['position'];
    if (!isRecord(p) || !Number.isInteger(p['line']) || !Number.isInteger(p['character']) || (p['line'] as number) < 0 || (p['character'] as number) < 0) {
      throw badArgument('position must be { line, character } with whole numbers from 0');
    }
    out.position = { line: p['line'] as number, character: p['character'] as number };
  }
  if (raw['values'] !== undefined) {
    if (!isRecord(raw['values'])) throw badArgument('values must be an object');
    out.values = raw['values'] as GivenValues;
  }
  if ((out.apiId === undefined) !== (out.operationId === undefined)) throw badArgument('apiId and operationId go together');
  return out;
}

function cancelled(): TelenorError {
  return new TelenorError('cancelled', 'Cancelled.');
}

/** Rejects with a 'cancelled' error as soon as the token fires, so a slow step never outlives the person's Cancel. */
function raceCancellation<T>(promise: Promise<T>, token: vscode.CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(cancelled());
    });
    promise.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e);
      },
    );
  });
}

/** How long a step may take before a cancellable notification says what is going on. */
const PROGRESS_DELAY_MS = 700;

/**
 * Runs `task` with a status-bar spinner, and only when it takes longer than a moment (the embedded sandbox
 * starting, a large spec's example) with a notification that has a Cancel button. A snippet normally takes a
 * few milliseconds; a notification flashing up for each one would be noise.
 */
async function withDelayedProgress<T>(title: string, task: (token: vscode.CancellationToken) => Promise<T>): Promise<T> {
  const source = new vscode.CancellationTokenSource();
  const running = task(source.token);
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const sub = token.onCancellationRequested(() => source.cancel());
      return settled.finally(() => sub.dispose());
    });
  }, PROGRESS_DELAY_MS);
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => running);
  } finally {
    clearTimeout(timer);
    source.dispose();
  }
}

export class SnippetInserter {
  constructor(private readonly deps: SnippetInserterDeps) {}

  async run(rawArgs?: unknown): Promise<InsertSnippetResult | undefined> {
    const args = parseInsertArgs(rawArgs);
    const picked = args.apiId !== undefined && args.operationId !== undefined ? this.lookup(args.apiId, args.operationId) : await this.pickOperation();
    if (picked === undefined) return undefined;

    let editor: vscode.TextEditor | undefined;
    if (args.uri !== undefined) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
      const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
      // Focus the editor (from a hover link the focus is in the hover): typing must fill the first tab stop.
      editor = await vscode.window.showTextDocument(document, visible?.viewColumn === undefined ? {} : { viewColumn: visible.viewColumn });
    } else {
      editor = vscode.window.activeTextEditor;
    }

    const target = await this.chooseTarget(args.language, editor?.document);
    if (target === undefined) return undefined;

    const code = await withDelayedProgress(`Telenor: preparing a ${picked.operation.method.toUpperCase()} ${picked.operation.path} snippet…`, (token) =>
      this.generate(picked, target, args.values ?? {}, token),
    );

    if (editor === undefined) {
      const language = await this.untitledLanguage(target);
      editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language, content: '' }));
    }
    const document = editor.document;
    const documentText = document.getText();
    // Where the snippet goes, in documentText (before the imports edit below moves things).
    const insertAt = document.offsetAt(args.position ? new vscode.Position(args.position.line, args.position.character) : editor.selection.active);
    const plan = planImports(target, code.code, documentText, picked.operation);
    let at = args.position;
    if (plan.insert !== undefined) {
      const { line, character, text } = plan.insert;
      // One undo step for both edits: no stop between the imports and the snippet.
      const added = await editor.edit((b) => b.insert(new vscode.Position(line, character), text), { undoStopBefore: true, undoStopAfter: false });
      if (!added) throw new TelenorError('internal', 'The editor did not accept the imports of the snippet.', { hint: 'Make sure the file is not read-only, then try again.' });
      if (at !== undefined && line <= at.line) at = { line: at.line + (text.match(/\n/g)?.length ?? 0), character: at.character };
    }
    let location: vscode.Position | undefined;
    // A second snippet in the file would declare `response` (C#'s `client`, Go's function…) again and not compile.
    let body = documentText.trim() === '' ? plan.body : avoidNameClashes(target, plan.body, documentText, code.placeholders, insertAt);
    if (at !== undefined) {
      const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
      const placed = placeSnippet(lines, body, at, target === 'rest-client');
      location = new vscode.Position(placed.line, placed.character);
      body = placed.text;
    }
    const engine = this.deps.lazy.loadEngine();
    const snippet = new vscode.SnippetString(engine.toSnippetWithTabStops({ code: body, placeholders: code.placeholders }));
    const inserted = await editor.insertSnippet(snippet, location, { undoStopBefore: plan.insert === undefined, undoStopAfter: true });
    if (!inserted) {
      throw new TelenorError('internal', 'The editor did not accept the snippet.', { hint: 'Make sure the file is not read-only, then try again.' });
    }
    this.deps.log.info(`inserted a ${target} snippet for ${picked.operation.method.toUpperCase()} ${picked.operation.path} into ${document.uri.toString(true)}`);
    return { target, uri: document.uri.toString(), code: body };
  }

  private lookup(apiId: string, operationId: string): Picked {
    const api = this.deps.specs.api(apiId);
    const operation = this.deps.specs.operation(apiId, operationId);
    if (api === undefined || operation === undefined) {
      throw new TelenorError('input', `The operation ${operationId} is not in a loaded API (${apiId}).`, {
        hint: 'The spec may have changed or been removed: refresh the APIs view, or run Insert Request Snippet… and pick the operation.',
      });
    }
    return { api, operation };
  }

  private async pickOperation(): Promise<Picked | undefined> {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Telenor: loading APIs…' }, () => this.deps.specs.whenSettled());
    const apis = this.deps.specs.apis();
    if (apis.length === 0) {
      throw new TelenorError('input', 'No APIs are loaded, so there is no operation to write a snippet for.', {
        hint: 'Add a spec with Telenor: Add OpenAPI Spec File…, or check Telenor: Show Spec Problems.',
      });
    }
    type Item = vscode.QuickPickItem & Partial<Picked>;
    const items: Item[] = [];
    for (const api of apis) {
      items.push({ label: `${api.title} ${api.version}`, kind: vscode.QuickPickItemKind.Separator });
      for (const operation of Object.values(api.operations)) {
        const summary = operation.summary ?? operation.operationId;
        items.push({
          label: `${operation.method.toUpperCase()} ${operation.path}`,
          ...(summary ? { description: summary } : {}),
          ...(operation.deprecated ? { detail: 'Deprecated' } : {}),
          api,
          operation,
        });
      }
    }
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Insert Request Snippet: operation',
      placeHolder: 'Type to filter by method, path or summary',
      matchOnDescription: true,
    });
    return choice?.api && choice.operation ? { api: choice.api, operation: choice.operation } : undefined;
  }

  private async chooseTarget(language: string | undefined, document: vscode.TextDocument | undefined): Promise<InsertTargetId | undefined> {
    const known = this.targets();
    if (language !== undefined) {
      const target = targetFromArgument(language, known.map((t) => t.id));
      if (target === undefined) {
        throw new TelenorError('input', `Insert snippet: “${language}” is neither a snippet target nor a language with one.`, {
          hint: `Use one of ${known.map((t) => t.id).join(', ')}, or a language id such as python.`,
        });
      }
      return target;
    }
    if (document !== undefined) {
      const target = targetForDocument(document.languageId, document.fileName, document.getText());
      if (target !== undefined) return target;
    }
    const choice = await vscode.window.showQuickPick(
      known.map((t) => ({ label: t.label, description: t.id, id: t.id })),
      { title: 'Insert Request Snippet: language', placeHolder: document ? `No snippet flavour is set for ${document.languageId} files: pick one` : 'Pick the language of the snippet' },
    );
    return choice?.id;
  }

  /** The engine's targets plus REST Client, for pickers and argument checks. */
  private targets(): Array<{ id: InsertTargetId; label: string; language: string }> {
    const engine = this.deps.lazy.loadEngine();
    return [...engine.SNIPPET_TARGETS.map((t) => ({ id: t.id as InsertTargetId, label: t.label, language: t.language })), { ...REST_CLIENT_TARGET }];
  }

  private async untitledLanguage(target: InsertTargetId): Promise<string> {
    const wanted = this.targets().find((t) => t.id === target)?.language ?? 'plaintext';
    // `http` exists only when an HTTP-file extension is installed.
    return (await vscode.languages.getLanguages()).includes(wanted) ? wanted : 'plaintext';
  }

  private async generate(
    picked: Picked,
    target: InsertTargetId,
    given: GivenValues,
    token: vscode.CancellationToken,
  ): Promise<{ code: string; placeholders: Array<{ text: string; name: string }> }> {
    const { api, operation } = picked;
    const serverUrl = await raceCancellation(this.serverUrl(api, operation), token);
    let body: { text: string; mediaType: string } | undefined;
    if (operation.requestBody !== undefined && given.body === undefined) {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        const example = await this.deps.specs.catalog.example(api.id, operation.id, undefined, { signal: controller.signal });
        if (example.text !== '') body = { text: example.text, mediaType: example.mediaType };
      } finally {
        sub.dispose();
      }
    }
    if (token.isCancellationRequested) throw cancelled();

    const auth = authPlaceholders(api, operation);
    const values = snippetValues({ serverUrl, operation, given, auth, ...(body ? { body } : {}) });
    const engine = this.deps.lazy.loadEngine();
    const prepared = engine.buildRequest(operation, values.values);
    // No redactor here: its by-shape pass rewrites curl's `'Bearer '"$TELENOR_TOKEN"''` to `'***'"$TELENOR_TOKEN"''`.
    // The request holds no secret to begin with; the by-value check below refuses code that would.
    const options = { maskSecrets: true, authHeaders: auth.headers };
    const raw =
      target === 'rest-client'
        ? restClientSnippet(engine.toHar(prepared, options), `${operation.method.toUpperCase()} ${operation.path}${operation.summary ? ` — ${operation.summary}` : ''}`)
        : await engine.generateSnippet(prepared, target as SnippetTargetId, options);
    const finished = finishSnippet(raw.code, raw.placeholders, values);
    // Belt and braces: nothing above adds a secret, but a spec example could hold a registered one.
    if (this.deps.redactor.containsSecret(finished.code)) {
      throw new TelenorError('internal', 'The snippet would have contained a stored secret, so nothing was inserted.', {
        hint: 'Check the spec’s examples for credentials and remove them.',
      });
    }
    return finished;
  }

  /**
   * The active environment's URL for the operation. When it has none (Sweden's URLs come with the
   * agreement), the spec's first absolute server stands in, and the person is told which setting would fix it.
   */
  private async serverUrl(api: ApiIndex, operation: OperationInfo): Promise<string> {
    try {
      return await this.deps.environments.serverUrl(api, undefined, operation);
    } catch (e) {
      if (isTelenorError(e) && e.kind === 'cancelled') throw e;
      const fallback = [...effectiveServers(api, operation), ...api.servers].map((s) => s.url).find((u) => /^https?:\/\//i.test(u));
      if (fallback === undefined) throw e;
      this.deps.log.warn(`no environment URL for ${api.title}; the snippet uses the spec's server ${fallback}:`, e);
      void vscode.window.showWarningMessage(`${describeError(e)} The snippet uses the spec's server ${fallback} for now.`);
      return fallback;
    }
  }
}
