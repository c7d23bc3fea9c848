/**
 * The newcomer's core path with the keyboard alone — not one click: run commands from the palette (F1),
 * focus the Telenor APIs view, arrow through the tree, Enter to open an operation, Tab through the form,
 * type a value, Ctrl+Enter to send, and read the status the panel announces (its aria-live region) and
 * the token in the status bar (its accessible name).
 */
import * as assert from 'node:assert/strict';

import type { Locator } from 'playwright-core';

import { notificationText } from '../harness/steps';
import { restMouse, workbenchSession } from './journeySteps';

describe('newcomer journey, keyboard only (UI)', function () {
  this.timeout(240_000);
  const bench = workbenchSession({ label: 'journey-keyboard', settings: {} });

  /**
   * F1, the command's title, Enter — once the palette has put the command on its focused row (while the
   * extension starts, the row can be missing: Escape and try again, as a person would).
   */
  async function palette(title: string, timeoutMs = 30_000): Promise<void> {
    const page = bench().page;
    const deadline = Date.now() + timeoutMs;
    const focused = page.locator('.quick-input-list .monaco-list-row.focused').filter({ has: page.getByText(title, { exact: true }) });
    for (;;) {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.type(title);
      try {
        await focused.first().waitFor({ timeout: 5_000 });
        await page.keyboard.press('Enter');
        return;
      } catch (e) {
        await page.keyboard.press('Escape');
        if (Date.now() >= deadline) throw e;
      }
    }
  }

  /** The tree row that has the keyboard focus. */
  function focusedRow(): Locator {
    return bench().sideBar().locator('.monaco-list-row.focused[role="treeitem"]');
  }

  /** Presses ArrowDown until the focused row's accessible name matches (at most `max` presses). */
  async function arrowTo(name: RegExp, max = 40): Promise<void> {
    const page = bench().page;
    for (let i = 0; i <= max; i++) {
      // Until the first arrow key, a freshly focused tree has no focused row.
      const label = (await focusedRow().count()) > 0 ? ((await focusedRow().first().getAttribute('aria-label')) ?? '') : '';
      if (name.test(label)) return;
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(60);
    }
    const at = (await focusedRow().count()) > 0 ? await focusedRow().first().getAttribute('aria-label') : null;
    assert.fail(`ArrowDown never reached a row named ${String(name)}; the focus is on “${at ?? 'nothing'}”`);
  }

  /** Expands the focused row with ArrowRight and waits until it says so. */
  async function expandFocused(): Promise<void> {
    const page = bench().page;
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('.part.sidebar .monaco-list-row.focused[role="treeitem"]')?.getAttribute('aria-expanded') === 'true', undefined, { timeout: 10_000 });
  }

  it('stores the demo credentials, focuses the view, arrows to an operation and opens it with Enter', async function () {
    const w = bench();
    const page = w.page;
    // Nothing below may click: the mouse only rests out of the way so no hover covers a screenshot.
    await restMouse(w);
    await palette('Telenor: Use Sandbox Demo Credentials');
    await notificationText(w, /Stored the sandbox demo credentials/);
    await w.screenshot('kb-01-demo-credentials');

    await palette('Telenor APIs: Focus on Telenor APIs View');
    const api = /^Telenor Stores API\b/;
    // The keyboard focus is in the tree (the rows fill in as the specs load); ArrowDown walks it.
    await page.waitForFunction(() => document.activeElement?.closest('.part.sidebar .monaco-list') != null, undefined, { timeout: 15_000 });
    await w.sideBar().getByRole('treeitem', { name: api }).first().waitFor({ timeout: 60_000 });
    await arrowTo(api);
    await expandFocused();
    await page.keyboard.press('ArrowDown');
    await arrowTo(/^Stores\b/);
    await expandFocused();
    await arrowTo(/^GET \/stores\/\{storeId\}/);
    await w.screenshot('kb-02-tree-focused');
    await page.keyboard.press('Enter');
    await w.webview().locator('#send').waitFor({ timeout: 60_000 });
  });

  it('Tab reaches the parameter, Ctrl+Enter sends, and the status is announced', async function () {
    const w = bench();
    const page = w.page;
    const v = w.webview();
    await v.locator('#token-state').waitFor({ timeout: 30_000 });
    const field = v.getByLabel(/storeId/);
    // Enter from the tree moves the focus into the panel; Tab walks its controls to the field.
    let tabs = 0;
    while (!(await field.evaluate((el) => el === document.activeElement).catch(() => false))) {
      assert.ok(tabs < 15, 'Tab never reached the storeId field');
      await page.keyboard.press('Tab');
      tabs++;
    }
    console.log(`      the field after ${tabs} Tab presses`);
    await page.keyboard.type('1001');
    assert.equal(await field.inputValue(), '1001');
    await w.screenshot('kb-03-field-typed');
    await page.keyboard.press('Control+Enter');

    const live = v.locator('#response-status');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    assert.equal(await live.getAttribute('role'), 'status');
    await live.locator('.status').waitFor({ timeout: 60_000 });
    const announced = (await live.innerText()).replace(/\s+/g, ' ').trim();
    console.log(`      live region: "${announced}"; aria-label: "${(await live.getAttribute('aria-label')) ?? ''}"`);
    assert.match(announced, /^200 OK · \d+ ms · \d+ B$/);
    assert.match((await live.getAttribute('aria-label')) ?? '', /^Response 200 OK, \d+ ms/);
    await v.locator('.body-view').getByText('"1001"').first().waitFor({ timeout: 10_000 });
    // The focus stayed where the person was typing: another Ctrl+Enter sends again.
    assert.ok(await field.evaluate((el) => el === document.activeElement), 'the focus left the field after sending');

    // The token, as a screen reader reads the status bar item.
    const token = page.getByRole('button', { name: /Telenor Stores API/ }).filter({ hasText: /\d+:\d\d/ }).first();
    await token.waitFor({ timeout: 15_000 });
    console.log(`      status bar: "${(await token.getAttribute('aria-label')) ?? ''}"`);
    assert.match((await token.getAttribute('aria-label')) ?? '', /Telenor Stores API/);
    await w.screenshot('kb-04-sent');
  });
});
