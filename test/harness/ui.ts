/**
 * Helpers for UI tests (test/ui/*.ui.ts) that use the workbench the way a person does: activity bar, tree,
 * command palette, notifications, webviews, screenshots.
 *
 * The runner (test/harness/runUi.ts) picks the VS Code version and the .vsix through TAE_UI_VSCODE and
 * TAE_UI_VSIX; without a .vsix the extension is loaded unpackaged from the repo (dev payload).
 */
import { join } from 'node:path';

import type { FrameLocator, Locator, Page } from 'playwright-core';

import type { PayloadEntry } from './browser';
import { repoRoot, screenshotsDir } from './paths';
import { openSession, type Session } from './session';

export interface WorkbenchOptions {
  /** Names the run folder and the screenshots (`<label>-<step>.png`). */
  label: string;
  vscode?: string;
  vsix?: string;
  /** Without a .vsix: the unpackaged extension to load (default: the repo root). */
  extensionPath?: string;
  settings?: Record<string, unknown>;
  /** Open the workspace untrusted (Restricted Mode). */
  restricted?: boolean;
  workspaceFiles?: Record<string, string>;
  env?: Record<string, string>;
}

const READY_MS = 90_000;

export class Workbench {
  private constructor(
    readonly session: Session,
    readonly label: string,
    private readonly root: string,
    /** True when the dev payload's smoke-test flag hides notification toasts. */
    private readonly toastsHidden: boolean,
  ) {}

  get page(): Page {
    return this.session.page;
  }

  static async open(options: WorkbenchOptions): Promise<Workbench> {
    const root = repoRoot();
    const vsix = options.vsix ?? process.env['TAE_UI_VSIX'];
    const payload: PayloadEntry[] = vsix ? [] : [['extensionDevelopmentPath', options.extensionPath ?? root], ['skipWelcome', 'true']];
    const session = await openSession({
      root,
      vscode: options.vscode ?? process.env['TAE_UI_VSCODE'] ?? '1.100',
      label: `ui-${options.label}`,
      payload,
      workspaceFrom: join(root, 'test', 'fixtures', 'workspace'),
      ...(vsix ? { vsix } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.restricted ? { restricted: true } : {}),
      ...(options.workspaceFiles ? { workspaceFiles: options.workspaceFiles } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    const wb = new Workbench(session, options.label, root, payload.length > 0);
    try {
      await session.page.locator('.monaco-workbench').waitFor({ timeout: READY_MS });
      await session.page.locator('.part.activitybar').waitFor({ timeout: READY_MS });
    } catch (e) {
      await wb.screenshot('workbench-not-ready').catch(() => undefined);
      await wb.close();
      throw e;
    }
    return wb;
  }

  /** Opens an activity-bar container by its title (a `tab` role) unless it is already showing. */
  async openViewContainer(title: string): Promise<void> {
    const tab = this.page.getByRole('tab', { name: title, exact: true });
    await tab.waitFor({ timeout: READY_MS });
    // Clicking the active container's tab would close the side bar again.
    const selected = (await tab.getAttribute('aria-selected')) === 'true' || (await tab.getAttribute('aria-expanded')) === 'true';
    if (!selected) await tab.click();
    // The side bar's title names the open container (with a single view, as `TITLE: VIEW`).
    await this.sideBar().locator('.composite.title', { hasText: title }).first().waitFor({ timeout: 30_000 });
  }

  /** The side bar (primary), where view containers show their views. */
  sideBar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** Tree items in the side bar, optionally by accessible name. */
  treeItems(name?: string | RegExp): Locator {
    return name === undefined ? this.sideBar().getByRole('treeitem') : this.sideBar().getByRole('treeitem', { name });
  }

  /** The labels of the visible tree items, top to bottom. */
  async treeLabels(): Promise<string[]> {
    const labels = await this.sideBar().locator('[role="treeitem"] .label-name').allInnerTexts();
    return labels.map((l) => l.trim());
  }

  /**
   * F1, `>` + the command's title, Enter: as a person runs a command. The palette lists what was registered
   * when it opened, so while an extension is still starting the row may be missing: close and retry, as a
   * person would, until `timeoutMs`.
   */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const input = this.page.locator('.quick-input-widget input');
    // Exact title match, so "Format Document" does not pick "Format Document With…".
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.getByText(title, { exact: true }) }).first();
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ timeout: Math.max(1000, Math.min(5000, deadline - Date.now())) });
        await row.click();
        return;
      } catch (e) {
        await this.page.keyboard.press('Escape');
        if (Date.now() >= deadline) throw e;
      }
    }
  }

  /**
   * The first line of a notification containing `text`: from its toast, or from the notification centre when
   * toasts are hidden (dev payload on newer VS Code) or the toast has already gone.
   */
  async notification(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    if (!this.toastsHidden) {
      const toast = this.page.locator('.notification-toast', { hasText: text }).first();
      try {
        await toast.waitFor({ timeout: Math.min(timeoutMs, 10_000) });
        return firstLine(await toast.innerText());
      } catch {
        // Fall through to the notification centre.
      }
    }
    await this.runCommand('Notifications: Show Notifications');
    const row = this.page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    try {
      await row.waitFor({ timeout: timeoutMs });
      return firstLine(await row.innerText());
    } finally {
      await this.page.keyboard.press('Escape');
    }
  }

  /** The DOM of the active webview: VS Code's host iframe → our document in `#active-frame`. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** Saves `test-results/screenshots/<label>-<step>.png` and returns its path. */
  async screenshot(step: string): Promise<string> {
    const file = join(screenshotsDir(this.root), `${slug(this.label)}-${slug(step)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Closes the browser page and restarts code-server with the same user data, browser profile and port, then
   * waits for the workbench again: what a person sees after quitting and reopening VS Code.
   */
  async restart(): Promise<void> {
    await this.session.restart();
    await this.page.locator('.monaco-workbench').waitFor({ timeout: READY_MS });
    await this.page.locator('.part.activitybar').waitFor({ timeout: READY_MS });
  }

  /** Where this run's logs are (code-server.log, browser.log; vscode-logs/ once closed). */
  get logsDir(): string {
    return this.session.profile.runDir;
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/**
 * Registers an `afterEach` that saves a screenshot of the workbench when a test failed, and says where it
 * and the logs are. `get` returns the suite's workbench (undefined when it never opened).
 */
export function screenshotOnFailure(get: () => Workbench | undefined): void {
  afterEach(async function () {
    const wb = get();
    if (wb && this.currentTest?.state === 'failed') {
      const shot = await wb.screenshot(`${this.currentTest.title}-failure`).catch(() => undefined);
      console.log(`      screenshot: ${shot ?? '(none)'}; logs: ${wb.logsDir}`);
    }
  });
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'step';
}
