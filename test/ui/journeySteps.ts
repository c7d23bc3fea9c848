/**
 * Small steps the newcomer journeys (journey*.ui.ts) share beyond ../harness/steps.ts: resting the mouse before
 * a screenshot, pictures of parts of the window, checking a webview for horizontal overflow, and the checks a
 * snippet must pass.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';

import type { FrameLocator, Locator, Page } from 'playwright-core';

import { repoRoot, screenshotsDir } from '../harness/paths';
import { Workbench, type WorkbenchOptions, screenshotOnFailure } from '../harness/ui';

/** Every demo secret of the sandbox (docs/sandbox.md): none may ever appear in a snippet or document. */
export const DEMO_SECRETS: readonly string[] = [
  'sandbox-se-secret',
  'sandbox-jwt-password',
  'sandbox-no-secret',
  'sandbox-machine-password',
  'sandbox-no-stores-secret',
];

/** Sandbox access tokens are 28 alphanumerics (Sweden) or 54 base64url characters (Norway). */
const TOKEN_SHAPED = /[A-Za-z0-9_-]{28,}/;

/**
 * One workbench for the enclosing `describe`: opened before its tests, a screenshot (and where the logs are)
 * when one fails, closed after. Returns the workbench for the tests to use.
 */
export function workbenchSession(options: WorkbenchOptions): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    wb = await Workbench.open(options);
  });
  screenshotOnFailure(() => wb);
  after(async function () {
    await wb?.close();
  });
  return () => {
    assert.ok(wb, 'the workbench did not open');
    return wb;
  };
}

/** Moves the mouse to the empty part of the side bar and lets tooltips and fade-ins settle before a screenshot. */
export async function restMouse(wb: Workbench): Promise<void> {
  await wb.page.mouse.move(180, 640);
  await wb.page.waitForTimeout(600);
}

/** Elements of the webview wider than the page (a layout that breaks in a narrow window), as `tag.class` strings. */
export async function overflowing(view: FrameLocator): Promise<string[]> {
  return view.locator('body').evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('#app *'))) {
      const r = el.getBoundingClientRect();
      // Scrolling containers (the body view, tables) may be wide inside; what sticks out past the page is not.
      if (r.width > 0 && r.right > width + 1 && el.closest('.body-view, .headers-table, .table-scroll') === null) {
        out.push(`${el.tagName.toLowerCase()}.${el.className || '(no class)'} (right edge ${Math.round(r.right)} > ${width})`);
      }
    }
    return out.slice(0, 10);
  });
}

/** A snippet has the token as a placeholder and holds no secret: no demo secret, no token-shaped string. */
export function assertNoSecret(snippet: string, tokenPrefix?: string): void {
  for (const secret of DEMO_SECRETS) assert.ok(!snippet.includes(secret), `the snippet contains the secret ${secret}`);
  const shaped = TOKEN_SHAPED.exec(snippet);
  assert.equal(shaped, null, `the snippet holds a token-shaped string: ${shaped?.[0] ?? ''}`);
  if (tokenPrefix) assert.ok(!snippet.includes(`Bearer ${tokenPrefix}`), 'the snippet holds the live access token');
}

/** Opens a workspace file with Quick Open (Ctrl+P, type, Enter) and returns its editor. */
export async function quickOpenFile(page: Page, path: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(path);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.split('/').pop() ?? path }).first().waitFor();
  await page.keyboard.press('Enter');
  return page.locator('.editor-instance .monaco-editor').first();
}

/**
 * A screenshot of part of the window — the boxes of `parts` together, `pad` pixels around, kept inside the
 * viewport — saved as `<label>-readme-<name>.png` next to the others: the README's pictures are picked from
 * these (copied to docs/images/ by hand, so a test run never rewrites the docs).
 */
export async function partShot(wb: Workbench, name: string, parts: Locator[], pad = 16): Promise<string> {
  const boxes = [];
  for (const part of parts) {
    const box = await part.boundingBox();
    if (box) boxes.push(box);
  }
  assert.ok(boxes.length > 0, `nothing to photograph for ${name}`);
  const view = wb.page.viewportSize() ?? { width: 1280, height: 800 };
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.min(view.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const bottom = Math.min(view.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
  const file = join(screenshotsDir(repoRoot()), `${wb.label}-readme-${name}.png`);
  await wb.page.screenshot({ path: file, clip: { x, y, width: right - x, height: bottom - y } });
  return file;
}
