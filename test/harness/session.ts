/**
 * A whole test session: code-server of one VS Code version + a fresh profile + Chromium on the workbench.
 * `close()` undoes everything `openSession` did, in reverse, whatever state it got to.
 */
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { allowDevPayload, launchBrowser, workbenchUrl, type Browser, type PayloadEntry } from './browser';
import { createProfile, installVsix, removeScratch, RESTRICTED_MODE_SETTINGS, startCodeServer, type Profile, type RunningCodeServer } from './codeServer';
import { codeServerFor, ensureCodeServer, type CodeServerInstall } from './install';

export interface SessionOptions {
  root: string;
  /** `1.100` or `1.139` (see CODE_SERVERS). */
  vscode: string;
  /** Names the per-run folder under test-results/runs/. */
  label: string;
  /** Install this packaged extension, as a user would. */
  vsix?: string;
  /**
   * Load the extension (and/or tests) unpackaged through the URL payload instead; absolute paths become
   * `vscode-remote://` URIs.
   */
  payload?: readonly PayloadEntry[];
  /** Variables for code-server and so the extension host (in-host tests read these). */
  env?: Record<string, string> | ((made: { install: CodeServerInstall; profile: Profile }) => Record<string, string>);
  settings?: Record<string, unknown>;
  /** Open the workspace untrusted, in Restricted Mode (trust can then be granted in the workbench). */
  restricted?: boolean;
  workspaceFrom?: string;
  workspaceFiles?: Record<string, string>;
  /** Runs before the workbench loads: expose functions, add listeners. */
  beforeOpen?: (page: Page, profile: Profile) => Promise<void>;
  log?: (line: string) => void;
}

export interface Session {
  install: CodeServerInstall;
  profile: Profile;
  server: RunningCodeServer;
  browser: Browser;
  page: Page;
  /**
   * Closes the browser and stops code-server but keeps the scratch folder, so a test can search what they
   * left on disk (the leak scan). `close()` still removes everything afterwards.
   */
  stop(): Promise<void>;
  /**
   * As a person restarts VS Code: the browser closes, code-server stops, then both start again with the same
   * user data, browser profile and port (the origin keys the browser's storage, SecretStorage included),
   * and the workbench opens again. `server`, `browser` and `page` are the new ones afterwards.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const log = options.log ?? ((line: string) => console.log(`[harness] ${line}`));
  const install = await ensureCodeServer({ ...codeServerFor(options.vscode), log });
  const profile = createProfile({
    root: options.root,
    label: options.label,
    ...(options.settings || options.restricted ? { settings: { ...(options.restricted ? RESTRICTED_MODE_SETTINGS : {}), ...options.settings } } : {}),
    ...(options.workspaceFrom ? { workspaceFrom: options.workspaceFrom } : {}),
    ...(options.workspaceFiles ? { workspaceFiles: options.workspaceFiles } : {}),
  });
  const undo: (() => Promise<void> | void)[] = [() => removeScratch(profile)];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Keep undoing: one failed step must not leave a server or browser behind.
      }
    }
  };
  try {
    if (options.vsix) await installVsix(install, profile, options.vsix);
    const env = typeof options.env === 'function' ? options.env({ install, profile }) : options.env;
    const trust = options.restricted ? { workspaceTrust: true } : {};
    const server = await startCodeServer(install, profile, { ...trust, ...(env ? { env } : {}) });
    undo.push(() => server.stop());
    log(`code-server ${install.version} (VS Code ${install.vscodeVersion}) on ${server.url} after ${server.startMs} ms; logs in ${profile.runDir}`);
    const browser = await launchBrowser({ profileDir: profile.chromeProfile, logFile: profile.browserLog, xdgDir: join(profile.scratch, 'chrome-xdg') });
    undo.push(() => browser.close());
    const payload = options.payload ?? [];
    if (payload.length > 0) await allowDevPayload(browser.page);
    await options.beforeOpen?.(browser.page, profile);
    await browser.page.goto(workbenchUrl(server, profile.workspace, payload));
    const session: Session = {
      install,
      profile,
      server,
      browser,
      page: browser.page,
      close,
      stop: async () => {
        await session.browser.close();
        await session.server.stop();
      },
      restart: async () => {
        await session.stop();
        const port = session.server.port;
        session.server = await startCodeServer(install, profile, { ...trust, ...(env ? { env, port } : { port }) });
        undo.push(() => session.server.stop());
        log(`code-server restarted on ${session.server.url} after ${session.server.startMs} ms`);
        session.browser = await launchBrowser({ profileDir: profile.chromeProfile, logFile: profile.browserLog, xdgDir: join(profile.scratch, 'chrome-xdg') });
        undo.push(() => session.browser.close());
        session.page = session.browser.page;
        if (payload.length > 0) await allowDevPayload(session.page);
        await options.beforeOpen?.(session.page, profile);
        await session.page.goto(workbenchUrl(session.server, profile.workspace, payload));
      },
    };
    return session;
  } catch (e) {
    await close();
    throw e;
  }
}
