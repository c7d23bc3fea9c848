/**
 * Headless Chromium (Debian's package, driven by playwright-core) pointed at a code-server workbench.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { TelenorError } from '../../src/core/errors';
import type { RunningCodeServer } from './codeServer';

/** Flags that keep Chromium from phoning home or needing a GPU, a sandbox or a big /dev/shm in containers. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** A fresh, empty folder: persistent context = our own --user-data-dir, never the person's profile. */
  profileDir: string;
  /** Console messages and page errors are appended here. */
  logFile: string;
  /** A scratch folder for Chromium's XDG config/cache (crash reports…), which would otherwise land in ~/.config. */
  xdgDir: string;
  env?: NodeJS.ProcessEnv;
}

export async function launchBrowser(options: LaunchOptions): Promise<Browser> {
  const env = options.env ?? process.env;
  const executablePath = env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new TelenorError('internal', `No Chromium at ${executablePath}.`, {
      hint: 'Install it (apt-get install chromium) or set CHROMIUM_PATH.',
    });
  }
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(options.profileDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      env: { ...env, XDG_CONFIG_HOME: join(options.xdgDir, 'config'), XDG_CACHE_HOME: join(options.xdgDir, 'cache') },
      viewport: { width: 1280, height: 800 },
    });
  } catch (e) {
    throw new TelenorError('internal', `Chromium did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, {
      hint: `Check ${executablePath} runs (missing libraries?).`,
      cause: e,
    });
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const write = (line: string) => appendFileSync(options.logFile, `${new Date().toISOString()} ${line}\n`);
  page.on('console', (m) => write(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => write(`[pageerror] ${e.message}`));
  page.on('crash', () => write('[crash] the page crashed'));
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
    },
  };
}

/**
 * VS Code 1.139 (not 1.100) ignores the URL payload's extensionDevelopmentPath / extensionTestsPath in a built
 * product unless `developmentOptions.enableSmokeTestDriver` is set, and code-server rejects the server flag
 * for it. So the workbench is handed a patched copy of its configuration meta tag as it reads it. (Rewriting
 * the HTML through page.route instead makes Chromium treat the page as non-local and block its websockets.)
 * Side effect of that flag: notification toasts are hidden; read the notification centre instead.
 */
export async function allowDevPayload(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const original = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (this: Element, name: string): string | null {
      const value = original.call(this, name);
      if (value && name === 'data-settings' && this.id === 'vscode-workbench-web-configuration') {
        const config = JSON.parse(value) as { developmentOptions?: Record<string, unknown> };
        config.developmentOptions = { ...config.developmentOptions, enableSmokeTestDriver: true };
        return JSON.stringify(config);
      }
      return value;
    };
  });
}

/** One `?payload=` entry; absolute paths are turned into `vscode-remote://` URIs on `server`. */
export type PayloadEntry = readonly [key: string, value: string];

/**
 * The workbench URL for `folder`. Paths in the payload become `vscode-remote://<authority><path>` so the
 * extension and the test module load into the server's Node extension host, not a browser worker.
 */
export function workbenchUrl(server: Pick<RunningCodeServer, 'url' | 'authority'>, folder: string, payload: readonly PayloadEntry[] = []): string {
  const url = new URL(`${server.url}/`);
  url.searchParams.set('folder', folder);
  if (payload.length > 0) {
    const remote = payload.map(([k, v]) => [k, v.startsWith('/') ? `vscode-remote://${server.authority}${v}` : v]);
    url.searchParams.set('payload', JSON.stringify(remote));
  }
  return url.toString();
}
