/**
 * A person signs in like a person: types credentials into the "Set Credentials" quick input from the
 * palette, signs in to the Mobile Device Info API, approves on the sandbox's consent page in a real browser
 * tab (opened through openExternal: Playwright sees a new page in the same context), sees the loopback
 * success page and the token countdown in the status bar; then denies, and reads the error in VS Code.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { repoRoot, screenshotsDir } from '../harness/paths';
import { Workbench, screenshotOnFailure } from '../harness/ui';

const DEVICE_API = 'Mobile Device Info API';

describe('sign-in (UI)', function () {
  this.timeout(180_000);
  let wb: Workbench | undefined;
  let box: RunningSandbox | undefined;

  /** A screenshot of a browser tab other than the workbench, next to the workbench's own. */
  async function shot(page: Page, step: string): Promise<string> {
    const file = join(screenshotsDir(repoRoot()), `auth-${step}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  function quickInput(wbench: Workbench): ReturnType<Page['locator']> {
    return wbench.page.locator('.quick-input-widget');
  }

  /** Type into the quick input and press Enter, as a person would. */
  async function answer(wbench: Workbench, text: string, expectTitle?: RegExp): Promise<void> {
    const widget = quickInput(wbench);
    await widget.waitFor({ state: 'visible' });
    if (expectTitle) await widget.locator('.quick-input-title', { hasText: expectTitle }).waitFor({ timeout: 10_000 });
    const input = widget.locator('input').first();
    await input.fill(text);
    await wbench.page.waitForTimeout(150);
    await input.press('Enter');
  }

  /**
   * The whole text of a notification (message, buttons) while it shows: the toast if there is one, else
   * the notification centre (toasts are hidden on some builds). `step` names a screenshot taken meanwhile.
   */
  async function notificationText(wbench: Workbench, text: RegExp, step: string, timeoutMs = 30_000): Promise<string> {
    const toast = wbench.page.locator('.notification-toast', { hasText: text }).first();
    try {
      await toast.waitFor({ timeout: Math.min(timeoutMs, 15_000) });
      await wbench.screenshot(step);
      return await toast.innerText();
    } catch {
      await wbench.runCommand('Notifications: Show Notifications');
      const row = wbench.page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
      try {
        await row.waitFor({ timeout: timeoutMs });
        await wbench.screenshot(step);
        return await row.innerText();
      } finally {
        await wbench.page.keyboard.press('Escape');
      }
    }
  }

  /** The tab that VS Code's openExternal opens, once it has loaded. */
  async function nextTab(wbench: Workbench, start: () => Promise<void>): Promise<Page> {
    const opened = wbench.session.browser.context.waitForEvent('page', { timeout: 30_000 });
    await start();
    const tab = await opened;
    await tab.waitForLoadState('domcontentloaded');
    return tab;
  }

  before(async function () {
    box = await startSandbox({ port: 0, rateLimit: false });
    wb = await Workbench.open({
      label: 'auth',
      settings: { 'telenor.sandbox.url': box.url, 'telenor.environment': 'sandbox', 'security.workspace.trust.enabled': false },
    });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
    await box?.close();
  });

  it('stores Norway client credentials typed into the quick input, step by step', async function () {
    assert.ok(wb);
    await wb.runCommand('Telenor: Set Credentials…');
    await wb.page.mouse.move(700, 600); // no stale hover tooltip over the quick input's title
    const widget = quickInput(wb);
    await widget.locator('.quick-input-title', { hasText: /1\/4/ }).waitFor({ timeout: 15_000 });
    await wb.screenshot('credentials-1-environment');
    await answer(wb, 'Sandbox', /1\/4/);
    await answer(wb, 'Norway', /2\/4/);
    await widget.locator('.quick-input-title', { hasText: /3\/4/ }).waitFor();
    await widget.getByText('Min Bedrift machine user, looks like api7813371375', { exact: false }).first().waitFor();
    await wb.screenshot('credentials-3-kind');
    // Back goes to the previous step with the earlier answer still chosen; then on again.
    await widget.locator('.quick-input-titlebar').getByRole('button', { name: 'Back' }).click();
    await widget.locator('.quick-input-title', { hasText: /2\/4/ }).waitFor({ timeout: 5000 });
    assert.match(await widget.locator('.quick-input-list .monaco-list-row.focused').first().innerText(), /Norway/, 'the region chosen before is preselected');
    await widget.locator('input').first().press('Enter');
    await answer(wb, 'Client id and secret', /3\/4/);
    await answer(wb, box?.credentials.no.clientId ?? '', /Client id/);
    // The secret step: a password box, and an empty value is refused with a message.
    await widget.locator('.quick-input-title', { hasText: /Client secret/ }).waitFor();
    const input = widget.locator('input').first();
    assert.equal(await input.getAttribute('type'), 'password', 'the secret is typed into a password box');
    await input.press('Enter');
    await widget.getByText('Client secret cannot be empty.').waitFor({ timeout: 5000 });
    await input.fill(box?.credentials.no.clientSecret ?? '');
    await wb.screenshot('credentials-4-secret');
    await input.press('Enter');
    const note = await notificationText(wb, /Stored the Norway client id and secret for Sandbox/, 'credentials-stored');
    console.log(`      ${note.replace(/\s+/g, ' ')}`);
    assert.match(note, /SecretStorage/);
    assert.match(note, /Sign In Now/, 'offers to sign in right away');
  });

  it('signs in to the Mobile Device Info API: approve on the consent page in a browser tab', async function () {
    assert.ok(wb);
    await wb.openViewContainer('Telenor APIs');
    const item = wb.treeItems(new RegExp(DEVICE_API)).first();
    await item.waitFor({ timeout: 60_000 });
    await item.click(); // makes it the active API: the status bar follows it
    const status = wb.page.locator('.statusbar-item', { hasText: DEVICE_API });
    await status.waitFor({ timeout: 15_000 });
    assert.match(await status.innerText(), /Sandbox · Mobile Device Info API · signed out/);

    const tab = await nextTab(wb, () => wb!.runCommand('Telenor: Sign In…'));
    await tab.getByRole('button', { name: 'Approve' }).waitFor({ timeout: 30_000 });
    await shot(tab, 'consent-page');
    const waiting = wb.page.locator('.notification-toast', { hasText: /Waiting for you to approve access in the browser/ }).first();
    await waiting.waitFor({ timeout: 10_000 });
    // Telenor's page shows some errors itself and never calls back: the toast says how to stop waiting.
    assert.match(await waiting.innerText(), /If Telenor’s page shows an error instead, press Cancel/);
    await wb.screenshot('waiting-for-approval');
    await tab.getByRole('button', { name: 'Approve' }).click();
    await tab.getByRole('heading', { name: 'Signed in to Telenor' }).waitFor({ timeout: 30_000 });
    await shot(tab, 'loopback-success');
    await tab.close();

    const note = await notificationText(wb, /Signed in to Mobile Device Info API \(Sandbox\)/, 'signed-in');
    console.log(`      ${note.replace(/\s+/g, ' ')}`);
    await wb.page.bringToFront();
    const countdown = wb.page.locator('.statusbar-item', { hasText: /Mobile Device Info API · \d+:\d\d/ });
    await countdown.waitFor({ timeout: 15_000 });
    const first = await countdown.innerText();
    await wb.page.waitForTimeout(2200);
    const later = await wb.page.locator('.statusbar-item', { hasText: DEVICE_API }).innerText();
    console.log(`      status bar: "${first.trim()}" → "${later.trim()}"`);
    assert.notEqual(later, first, 'the countdown ticks');
    await wb.page.locator('.statusbar-item', { hasText: DEVICE_API }).hover();
    await wb.page.locator('.monaco-hover', { hasText: /Obtained/ }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await wb.screenshot('status-bar-countdown');

    // The Accounts menu lists the token as a "Telenor" account, as for any other sign-in provider.
    await wb.page.mouse.move(700, 400);
    await wb.page.getByRole('button', { name: /^Accounts/ }).first().click();
    const account = wb.page.locator('.monaco-menu .action-label', { hasText: /Sandbox · Norway authorization code/ }).first();
    await account.waitFor({ timeout: 15_000 });
    await wb.screenshot('accounts-menu');
    await wb.page.keyboard.press('Escape');
  });

  it('denying on the consent page shows what happened in the browser and in VS Code, with "Try Again"', async function () {
    assert.ok(wb);
    const tab = await nextTab(wb, () => wb!.runCommand('Telenor: Sign In…'));
    await tab.getByRole('button', { name: 'Deny' }).click({ timeout: 30_000 });
    await tab.getByRole('heading', { name: 'Consent was not given' }).waitFor({ timeout: 30_000 });
    await shot(tab, 'loopback-denied');
    await tab.close();
    await wb.page.bringToFront();
    const message = await notificationText(wb, /Consent was not given/, 'denied-error');
    console.log(`      ${message.replace(/\s+/g, ' ')}`);
    assert.match(message, /did not get access/);
    assert.match(message, /Try Again/, 'offers to try again');
    await wb.page.locator('.statusbar-item', { hasText: /Mobile Device Info API · signed out/ }).waitFor({ timeout: 10_000 });
  });
});
