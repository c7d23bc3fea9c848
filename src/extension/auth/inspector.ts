import * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import type { AuthControllerImpl } from './controller';
import { renderInspector, type InspectorGroup } from './format';

export const INSPECTOR_SCHEME = 'telenor-inspector';
/** One read-only markdown document; the `.md` gives it markdown highlighting and preview. */
export const INSPECTOR_URI = vscode.Uri.from({ scheme: INSPECTOR_SCHEME, path: '/Telenor Token Inspector.md' });

export interface TokenInspectorDeps {
  auth: Pick<AuthControllerImpl, 'onDidExchange' | 'onDidChangeToken' | 'exchanges' | 'heldTokens' | 'apiTitlesFor' | 'knownProfile'>;
  redactor: Redactor;
}

/**
 * The token inspector: a virtual document (TextDocumentContentProvider, so VS Code keeps it read-only)
 * with the last token exchanges per API, newest first, as http-like text, plus the current token's and
 * X-JWT's expiry. Records arrive masked from the auth service; the whole text goes through the shared
 * Redactor once more before VS Code sees it.
 */
export class TokenInspector implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly deps: TokenInspectorDeps) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(INSPECTOR_SCHEME, this),
      deps.auth.onDidExchange(() => this.refreshSoon()),
      deps.auth.onDidChangeToken(() => this.refreshSoon()),
    );
  }

  /** The document's text now (also what tests read). */
  render(now = Date.now()): string {
    const groups: InspectorGroup[] = this.deps.auth.heldTokens().map((h) => ({
      environment: h.environment,
      profileId: h.profile.id,
      profileLabel: h.profile.label,
      apiTitles: this.deps.auth.apiTitlesFor(h.environment, h.profile.id),
      token: {
        obtainedAt: h.token.obtainedAt,
        expiresAt: h.token.expiresAt,
        ...(h.token.jwt ? { jwtExpiresAt: h.token.jwt.expiresAt } : {}),
        ...(h.token.scope ? { scope: h.token.scope } : {}),
      },
    }));
    // Profiles that only have records (a failed sign-in, a signed-out token) still get their API titles.
    for (const r of this.deps.auth.exchanges()) {
      if (!groups.some((g) => g.environment === r.environment && g.profileId === r.profileId)) {
        groups.push({
          environment: r.environment,
          profileId: r.profileId,
          profileLabel: this.deps.auth.knownProfile(r.environment, r.profileId)?.label ?? r.profileId,
          apiTitles: this.deps.auth.apiTitlesFor(r.environment, r.profileId),
        });
      }
    }
    return this.deps.redactor.redact(renderInspector(groups, this.deps.auth.exchanges(), now));
  }

  provideTextDocumentContent(): string {
    return this.render();
  }

  /** A sign-in makes several exchanges in a row: redraw once after the burst. */
  private refreshSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.emitter.fire(INSPECTOR_URI);
    }, 150);
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
