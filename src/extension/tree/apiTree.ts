import * as vscode from 'vscode';
import { describeError, TelenorError } from '../../core/errors';
import type { ApiSummary } from '../../core/spec/types';
import type { CommandTable } from '../commands';
import type { ActiveApi, AuthController, EnvironmentService, OperationTarget, RequestPanels, SpecRegistry } from '../contracts';
import { REGION_LABELS, type RegionSource } from '../environment/region';

/** How a tooltip says where the region came from. */
const REGION_SOURCE_WORDS: Record<RegionSource, string> = {
  override: 'your telenor.auth.overrides setting',
  'x-telenor': 'the spec’s x-telenor',
  servers: 'the spec’s servers',
  'token-url': 'the spec’s token URL',
  'x-jwt': 'the spec’s X-JWT header',
};
import type { Log } from '../log';
import { ENVIRONMENT_LABELS } from '../settings';
import {
  apiDescription,
  apiTooltip,
  locateOperation,
  methodIconName,
  operationAccessibleLabel,
  operationDescription,
  operationLabel,
  operationTooltip,
  operationChoices,
  highlightRanges,
  TreeModel,
  type ApiNode,
  type OperationNode,
  type TreeNode,
} from './model';

export interface ApiTreeDeps {
  specs: SpecRegistry;
  environments: EnvironmentService;
  auth: AuthController;
  activeApi: ActiveApi;
  panels: RequestPanels;
  log: Log;
  /** Root of the extension, for the method badge icons in media/methods. */
  extensionUri: vscode.Uri;
}

export const VIEW_ID = 'telenor.apis';
/** Context key: a filter is active (shows "Clear Filter" in the view's title bar). */
export const CONTEXT_FILTER_ACTIVE = 'telenor.filterActive';
/**
 * Context key: the sources are listed and hold no spec. The welcome view waits for it: VS Code counts a
 * tree as empty until its first rows arrive, and a welcome view that flashes up then takes the keyboard
 * focus with it when it goes ("Focus on Telenor APIs View" left the focus nowhere the first time).
 */
export const CONTEXT_NOTHING_LISTED = 'telenor.nothingListed';
/**
 * Context-menu commands of the tree that are not in COMMAND_IDS (the shared command table): registered
 * here, declared in package.json, hidden from the palette because they need a tree item.
 */
export const TREE_ITEM_COMMANDS = { copyPath: 'telenor.copyOperationPath', openSpec: 'telenor.openSpecAtOperation' } as const;

/** How long a tooltip waits for the auth profile and the server URL before showing without them. */
const TOOLTIP_WAIT_MS = 3000;
/** Registry changes come in bursts (five specs loading at once): one tree refresh per burst. */
const REFRESH_DEBOUNCE_MS = 60;

/** `{apiId, operationId}` from a command argument: a tree node, an OperationTarget, or two strings. */
function targetOf(arg: unknown, second?: unknown): OperationTarget | undefined {
  if (typeof arg === 'string' && typeof second === 'string') return { apiId: arg, operationId: second };
  if (typeof arg !== 'object' || arg === null) return undefined;
  const o = arg as { apiId?: unknown; operationId?: unknown; values?: unknown };
  if (typeof o.apiId !== 'string' || typeof o.operationId !== 'string') return undefined;
  const target: OperationTarget = { apiId: o.apiId, operationId: o.operationId };
  if (typeof o.values === 'object' && o.values !== null) target.values = o.values as NonNullable<OperationTarget['values']>;
  return target;
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The "APIs" view: API → tag → operation. The provider only maps a TreeModel (pure, rebuilt on every
 * registry or filter change) to TreeItems; tooltips that need the auth profile or the server URL are
 * filled in `resolveTreeItem`, when the person hovers.
 */
export class ApiTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly view: vscode.TreeView<TreeNode>;
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private model: TreeModel;
  private filterText = '';
  private discovered = false;
  private warmedUp = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private nothingListed = false;
  private readonly refreshedEmitter = new vscode.EventEmitter<void>();
  /** Fires after the tree's model was rebuilt (tests wait on it rather than on timers). */
  readonly onDidRefresh = this.refreshedEmitter.event;

  constructor(readonly deps: ApiTreeDeps) {
    this.model = new TreeModel([], '', false);
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changeEmitter,
      this.refreshedEmitter,
      deps.specs.onDidChange(() => this.scheduleRefresh()),
      deps.environments.onDidChange(() => {
        this.updateTitle();
        // Tooltips name where requests go: let VS Code resolve them again.
        this.refreshNow();
      }),
      // Base URLs or an auth override changed: regions and "where requests go" may read differently.
      deps.environments.onDidChangeTargets(() => this.refreshNow()),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) this.warmUp();
      }),
      this.view.onDidChangeSelection((e) => this.onSelection(e.selection)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshNow()),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_FILTER_ACTIVE, false);
    if (this.view.visible) this.warmUp();
    this.updateTitle();
    // Until the sources are listed the view shows one "looking" row, so workspace specs do not push the
    // built-in ones down a moment after they appeared.
    void deps.specs.whenListed().then(() => {
      this.discovered = true;
      this.refreshNow();
    });
  }

  // ------------------------------------------------------------------------------ TreeDataProvider

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? this.model.children(node) : this.model.roots();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'tag' || node.kind === 'operation' ? node.parent : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'status': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        if (node.reason === 'restricted') {
          item.iconPath = new vscode.ThemeIcon('shield');
          item.tooltip = 'Trust this workspace to list its OpenAPI files (telenor.specs.include). Built-in and added specs work as they are.';
          item.command = { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' };
          item.accessibilityInformation = { label: `${node.label}. Activate to manage workspace trust.` };
        } else {
          item.iconPath = new vscode.ThemeIcon('loading~spin');
        }
        return item;
      }
      case 'api':
        return this.apiItem(node);
      case 'tag': {
        const state = this.model.filtering ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
        const item = new vscode.TreeItem(node.tag, state);
        item.id = node.id;
        item.description = `${node.operationIds.length}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'telenorTag';
        item.tooltip = node.description ? new vscode.MarkdownString().appendText(node.description) : `${node.tag}: ${node.operationIds.length} operations`;
        item.accessibilityInformation = { label: `${node.tag}, ${node.operationIds.length} operations` };
        return item;
      }
      case 'operation':
        return this.operationItem(node);
    }
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind === 'operation') {
      item.tooltip = new vscode.MarkdownString(operationTooltip(node.operation, this.deps.specs.api(node.apiId)));
    } else if (node.kind === 'api') {
      item.tooltip = new vscode.MarkdownString(await this.apiTooltipMarkdown(node, token));
    }
    return item;
  }

  // ------------------------------------------------------------------------------ items

  private apiItem(node: ApiNode): vscode.TreeItem {
    const { entry } = node;
    const removable = entry.origin === 'file' || entry.origin === 'url';
    const isFile = entry.source.kind === 'file' || entry.source.kind === 'builtin';
    const flags = `${removable ? ' removable' : ''}${isFile ? ' file' : ''}${entry.problems.length > 0 ? ' problems' : ''}`;
    if (!entry.api) {
      const failed = entry.state === 'failed';
      const item = new vscode.TreeItem(entry.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = failed ? 'failed to load' : 'loading…';
      item.iconPath = failed ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : new vscode.ThemeIcon('loading~spin');
      item.tooltip = new vscode.MarkdownString(apiTooltip(entry));
      item.contextValue = `${failed ? 'telenorSpecFailed' : 'telenorSpecLoading'}${flags}`;
      if (failed) {
        item.command = { command: 'telenor.showSpecProblems', title: 'Show Spec Problems', arguments: [{ key: entry.key }] };
        const first = entry.problems[0]?.message;
        item.accessibilityInformation = { label: `${entry.label}, failed to load${first ? `: ${first}` : ''}` };
      }
      return item;
    }
    const expanded = this.model.filtering ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(entry.api.title, expanded);
    item.id = node.id;
    const region = this.deps.environments.regionOf(entry.api);
    item.description = apiDescription(entry, region ? REGION_LABELS[region.region] : undefined);
    const errors = entry.problems.some((p) => p.severity === 'error');
    item.iconPath =
      entry.problems.length > 0
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor(errors ? 'list.errorForeground' : 'list.warningForeground'))
        : new vscode.ThemeIcon(entry.origin === 'builtin' ? 'cloud' : entry.origin === 'url' ? 'globe' : 'file-code');
    item.contextValue = `telenorApi${flags}`;
    return item;
  }

  private operationItem(node: OperationNode): vscode.TreeItem {
    const op = node.operation;
    const label = operationLabel(op);
    const highlights = highlightRanges(label, this.model.terms);
    const item = new vscode.TreeItem(highlights.length > 0 ? { label, highlights } : label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = operationDescription(op);
    const icon = methodIconName(op.method, op.deprecated);
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'methods');
    item.iconPath = { light: vscode.Uri.joinPath(media, `${icon}-light.svg`), dark: vscode.Uri.joinPath(media, `${icon}-dark.svg`) };
    const source = node.parent.parent.entry.source;
    item.contextValue = `telenorOperation${source.kind === 'file' || source.kind === 'builtin' ? ' file' : ''}`;
    item.accessibilityInformation = { label: operationAccessibleLabel(op) };
    item.command = { command: 'telenor.openRequest', title: 'Open Request Panel', arguments: [{ apiId: node.apiId, operationId: node.operationId }] };
    return item;
  }

  private async apiTooltipMarkdown(node: ApiNode, token: vscode.CancellationToken): Promise<string> {
    const api = node.entry.api;
    if (!api) return apiTooltip(node.entry);
    const env = this.deps.environments.current;
    const region = this.deps.environments.regionOf(api);
    const [auth, target] = await Promise.all([
      withTimeout(
        this.deps.auth.profileFor(api).then(
          (d) => (d.profile ? `${d.profile.label}${d.source ? ` (from ${d.source})` : ''}` : 'no Telenor token needed'),
          () => undefined,
        ),
        TOOLTIP_WAIT_MS,
      ),
      withTimeout(
        this.deps.environments.serverUrl(api).then(
          (url) => `\`${url}\``,
          (e: unknown) => `not set — ${describeError(e)}`,
        ),
        TOOLTIP_WAIT_MS,
      ),
    ]);
    if (token.isCancellationRequested) return apiTooltip(node.entry);
    return apiTooltip(node.entry, {
      ...(region ? { regionLabel: `${REGION_LABELS[region.region]} (from ${REGION_SOURCE_WORDS[region.source]})` } : {}),
      ...(auth ? { auth } : {}),
      ...(target ? { target } : {}),
      environmentLabel: ENVIRONMENT_LABELS[env],
    });
  }

  // ------------------------------------------------------------------------------ refresh

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refreshNow();
    }, REFRESH_DEBOUNCE_MS);
  }

  private refreshNow(): void {
    if (this.refreshTimer) {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = undefined;
    }
    this.model = new TreeModel(this.deps.specs.entries(), this.filterText, this.discovered, !vscode.workspace.isTrusted);
    this.updateNothingListed(this.discovered && this.deps.specs.entries().length === 0);
    this.updateMessage();
    this.changeEmitter.fire();
    this.refreshedEmitter.fire();
  }

  /** The model the view shows right now (tests inspect it). */
  get current(): TreeModel {
    return this.model;
  }

  private updateTitle(): void {
    this.view.description = ENVIRONMENT_LABELS[this.deps.environments.current];
  }

  private updateNothingListed(empty: boolean): void {
    if (empty === this.nothingListed) return;
    this.nothingListed = empty;
    void vscode.commands.executeCommand('setContext', CONTEXT_NOTHING_LISTED, empty);
  }

  private updateMessage(): void {
    if (!this.model.filtering) {
      this.view.message = '';
      return;
    }
    const { operations, apis } = this.model.matchCount();
    this.view.message =
      operations === 0
        ? `No operation matches “${this.filterText}”. Clear the filter to see every API.`
        : `Filter “${this.filterText}”: ${operations} operation${operations === 1 ? '' : 's'} in ${apis} API${apis === 1 ? '' : 's'}.`;
  }

  private warmUp(): void {
    if (this.warmedUp) return;
    this.warmedUp = true;
    this.deps.specs.catalog.warmUp().catch((e: unknown) => this.deps.log.warn('The spec worker did not start:', e));
  }

  private onSelection(selection: readonly TreeNode[]): void {
    const node = selection[0];
    if (!node || node.kind === 'status') return;
    const api = this.deps.specs.api(node.kind === 'api' ? node.key : node.apiId);
    if (api) this.deps.activeApi.set(api);
  }

  // ------------------------------------------------------------------------------ commands

  commands(): CommandTable {
    return {
      'telenor.filter': (arg?: unknown) => this.filterCommand(arg),
      'telenor.clearFilter': () => this.setFilter(''),
      'telenor.openRequest': (arg?: unknown, second?: unknown) => this.openRequest(arg, second),
      [TREE_ITEM_COMMANDS.copyPath]: (node?: unknown) => this.copyPath(node),
      [TREE_ITEM_COMMANDS.openSpec]: (node?: unknown) => this.openSpecAt(node),
    };
  }

  private async filterCommand(arg: unknown): Promise<{ operations: number; apis: number } | undefined> {
    let text: string | undefined = typeof arg === 'string' ? arg : undefined;
    if (text === undefined) {
      text = await vscode.window.showInputBox({
        title: 'Filter Operations',
        prompt: 'Words to look for in the method, path, summary, operationId or tag. Every word must match. Empty clears the filter.',
        placeHolder: 'e.g. get stores',
        value: this.filterText,
        valueSelection: [0, this.filterText.length],
      });
      if (text === undefined) return undefined;
    }
    return this.setFilter(text);
  }

  private async setFilter(text: string): Promise<{ operations: number; apis: number }> {
    this.filterText = text.trim();
    await vscode.commands.executeCommand('setContext', CONTEXT_FILTER_ACTIVE, this.filterText !== '');
    this.refreshNow();
    const count = this.model.matchCount();
    if (this.model.filtering) await this.expandMatches();
    return count;
  }

  /**
   * VS Code keeps the expanded/collapsed state of an id it has seen, whatever `collapsibleState` says, so
   * matching branches are expanded explicitly.
   */
  private async expandMatches(): Promise<void> {
    for (const node of this.model.roots()) {
      if (node.kind !== 'api') continue;
      try {
        await this.view.reveal(node, { expand: 2, select: false, focus: false });
      } catch (e) {
        // The view may be closed or the node gone by a newer refresh: the filter still applies.
        this.deps.log.debug(`could not expand ${node.key}: ${describeError(e)}`);
      }
    }
  }

  private async openRequest(arg: unknown, second: unknown): Promise<OperationTarget | undefined> {
    const target = targetOf(arg, second) ?? (await this.pickOperation());
    if (!target) return undefined;
    // Only an API that is not loaded yet (a reload, a slow URL) is worth waiting for.
    if (!this.deps.specs.api(target.apiId)) await this.deps.specs.whenSettled();
    const api = this.deps.specs.api(target.apiId);
    if (!api) {
      throw new TelenorError('input', `No loaded API has the id ${target.apiId}.`, { hint: 'Pick the operation in the Telenor APIs view, or refresh it.' });
    }
    if (!api.operations[target.operationId]) {
      throw new TelenorError('input', `“${api.title}” has no operation ${target.operationId}.`, { hint: 'The spec may have changed: pick the operation again.' });
    }
    this.deps.activeApi.set(api);
    await this.deps.panels.open(target);
    return target;
  }

  /**
   * Every operation of every loaded API, searchable by method, path, summary and API. Specs still loading
   * join the list when they are ready (the picker shows it is busy until then).
   */
  private pickOperation(): Promise<OperationTarget | undefined> {
    type Item = vscode.QuickPickItem & { target?: OperationTarget };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = 'Telenor: Open Request Panel';
    pick.placeholder = 'Search by method, path, summary or API';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    const fill = (): void => {
      const items: Item[] = [];
      for (const group of operationChoices(this.deps.specs.apis())) {
        items.push({ label: group.title, kind: vscode.QuickPickItemKind.Separator });
        for (const c of group.choices) items.push({ label: c.label, description: c.description, detail: c.detail, target: { apiId: c.apiId, operationId: c.operationId } });
      }
      pick.items = items;
    };
    fill();
    pick.busy = true;
    const disposables: vscode.Disposable[] = [pick, this.deps.specs.onDidChange(fill)];
    void this.deps.specs.whenSettled().then(() => {
      pick.busy = false;
      fill();
    });
    return new Promise<OperationTarget | undefined>((resolve) => {
      disposables.push(
        pick.onDidAccept(() => {
          resolve(pick.selectedItems[0]?.target);
          pick.hide();
        }),
        pick.onDidHide(() => {
          resolve(undefined);
          for (const d of disposables) d.dispose();
        }),
      );
      pick.show();
    });
  }

  private operationOf(node: unknown): { op: OperationNode['operation']; api: ApiSummary } | undefined {
    const target = targetOf(node);
    if (!target) return undefined;
    const api = this.deps.specs.api(target.apiId);
    const op = api?.operations[target.operationId];
    return api && op ? { op, api } : undefined;
  }

  private async copyPath(node: unknown): Promise<string | undefined> {
    const found = this.operationOf(node);
    if (!found) return undefined;
    await vscode.env.clipboard.writeText(found.op.path);
    vscode.window.setStatusBarMessage(`Copied ${found.op.path}`, 3000);
    return found.op.path;
  }

  /** Opens the spec file at the operation (an API item: at its first problem, else the top). Returns the 0-based line. */
  private async openSpecAt(node: unknown): Promise<number | undefined> {
    const key = typeof node === 'object' && node !== null && typeof (node as { apiId?: unknown }).apiId === 'string' ? (node as { apiId: string }).apiId : undefined;
    const entry = key ? this.deps.specs.entries().find((e) => e.key === key) : undefined;
    const source = entry?.source;
    if (!source || (source.kind !== 'file' && source.kind !== 'builtin')) {
      throw new TelenorError('input', 'This spec is not a file.', { hint: 'Only specs loaded from a file can be opened in the editor.' });
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(source.path));
    const found = this.operationOf(node);
    // An operation: its method key. An API or a failed spec: the first problem with a place, else the top.
    const problem = entry.problems.find((p) => p.line !== undefined);
    const at = found
      ? locateOperation(doc.getText(), found.op.path, found.op.method)
      : problem?.line !== undefined
        ? { line: problem.line - 1, character: Math.max(0, (problem.column ?? 1) - 1) }
        : undefined;
    const position = new vscode.Position(at?.line ?? 0, at?.character ?? 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), preview: true });
    return position.line;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}
