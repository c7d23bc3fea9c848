import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import * as vscode from 'vscode';
import { describeError, isErrorKind, TelenorError } from '../../core/errors';
import type { SpecCatalog } from '../../core/spec/catalog';
import { apiIdForSource, displayUrl, originOf } from '../../core/spec/ids';
import type { ApiIndex, LoadResult, OperationInfo, SpecProblem, SpecSource } from '../../core/spec/types';
import type { IDisposable } from '../../core/util/lifecycle';
import type { Redactor } from '../../core/util/redact';
import type { CommandTable } from '../commands';
import type { SpecEntry, SpecOrigin, SpecRegistry } from '../contracts';
import type { Log } from '../log';
import type { Settings, SettingsSnapshot } from '../settings';
import { SpecProblemsView } from './problemsView';
import { checkSpecUrl, countText, mayCarrySecrets, mergeProblems, messageWithoutPlace, secretPartsOfUrl, ORIGIN_ORDER, parseStoredSpecs, primaryOrigin, type StoredSpec } from './sources';

export interface SpecRegistryDeps {
  catalog: SpecCatalog;
  settings: Settings;
  /** Remembers the files and URLs the person added. */
  state: vscode.Memento;
  /** Added URLs that may carry a token (user-info, a query) are kept here instead of in `state`. */
  secrets: vscode.SecretStorage;
  /** Folder of the built-in specs (dist/specs). */
  builtinDir: string;
  /** The shared Redactor: the query values and user-info of added URLs are registered with it. */
  redactor: Redactor;
  log: Log;
}

const STATE_KEY = 'telenor.specs.added';
const SECRET_PREFIX = 'telenor.specs.url.';
const SPEC_FILE = /\.(json|ya?ml)$/i;
/** Editors save in bursts (write, rename, touch): one reload per burst. */
const WATCH_DEBOUNCE_MS = 250;
/** A checkout creates many folders at once: one workspace listing for all of them. */
const RESYNC_DEBOUNCE_MS = 500;
/** A workspace with more matching files than this is almost certainly matching the wrong things. */
const MAX_WORKSPACE_SPECS = 200;

/** Context keys for `when` clauses. */
export const CONTEXT_HAS_ADDED = 'telenor.hasAddedSpecs';
export const CONTEXT_HAS_PROBLEMS = 'telenor.hasSpecProblems';

/** Added origins: the ones the person can remove. */
type AddedOrigin = Extract<SpecOrigin, 'file' | 'url'>;

interface Slot {
  key: string;
  source: SpecSource;
  label: string;
  origins: Set<SpecOrigin>;
  state: SpecEntry['state'];
  /** The last good index; kept while a reload runs so the tree does not flicker. */
  api: ApiIndex | undefined;
  loadProblems: SpecProblem[];
  validationProblems: SpecProblem[];
  /** Bumped by every load and by removal: results of an older generation are dropped. */
  generation: number;
  controller: AbortController | undefined;
  /** Resolves (never rejects) when the current load has finished. */
  settled: Promise<void>;
  /** How the added spec is remembered, to forget exactly that entry on removal. */
  stored: StoredSpec | undefined;
  /** Added files are watched one by one (they may live outside the workspace). */
  fileWatcher: vscode.Disposable | undefined;
  /** Registrations of the URL's secret parts with the Redactor, let go with the slot. */
  secrets: IDisposable[];
}

/** What a command argument may name a spec by: its key, a tree node or `{apiId}`, a file Uri. */
function keyOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? apiIdForSource({ kind: 'file', path: arg.fsPath }) : undefined;
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { key?: unknown; apiId?: unknown };
    if (typeof o.key === 'string') return o.key;
    if (typeof o.apiId === 'string') return o.apiId;
  }
  return undefined;
}

/**
 * Every spec source: built-in (dist/specs), workspace files matching `telenor.specs.include` minus
 * `telenor.specs.exclude` (watched), and files and URLs the person added (remembered in globalState). Each
 * source loads on its own through the SpecCatalog's worker, so one failing spec never affects the others;
 * problems of file specs go to the Problems panel. Validation runs after loading, one spec at a time, and
 * only adds problems.
 */
export class SpecRegistryImpl implements SpecRegistry, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  readonly catalog: SpecCatalog;

  private readonly slots = new Map<string, Slot>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('telenor-specs');
  /** Registered on first use: most sessions never open a problems document. */
  private problemsView: SpecProblemsView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private workspaceWatchers: vscode.Disposable[] = [];
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; workspaceUri?: vscode.Uri }>();
  private resyncTimer: NodeJS.Timeout | undefined;
  /** Source-list changes run one after another, so a rescan never races an add or a remove. */
  private queue: Promise<void> = Promise.resolve();
  private busy = 0;
  private validations: Promise<void> = Promise.resolve();
  private snapshot: SpecEntry[] | undefined;
  private contextKeys = { added: false, problems: false };
  private lastSettings: SettingsSnapshot;
  private disposed = false;

  constructor(readonly deps: SpecRegistryDeps) {
    this.catalog = deps.catalog;
    this.lastSettings = deps.settings.current;
    this.disposables.push(
      deps.settings.onDidChange((s) => this.onSettings(s)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.enqueue(() => this.rewatchWorkspace())),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.enqueue(() => this.rewatchWorkspace())),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_ADDED, false);
    void vscode.commands.executeCommand('setContext', CONTEXT_HAS_PROBLEMS, false);
    // Discovery reads folders and asks the search service: after activation returns, not during it.
    void this.enqueue(() => this.syncAll());
    // A progress bar in the APIs view until the first listing has loaded (workspace search can take a moment).
    void vscode.window.withProgress({ location: { viewId: 'telenor.apis' } }, () => this.whenSettled());
  }

  // ---------------------------------------------------------------------------------- SpecRegistry

  entries(): readonly SpecEntry[] {
    this.snapshot ??= [...this.slots.values()].map((s) => this.toEntry(s)).sort(compareEntries);
    return this.snapshot;
  }

  apis(): readonly ApiIndex[] {
    return this.entries().flatMap((e) => (e.api ? [e.api] : []));
  }

  api(apiId: string): ApiIndex | undefined {
    return this.slots.get(apiId)?.api;
  }

  operation(apiId: string, operationId: string): OperationInfo | undefined {
    return this.api(apiId)?.operations[operationId];
  }

  async whenListed(): Promise<void> {
    await this.queue;
  }

  async whenSettled(): Promise<void> {
    for (;;) {
      await this.queue;
      const pending = [...this.slots.values()].filter((s) => s.state === 'loading').map((s) => s.settled);
      if (pending.length === 0 && this.busy === 0) return;
      await Promise.all(pending);
    }
  }

  // ---------------------------------------------------------------------------------- extras

  /** One entry by key (= API id). */
  entry(key: string): SpecEntry | undefined {
    return this.entries().find((e) => e.key === key);
  }

  /** Whether the person added this spec (so it can be removed). */
  isRemovable(key: string): boolean {
    const slot = this.slots.get(key);
    return slot !== undefined && (slot.origins.has('file') || slot.origins.has('url'));
  }

  /** Waits for every queued validation (tests, and anything that wants the full problem list). */
  async whenValidated(): Promise<void> {
    await this.whenSettled();
    await this.validations;
  }

  commands(): CommandTable {
    return {
      'telenor.refresh': () => this.refreshCommand(),
      'telenor.addSpecFile': (arg?: unknown) => this.addFileCommand(arg),
      'telenor.addSpecUrl': (arg?: unknown) => this.addUrlCommand(arg),
      'telenor.removeSpec': (arg?: unknown) => this.removeCommand(arg),
      'telenor.showSpecProblems': (arg?: unknown) => this.showProblemsCommand(arg),
    };
  }

  // ---------------------------------------------------------------------------------- discovery

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.busy++;
    const run = this.queue.then(task).catch((e) => this.deps.log.error('Spec sources could not be updated:', e));
    this.queue = run.finally(() => this.busy--);
    return this.queue;
  }

  private async syncAll(): Promise<void> {
    await this.syncBuiltin();
    await this.rewatchWorkspace();
    await this.syncAdded();
  }

  private async rewatchWorkspace(): Promise<void> {
    this.watchWorkspace();
    await this.syncWorkspace();
  }

  private async syncBuiltin(): Promise<void> {
    let sources: SpecSource[] = [];
    if (this.deps.settings.current.showBuiltin) {
      try {
        const files = (await readdir(this.deps.builtinDir)).filter((f) => SPEC_FILE.test(f)).sort();
        sources = files.map((name) => ({ kind: 'builtin', path: join(this.deps.builtinDir, name), name }));
      } catch (e) {
        this.deps.log.error(`The built-in specs (${this.deps.builtinDir}) could not be listed:`, e);
      }
    }
    this.setGroup('builtin', sources);
  }

  private async syncWorkspace(): Promise<void> {
    const s = this.deps.settings.current;
    const found = new Set<string>();
    if (vscode.workspace.isTrusted && (vscode.workspace.workspaceFolders?.length ?? 0) > 0) {
      for (const pattern of s.specsInclude) {
        const uris = await vscode.workspace.findFiles(pattern, s.specsExclude || undefined, MAX_WORKSPACE_SPECS + 1);
        for (const uri of uris) if (uri.scheme === 'file') found.add(uri.fsPath);
      }
    }
    let paths = [...found].sort();
    if (paths.length > MAX_WORKSPACE_SPECS) {
      this.deps.log.warn(`${paths.length} workspace files match telenor.specs.include; only the first ${MAX_WORKSPACE_SPECS} are loaded. Narrow the patterns.`);
      paths = paths.slice(0, MAX_WORKSPACE_SPECS);
    }
    this.setGroup('workspace', paths.map((path) => ({ kind: 'file', path })));
  }

  /** The added files and URLs, as remembered; secret URLs are read back from SecretStorage. */
  private async syncAdded(): Promise<void> {
    const byOrigin: Record<AddedOrigin, Array<{ source: SpecSource; stored: StoredSpec }>> = { file: [], url: [] };
    for (const stored of parseStoredSpecs(this.deps.state.get(STATE_KEY))) {
      if (stored.kind === 'file') byOrigin.file.push({ source: { kind: 'file', path: stored.path }, stored });
      else if ('url' in stored) byOrigin.url.push({ source: { kind: 'url', url: stored.url }, stored });
      else {
        const url = await this.deps.secrets.get(SECRET_PREFIX + stored.secretId);
        if (url) byOrigin.url.push({ source: { kind: 'url', url }, stored });
        else this.deps.log.warn(`The added spec ${stored.display} is no longer in secret storage; add it again.`);
      }
    }
    for (const origin of ['file', 'url'] as const) {
      this.setGroup(origin, byOrigin[origin].map((x) => x.source));
      for (const { source, stored } of byOrigin[origin]) {
        const slot = this.slots.get(apiIdForSource(source));
        if (slot) slot.stored = stored;
      }
    }
  }

  private watchWorkspace(): void {
    for (const w of this.workspaceWatchers) w.dispose();
    this.workspaceWatchers = [];
    if (!vscode.workspace.isTrusted) return;
    for (const pattern of this.deps.settings.current.specsInclude) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const onEvent = (uri: vscode.Uri): void => this.onFileEvent(uri, true);
      this.workspaceWatchers.push(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent));
    }
    // A folder created or deleted as a whole (git checkout, mv, rm -r) brings or takes specs without an event
    // per file the include watchers would see (a file written right after its new folder is often missed):
    // list the workspace again then.
    const any = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.workspaceWatchers.push(
      any,
      any.onDidCreate((uri) => void this.onPathCreated(uri)),
      any.onDidDelete((uri) => this.onPathDeleted(uri)),
    );
  }

  private async onPathCreated(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || this.disposed) return;
    try {
      if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) this.scheduleResync();
    } catch {
      // Gone again already: nothing to list.
    }
  }

  private onPathDeleted(uri: vscode.Uri): void {
    const prefix = uri.fsPath.endsWith(sep) ? uri.fsPath : uri.fsPath + sep;
    const inside = [...this.slots.values()].some((s) => s.origins.has('workspace') && s.source.kind === 'file' && s.source.path.startsWith(prefix));
    if (inside) this.scheduleResync();
  }

  private scheduleResync(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      void this.enqueue(() => this.syncWorkspace());
    }, RESYNC_DEBOUNCE_MS);
  }

  private onSettings(s: SettingsSnapshot): void {
    const before = this.lastSettings;
    this.lastSettings = s;
    if (before.showBuiltin !== s.showBuiltin) void this.enqueue(() => this.syncBuiltin());
    if (before.specsExclude !== s.specsExclude || JSON.stringify(before.specsInclude) !== JSON.stringify(s.specsInclude)) {
      void this.enqueue(() => this.rewatchWorkspace());
    }
  }

  /** Debounced per file; `workspace` when a workspace watcher (include pattern) saw it. */
  private onFileEvent(uri: vscode.Uri, workspace: boolean): void {
    if (uri.scheme !== 'file' || this.disposed) return;
    const key = apiIdForSource({ kind: 'file', path: uri.fsPath });
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending.timer);
    const workspaceUri = workspace ? uri : pending?.workspaceUri;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.enqueue(() => this.recheckFile(uri, workspaceUri !== undefined));
    }, WATCH_DEBOUNCE_MS);
    this.timers.set(key, workspaceUri ? { timer, workspaceUri } : { timer });
  }

  private async recheckFile(uri: vscode.Uri, workspaceEvent: boolean): Promise<void> {
    const key = apiIdForSource({ kind: 'file', path: uri.fsPath });
    const listed = workspaceEvent ? await this.isWorkspaceSpec(uri) : undefined;
    const slot = this.slots.get(key);
    if (listed === true && !slot) {
      this.addOrigin({ kind: 'file', path: uri.fsPath }, 'workspace');
      return;
    }
    if (!slot) return;
    if (listed === false && slot.origins.has('workspace')) this.dropOrigin(slot, 'workspace');
    // Still listed (a workspace spec that changed, or an added file, even a deleted one: it then shows why).
    if (this.slots.get(key) === slot) void this.load(slot);
  }

  /** Exists, in a workspace folder, and not excluded. (The watcher's pattern already matched the include.) */
  private async isWorkspaceSpec(uri: vscode.Uri): Promise<boolean> {
    if (!vscode.workspace.isTrusted) return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return false;
    }
    const relative = vscode.workspace.asRelativePath(uri, false);
    const hits = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, relative), this.deps.settings.current.specsExclude || undefined, 1);
    return hits.length > 0;
  }

  // ---------------------------------------------------------------------------------- slots

  /** Makes `origin` list exactly `sources`: new ones load, ones no longer listed lose this origin. */
  private setGroup(origin: SpecOrigin, sources: readonly SpecSource[]): void {
    const keys = new Set<string>();
    for (const source of sources) keys.add(this.addOrigin(source, origin).key);
    for (const slot of [...this.slots.values()]) {
      if (slot.origins.has(origin) && !keys.has(slot.key)) this.dropOrigin(slot, origin);
    }
  }

  private addOrigin(source: SpecSource, origin: SpecOrigin): Slot {
    const key = apiIdForSource(source);
    const existing = this.slots.get(key);
    if (existing) {
      if (!existing.origins.has(origin)) {
        existing.origins.add(origin);
        if (origin === 'file') this.watchAddedFile(existing);
        this.changed();
      }
      return existing;
    }
    const slot: Slot = {
      key,
      source,
      label: source.kind === 'url' ? displayUrl(source.url) : originOf(source),
      origins: new Set([origin]),
      state: 'loading',
      api: undefined,
      loadProblems: [],
      validationProblems: [],
      generation: 0,
      controller: undefined,
      settled: Promise.resolve(),
      stored: undefined,
      fileWatcher: undefined,
      secrets: source.kind === 'url' ? secretPartsOfUrl(source.url).map((part) => this.deps.redactor.register(part)) : [],
    };
    this.slots.set(key, slot);
    if (origin === 'file') this.watchAddedFile(slot);
    void this.load(slot);
    return slot;
  }

  private dropOrigin(slot: Slot, origin: SpecOrigin): void {
    slot.origins.delete(origin);
    if (origin === 'file') {
      slot.fileWatcher?.dispose();
      slot.fileWatcher = undefined;
    }
    if (origin === 'file' || origin === 'url') slot.stored = undefined;
    if (slot.origins.size === 0) this.removeSlot(slot);
    else this.changed();
  }

  private removeSlot(slot: Slot): void {
    slot.generation++;
    slot.controller?.abort();
    slot.fileWatcher?.dispose();
    for (const r of slot.secrets) r.dispose();
    this.slots.delete(slot.key);
    if (slot.source.kind === 'file') this.diagnostics.delete(vscode.Uri.file(slot.source.path));
    void this.catalog.unload(slot.key).catch(() => undefined);
    this.changed();
  }

  private watchAddedFile(slot: Slot): void {
    if (slot.source.kind !== 'file' || slot.fileWatcher) return;
    const path = slot.source.path;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)));
    const onEvent = (uri: vscode.Uri): void => this.onFileEvent(uri, false);
    slot.fileWatcher = vscode.Disposable.from(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent));
  }

  private load(slot: Slot): Promise<void> {
    slot.controller?.abort();
    const controller = new AbortController();
    slot.controller = controller;
    const generation = ++slot.generation;
    const current = (): boolean => !this.disposed && slot.generation === generation && this.slots.get(slot.key) === slot;
    slot.state = 'loading';
    this.changed();
    const started = performance.now();
    slot.settled = this.catalog.load(slot.source, { signal: controller.signal }).then(
      (result) => {
        if (current()) this.applyLoad(slot, result, generation, controller.signal, performance.now() - started);
      },
      (e: unknown) => {
        // Rejections are cancellations (a newer load, removal, shutdown) or a bug; only a bug is shown.
        if (!current() || isErrorKind(e, 'cancelled')) return;
        this.applyLoad(
          slot,
          { ok: false, origin: slot.label, source: slot.source, problems: [{ severity: 'error', code: 'internal', message: `${slot.label}: ${describeError(e)}` }] },
          generation,
          controller.signal,
          0,
        );
      },
    );
    return slot.settled;
  }

  private applyLoad(slot: Slot, result: LoadResult, generation: number, signal: AbortSignal, ms: number): void {
    slot.validationProblems = [];
    slot.loadProblems = result.problems;
    if (result.ok) {
      slot.state = 'loaded';
      slot.api = result.api;
      this.deps.log.info(`Loaded ${slot.label}: “${result.api.title}”, ${result.api.operationCount} operations (${Math.round(ms)} ms, ${countText(result.problems)}).`);
      if (slot.source.kind !== 'builtin') this.queueValidation(slot, generation, signal);
    } else {
      slot.state = 'failed';
      slot.api = undefined;
      this.deps.log.warn(`${slot.label} failed to load: ${result.problems[0]?.message ?? 'no reason given'}`);
    }
    this.updateDiagnostics(slot);
    this.changed();
  }

  /**
   * Validation is slow (swagger-parser) and only adds problem markers, so it runs one spec at a time
   * behind the loads. Built-in specs are validated by the project's own tests instead.
   */
  private queueValidation(slot: Slot, generation: number, signal: AbortSignal): void {
    this.validations = this.validations.then(async () => {
      if (this.disposed || signal.aborted || slot.generation !== generation) return;
      try {
        const problems = await this.catalog.validate(slot.key, { signal });
        if (this.disposed || slot.generation !== generation) return;
        // A valid spec changes nothing: no refresh (which would also close an open tooltip in the tree).
        if (problems.length === 0 && slot.validationProblems.length === 0) return;
        slot.validationProblems = problems;
        this.updateDiagnostics(slot);
        this.changed();
      } catch (e) {
        if (!isErrorKind(e, 'cancelled')) this.deps.log.warn(`Validating ${slot.label} failed:`, e);
      }
    });
  }

  private updateDiagnostics(slot: Slot): void {
    if (slot.source.kind !== 'file') return;
    const problems = mergeProblems(slot.loadProblems, slot.validationProblems);
    this.diagnostics.set(vscode.Uri.file(slot.source.path), problems.map((p) => toDiagnostic(p, slot.label)));
  }

  private toEntry(slot: Slot): SpecEntry {
    const entry: SpecEntry = {
      key: slot.key,
      source: slot.source,
      origin: primaryOrigin(slot.origins),
      label: slot.label,
      state: slot.state,
      problems: mergeProblems(slot.loadProblems, slot.validationProblems),
    };
    if (slot.api) entry.api = slot.api;
    return entry;
  }

  private changed(): void {
    if (this.disposed) return;
    this.snapshot = undefined;
    const added = [...this.slots.values()].some((s) => s.origins.has('file') || s.origins.has('url'));
    const problems = [...this.slots.values()].some((s) => s.loadProblems.length + s.validationProblems.length > 0);
    if (added !== this.contextKeys.added) void vscode.commands.executeCommand('setContext', CONTEXT_HAS_ADDED, added);
    if (problems !== this.contextKeys.problems) void vscode.commands.executeCommand('setContext', CONTEXT_HAS_PROBLEMS, problems);
    this.contextKeys = { added, problems };
    this.problemsView?.refresh();
    this.emitter.fire();
  }

  // ---------------------------------------------------------------------------------- commands

  /** Reloads everything: the source lists and every spec. Returns how many loaded and failed. */
  private async refreshCommand(): Promise<{ loaded: number; failed: number }> {
    return vscode.window.withProgress({ location: { viewId: 'telenor.apis' }, title: 'Reloading specs' }, async () => {
      await this.enqueue(async () => {
        await this.syncAll();
        for (const slot of this.slots.values()) void this.load(slot);
      });
      await this.whenSettled();
      const entries = this.entries();
      return { loaded: entries.filter((e) => e.state === 'loaded').length, failed: entries.filter((e) => e.state === 'failed').length };
    });
  }

  /** Adds spec files (a path, a Uri, a list of them, or a file dialog) and returns their keys. */
  private async addFileCommand(arg: unknown): Promise<string[] | undefined> {
    let paths: string[];
    const fromArg = (v: unknown): string | undefined => (typeof v === 'string' ? v : v instanceof vscode.Uri && v.scheme === 'file' ? v.fsPath : undefined);
    if (arg === undefined || (typeof arg === 'object' && !(arg instanceof vscode.Uri) && !Array.isArray(arg))) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Add OpenAPI Spec File',
        openLabel: 'Add Spec',
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: true,
        filters: { 'OpenAPI / Swagger (JSON, YAML)': ['json', 'yaml', 'yml'] },
      });
      if (!picked || picked.length === 0) return undefined;
      paths = picked.flatMap((u) => (u.scheme === 'file' ? [u.fsPath] : []));
    } else {
      const list = Array.isArray(arg) ? arg : [arg];
      paths = list.map(fromArg).filter((p): p is string => p !== undefined && p.trim() !== '');
      if (paths.length === 0) throw new TelenorError('input', 'Add Spec File needs a file path.', { hint: 'Pass an absolute path or a file Uri, or run the command without arguments to pick a file.' });
    }
    const keys: string[] = [];
    const stored = (): StoredSpec[] => parseStoredSpecs(this.deps.state.get(STATE_KEY));
    await this.enqueue(async () => {
      for (const path of paths) {
        const source: SpecSource = { kind: 'file', path };
        const key = apiIdForSource(source);
        keys.push(key);
        if (this.slots.get(key)?.origins.has('file')) continue;
        const entry: StoredSpec = { kind: 'file', path: source.path };
        await this.deps.state.update(STATE_KEY, [...stored(), entry]);
        this.addOrigin(source, 'file').stored = entry;
      }
    });
    await Promise.all(keys.map((k) => this.slots.get(k)?.settled));
    this.reportFailures(keys);
    return keys;
  }

  /** Adds a spec URL (argument or input box) and waits for it to load; cancel removes it again. */
  private async addUrlCommand(arg: unknown): Promise<string | undefined> {
    let url: string;
    if (typeof arg === 'string') {
      const check = checkSpecUrl(arg);
      if (!check.ok) throw new TelenorError('input', check.message, { hint: 'Pass an http(s) URL of an OpenAPI or Swagger document.' });
      url = check.url;
    } else {
      const typed = await vscode.window.showInputBox({
        title: 'Add OpenAPI Spec from URL',
        prompt: 'The http(s) URL of an OpenAPI 3 or Swagger 2 document (JSON or YAML).',
        placeHolder: 'https://example.com/openapi.yaml',
        ignoreFocusOut: true,
        validateInput: (text) => {
          const check = checkSpecUrl(text);
          return check.ok ? undefined : check.message;
        },
      });
      const check = typed === undefined ? undefined : checkSpecUrl(typed);
      if (!check?.ok) return undefined;
      url = check.url;
    }
    const source: SpecSource = { kind: 'url', url };
    const key = apiIdForSource(source);
    await this.enqueue(async () => {
      if (this.slots.get(key)?.origins.has('url')) return;
      let entry: StoredSpec = { kind: 'url', url };
      if (mayCarrySecrets(url)) {
        const secretId = randomUUID();
        await this.deps.secrets.store(SECRET_PREFIX + secretId, url);
        entry = { kind: 'url', secretId, display: displayUrl(url) };
      }
      await this.deps.state.update(STATE_KEY, [...parseStoredSpecs(this.deps.state.get(STATE_KEY)), entry]);
      this.addOrigin(source, 'url').stored = entry;
    });
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    const cancelled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Loading ${slot.label}…`, cancellable: true },
      (_progress, token) =>
        new Promise<boolean>((resolve) => {
          const sub = token.onCancellationRequested(() => resolve(true));
          void slot.settled.then(() => {
            sub.dispose();
            resolve(false);
          });
        }),
    );
    if (cancelled) {
      await this.forget(key);
      return undefined;
    }
    this.reportFailures([key]);
    return key;
  }

  private async removeCommand(arg: unknown): Promise<string | undefined> {
    let key = keyOf(arg);
    if (key === undefined) {
      const removable = this.entries().filter((e) => this.isRemovable(e.key));
      if (removable.length === 0) {
        void vscode.window.showInformationMessage('There are no added specs to remove. Built-in and workspace specs are listed by settings (telenor.specs.*).');
        return undefined;
      }
      const items = removable.map((e): vscode.QuickPickItem & { key: string } => ({
        label: e.api?.title ?? e.label,
        description: e.label,
        ...(e.source.kind === 'file' ? { detail: e.source.path } : {}),
        key: e.key,
      }));
      const picked = await vscode.window.showQuickPick(items,
        { title: 'Telenor: Remove Spec', placeHolder: 'Which added spec should no longer be listed?' },
      );
      key = picked?.key;
      if (key === undefined) return undefined;
    }
    if (!this.isRemovable(key)) {
      const entry = this.entry(key);
      throw new TelenorError('input', entry ? `${entry.label} was not added by hand, so it cannot be removed.` : 'That spec is not in the list.', {
        hint: entry?.origin === 'builtin' ? 'Hide built-in specs with the setting telenor.specs.showBuiltin.' : 'Workspace specs follow telenor.specs.include and telenor.specs.exclude.',
      });
    }
    await this.forget(key);
    return key;
  }

  /** Forgets an added spec: from globalState (and SecretStorage), and from the tree unless listed otherwise. */
  private async forget(key: string): Promise<void> {
    await this.enqueue(async () => {
      const slot = this.slots.get(key);
      if (!slot) return;
      const stored = slot.stored;
      const keep = (s: StoredSpec): boolean => {
        if ('secretId' in s) return !(stored && 'secretId' in stored && stored.secretId === s.secretId);
        return apiIdForSource(s.kind === 'file' ? { kind: 'file', path: s.path } : { kind: 'url', url: s.url }) !== key;
      };
      const list = parseStoredSpecs(this.deps.state.get(STATE_KEY)).filter(keep);
      await this.deps.state.update(STATE_KEY, list);
      if (stored && 'secretId' in stored) await this.deps.secrets.delete(SECRET_PREFIX + stored.secretId);
      for (const origin of ['file', 'url'] as const) if (slot.origins.has(origin)) this.dropOrigin(slot, origin);
    });
  }

  /** Opens the read-only problems document of a spec (asking which when no argument names one). */
  private async showProblemsCommand(arg: unknown): Promise<vscode.Uri | undefined> {
    let key = keyOf(arg);
    if (key === undefined) {
      const withProblems = this.entries().filter((e) => e.problems.length > 0);
      if (withProblems.length === 0) {
        void vscode.window.showInformationMessage('No spec has problems.');
        return undefined;
      }
      const items = withProblems.map((e): vscode.QuickPickItem & { key: string } => ({
        label: `${e.state === 'failed' ? '$(error)' : '$(warning)'} ${e.api?.title ?? e.label}`,
        description: countText(e.problems),
        detail: e.problems[0]?.message ?? '',
        key: e.key,
      }));
      const picked = await vscode.window.showQuickPick(items,
        { title: 'Telenor: Show Spec Problems', placeHolder: 'Which spec?', matchOnDetail: true },
      );
      key = picked?.key;
      if (key === undefined) return undefined;
    }
    if (!this.entry(key)) throw new TelenorError('input', 'That spec is not in the list.', { hint: 'Refresh the APIs view and try again.' });
    this.problemsView ??= new SpecProblemsView((k) => this.entry(k));
    return this.problemsView.show(key);
  }

  private reportFailures(keys: readonly string[]): void {
    for (const key of keys) {
      const entry = this.entry(key);
      if (entry?.state !== 'failed') continue;
      const show = 'Show Problems';
      void vscode.window
        .showErrorMessage(`${entry.label} failed to load: ${entry.problems[0]?.message ?? 'no reason given'}`, show)
        .then((c) => (c === show ? vscode.commands.executeCommand('telenor.showSpecProblems', key) : undefined));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.timers.clear();
    for (const slot of this.slots.values()) {
      slot.controller?.abort();
      slot.fileWatcher?.dispose();
      for (const r of slot.secrets) r.dispose();
    }
    for (const w of this.workspaceWatchers) w.dispose();
    for (const d of this.disposables) d.dispose();
    this.problemsView?.dispose();
    this.diagnostics.dispose();
    this.emitter.dispose();
  }
}

function compareEntries(a: SpecEntry, b: SpecEntry): number {
  const byOrigin = ORIGIN_ORDER.indexOf(a.origin) - ORIGIN_ORDER.indexOf(b.origin);
  if (byOrigin !== 0) return byOrigin;
  return (a.api?.title ?? a.label).localeCompare(b.api?.title ?? b.label, undefined, { sensitivity: 'base' }) || a.key.localeCompare(b.key);
}

/** The Problems panel shows file and position itself, so the message's own "file line 3, column 2:" goes. */
function toDiagnostic(p: SpecProblem, label: string): vscode.Diagnostic {
  const line = Math.max(0, (p.line ?? 1) - 1);
  const character = Math.max(0, (p.column ?? 1) - 1);
  const position = new vscode.Position(line, character);
  const message = messageWithoutPlace(p.message, label);
  const d = new vscode.Diagnostic(new vscode.Range(position, position), p.hint ? `${message}\n${p.hint}` : message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Telenor API Explorer';
  if (p.code) d.code = p.code;
  return d;
}
