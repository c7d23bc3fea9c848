/**
 * Hover, snippets and docs: shows the Telenor operation behind a URL in application code (and in specs),
 * owns `telenor.insertSnippet` and `telenor.openDocs`.
 *
 * The hover is on the typing path, so it stays cheap: the operation index is rebuilt when specs or
 * settings change, never per hover; a hover reads one line (plus a few below for a `method:` option) and
 * never loads the engine bundle.
 */
import * as vscode from 'vscode';
import { TelenorError } from '../../core/errors';
import type { Redactor } from '../../core/util/redact';
import type { ActiveApi, EnvironmentService, RequestPanels, SpecRegistry } from '../contracts';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import { DEFAULT_BASE_URLS, type Settings } from '../settings';
import type { CommandTable } from '../commands';
import { SnippetInserter } from '../snippets/inserter';
import { docsFor, PORTALS, type DocLink, type Region } from './docs';
import { HOVER_COMMANDS, renderHover } from './hoverContent';
import { OperationIndex } from './operationIndex';
import { methodHint, urlCandidateAt } from './urlToken';

export interface HoverDeps {
  specs: SpecRegistry;
  panels: RequestPanels;
  lazy: LazyModules;
  settings: Settings;
  log: Log;
  environments: EnvironmentService;
  activeApi: ActiveApi;
  redactor: Redactor;
}

/** Application languages plus specs; `.http`/`.rest` by pattern, since no extension may own `http`. */
export const HOVER_SELECTOR: vscode.DocumentSelector = [
  ...[
    'typescript',
    'typescriptreact',
    'javascript',
    'javascriptreact',
    'python',
    'shellscript',
    'java',
    'csharp',
    'go',
    'http',
    'yaml',
    'json',
    'jsonc',
  ].map((language) => ({ language })),
  { pattern: '**/*.http' },
  { pattern: '**/*.rest' },
];

const SPEC_LANGUAGES = new Set(['yaml', 'json', 'jsonc']);
/** Lines below the URL searched for a `method: '…'` option of a multi-line call. */
const FOLLOWING_LINES = 4;

export class HoverFeature implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private index: OperationIndex;
  private readonly inserter: SnippetInserter;

  constructor(readonly deps: HoverDeps) {
    this.index = this.buildIndex();
    this.inserter = new SnippetInserter(deps);
    this.disposables.push(
      deps.specs.onDidChange(() => this.rebuild()),
      deps.settings.onDidChange(() => this.rebuild()),
      vscode.languages.registerHoverProvider(HOVER_SELECTOR, { provideHover: (d, p, t) => this.provideHover(d, p, t) }),
    );
  }

  commands(): CommandTable {
    return {
      'telenor.insertSnippet': (args?: unknown) => this.inserter.run(args),
      'telenor.openDocs': (args?: unknown) => this.openDocs(args),
    };
  }

  /** The current index (tests check that it follows the loaded specs). */
  get operationIndex(): OperationIndex {
    return this.index;
  }

  private rebuild(): void {
    try {
      this.index = this.buildIndex();
    } catch (e) {
      // A malformed index entry must not take the hover down for every other API.
      this.deps.log.error('hover: rebuilding the operation index failed:', e);
    }
  }

  private buildIndex(): OperationIndex {
    const s = this.deps.settings.current;
    const urls = [s.sandboxUrl];
    for (const env of ['test', 'production'] as const) {
      for (const region of ['se', 'no'] as const) {
        const u = s.environments[env]?.[region] ?? DEFAULT_BASE_URLS[env][region];
        if (u !== undefined) urls.push(u);
      }
    }
    return new OperationIndex(this.deps.specs.apis(), urls.filter((u) => u !== ''));
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    if (!this.deps.settings.current.hoverEnabled) return undefined;
    const index = this.index;
    if (index.isEmpty) return undefined;
    const line = document.lineAt(position.line).text;
    const candidate = urlCandidateAt(line, position.character, index.knownHosts);
    if (candidate === undefined || token.isCancellationRequested) return undefined;
    const following: string[] = [];
    for (let i = position.line + 1; i < Math.min(document.lineCount, position.line + 1 + FOLLOWING_LINES); i++) following.push(document.lineAt(i).text);
    const hits = index.find(candidate, methodHint(line, candidate, following));
    if (hits.length === 0 || token.isCancellationRequested) return undefined;

    const markdown = new vscode.MarkdownString(
      renderHover(hits, {
        uri: document.uri.toString(),
        insertAt: { line: position.line + 1, character: 0 },
        query: candidate.query,
        allowInsert: !SPEC_LANGUAGES.has(document.languageId),
        hasDocs: (api, op) => docsFor(api, op).open !== undefined,
      }),
    );
    // Links may run our own commands and nothing else.
    markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    return new vscode.Hover(markdown, new vscode.Range(position.line, candidate.start, position.line, candidate.end));
  }

  /**
   * Opens Telenor's page for an API (`{ apiId, operationId? }`, default: the active API) or a region's
   * portal (`{ region: 'no' | 'se' }`); asks when it cannot tell. Returns the page and whether the
   * browser took it (a person may refuse VS Code's "open the external website?" prompt).
   */
  private async openDocs(raw?: unknown): Promise<{ url: string; opened: boolean } | undefined> {
    const args = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    let link: DocLink | undefined;
    if (args['region'] !== undefined) {
      const region = args['region'];
      if (region !== 'no' && region !== 'se') {
        throw new TelenorError('input', `Open docs: region must be "no" or "se", not ${JSON.stringify(region)}.`, { hint: 'Leave it out to choose.' });
      }
      link = PORTALS[region as Region];
    } else {
      const apiId = typeof args['apiId'] === 'string' ? args['apiId'] : undefined;
      const api = apiId !== undefined ? this.deps.specs.api(apiId) : this.deps.activeApi.current;
      if (apiId !== undefined && api === undefined) {
        throw new TelenorError('input', `Open docs: no loaded API has the id ${apiId}.`, { hint: 'Refresh the APIs view, or run the command without arguments.' });
      }
      const operationId = typeof args['operationId'] === 'string' ? args['operationId'] : undefined;
      const operation = api !== undefined && operationId !== undefined ? this.deps.specs.operation(api.id, operationId) : undefined;
      const answer = docsFor(api, operation);
      link = answer.open;
      if (link === undefined) {
        const choice = await vscode.window.showQuickPick(
          answer.choices.map((c) => ({ label: c.label, detail: c.detail, link: c })),
          { title: 'Open Telenor Developer Docs', placeHolder: api ? `Which page for ${api.title}?` : 'Which portal?', matchOnDetail: true },
        );
        link = choice?.link;
      }
    }
    if (link === undefined) return undefined;
    const url = link.url;
    let opened = false;
    try {
      opened = await vscode.env.openExternal(vscode.Uri.parse(url, true));
    } catch (e) {
      // A refused "open the external website?" prompt, or no browser to hand the link to.
      this.deps.log.warn(`docs: could not open ${url}:`, e);
    }
    this.deps.log.info(`docs: ${opened ? 'opened' : 'did not open'} ${url}`);
    if (!opened) {
      void vscode.window.showWarningMessage(`The browser did not open ${url}.`, 'Copy Link').then((choice) => {
        if (choice === 'Copy Link') void vscode.env.clipboard.writeText(url);
      });
    }
    return { url, opened };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
