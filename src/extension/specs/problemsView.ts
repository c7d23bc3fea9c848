import * as vscode from 'vscode';
import { displayUrl } from '../../core/spec/ids';
import type { SpecSource } from '../../core/spec/types';
import type { SpecEntry } from '../contracts';
import { problemReport, type ProblemReport } from './sources';

export const PROBLEMS_SCHEME = 'telenor-spec-problems';

function filePath(source: SpecSource): string | undefined {
  return source.kind === 'file' || source.kind === 'builtin' ? source.path : undefined;
}

/**
 * The read-only "Problems of <spec>" document: works for every kind of spec (URL specs have no file the
 * Problems panel could point at), keeps itself up to date while open, and links each position to the spec
 * file when there is one.
 */
export class SpecProblemsView implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly lookup: (key: string) => SpecEntry | undefined) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(PROBLEMS_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: PROBLEMS_SCHEME }, this),
    ];
  }

  uriFor(entry: SpecEntry): vscode.Uri {
    // The path is what the tab shows; the key (which may hold a path or URL) travels in the query.
    const name = entry.label.replace(/[\\/:*?"<>|]+/g, '_');
    return vscode.Uri.from({ scheme: PROBLEMS_SCHEME, path: `/Problems of ${name}`, query: new URLSearchParams({ key: entry.key }).toString() });
  }

  async show(key: string): Promise<vscode.Uri | undefined> {
    const entry = this.lookup(key);
    if (!entry) return undefined;
    const uri = this.uriFor(entry);
    let doc = await vscode.workspace.openTextDocument(uri);
    // The name ends like the spec (`….yaml`), which would make VS Code treat the report as YAML.
    if (doc.languageId !== 'plaintext') doc = await vscode.languages.setTextDocumentLanguage(doc, 'plaintext');
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri;
  }

  /** Re-renders every open problems document (called when any spec changes). */
  refresh(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === PROBLEMS_SCHEME) this.emitter.fire(doc.uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.report(uri)?.text ?? 'This spec is no longer listed in the Telenor APIs view.';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const entry = this.entryOf(doc.uri);
    const path = entry && filePath(entry.source);
    const report = this.report(doc.uri);
    if (!path || !report) return [];
    return report.links.map((l) => {
      const link = new vscode.DocumentLink(
        new vscode.Range(l.reportLine, l.start, l.reportLine, l.end),
        // `#L<line>,<column>` is how VS Code's opener selects a position in a file link.
        vscode.Uri.file(path).with({ fragment: `L${l.line},${l.column}` }),
      );
      link.tooltip = 'Go to this place in the spec';
      return link;
    });
  }

  private entryOf(uri: vscode.Uri): SpecEntry | undefined {
    const key = new URLSearchParams(uri.query).get('key');
    return key === null ? undefined : this.lookup(key);
  }

  private report(uri: vscode.Uri): ProblemReport | undefined {
    const entry = this.entryOf(uri);
    if (!entry) return undefined;
    const path = filePath(entry.source);
    const location = path ?? (entry.source.kind === 'url' ? displayUrl(entry.source.url) : entry.label);
    return problemReport({ label: entry.api?.title ?? entry.label, origin: entry.label, location, state: entry.state, problems: entry.problems }, path !== undefined);
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    this.emitter.dispose();
  }
}
