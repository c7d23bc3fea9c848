/**
 * What a person does in the Telenor UI, as reusable steps for the UI tests that need several of them in a
 * row (the leak scan, hardening, nothing-lost walks): type credentials into the quick input, sign in from
 * the palette (approving on the consent page in a browser tab), open an operation from the tree, read a
 * notification. Built on ./ui.ts; every step waits for what a person would wait for.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

import type { Workbench } from './ui';

export interface CredentialAnswers {
  /** Labels as the quick input shows them. */
  environment: 'Sandbox' | 'Test' | 'Production';
  region: 'Sweden' | 'Norway';
  kind: 'Consumer key and secret' | 'Client id and secret' | 'Machine user (password grant)' | 'X-JWT credentials (Communication APIs)';
  /** Field values in the order the steps ask for them. */
  fields: string[];
}

export function quickInput(wb: Workbench): Locator {
  return wb.page.locator('.quick-input-widget');
}

/** Types into the quick input and presses Enter, once the step titled `expectTitle` shows. */
export async function answer(wb: Workbench, text: string, expectTitle?: RegExp): Promise<void> {
  const widget = quickInput(wb);
  await widget.waitFor({ state: 'visible' });
  if (expectTitle) await widget.locator('.quick-input-title', { hasText: expectTitle }).waitFor({ timeout: 10_000 });
  const input = widget.locator('input').first();
  await input.fill(text);
  // The list filters as it is typed; Enter before it settles would pick the old first row.
  await wb.page.waitForTimeout(200);
  await input.press('Enter');
}

/** "Telenor: Set Credentials…" from the palette, every step answered by typing, as a person does. */
export async function setCredentialsByHand(wb: Workbench, a: CredentialAnswers): Promise<void> {
  await wb.runCommand('Telenor: Set Credentials…');
  await wb.page.mouse.move(700, 600); // no stale hover tooltip over the quick input's title
  await answer(wb, a.environment, /1\/4/);
  await answer(wb, a.region, /2\/4/);
  await answer(wb, a.kind, /3\/4/);
  for (let i = 0; i < a.fields.length; i++) {
    // The field steps continue the count (`(4/5)`); older builds numbered them apart (`(1 of 2)`).
    await answer(wb, a.fields[i] ?? '', new RegExp(`\\((${4 + i}/\\d+|${i + 1} of ${a.fields.length})\\)`));
  }
  await notificationText(wb, /Stored the .* in VS Code’s SecretStorage/);
}

/**
 * The whole text of a notification (message and buttons): the toast if there is one, else the notification
 * centre (toasts are hidden on some builds). Leaves the centre closed.
 */
export async function notificationText(wb: Workbench, text: RegExp, timeoutMs = 30_000): Promise<string> {
  const toast = wb.page.locator('.notification-toast', { hasText: text }).first();
  try {
    await toast.waitFor({ timeout: Math.min(timeoutMs, 15_000) });
    return await toast.innerText();
  } catch {
    await wb.runCommand('Notifications: Show Notifications');
    const row = wb.page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    try {
      await row.waitFor({ timeout: timeoutMs });
      return await row.innerText();
    } finally {
      await wb.page.keyboard.press('Escape');
    }
  }
}

/** Clears every notification (so the next wait cannot find an old one). */
export async function clearNotifications(wb: Workbench): Promise<void> {
  await wb.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
}

/** The tab VS Code's openExternal opens while `start` runs, once it has loaded. */
export async function nextTab(wb: Workbench, start: () => Promise<void>): Promise<Page> {
  const opened = wb.session.browser.context.waitForEvent('page', { timeout: 30_000 });
  await start();
  const tab = await opened;
  await tab.waitForLoadState('domcontentloaded');
  return tab;
}

/** Clicks an API in the tree (it becomes the active API: the status bar and Sign In follow it). */
export async function selectApi(wb: Workbench, title: string): Promise<void> {
  await wb.openViewContainer('Telenor APIs');
  const item = wb.treeItems(new RegExp(`^${title.replace(/[()]/g, '\\$&')}`)).first();
  await item.waitFor({ timeout: 60_000 });
  await item.click();
}

/**
 * Signs in to an API from the palette. For the authorization-code grant the consent page opens in a tab:
 * Approve, wait for the loopback page, close the tab. Returns the notification that followed.
 */
export async function signInByHand(wb: Workbench, apiTitle: string, options: { consent?: boolean; expect?: RegExp } = {}): Promise<string> {
  await selectApi(wb, apiTitle);
  if (options.consent) {
    const tab = await nextTab(wb, () => wb.runCommand('Telenor: Sign In…'));
    await tab.getByRole('button', { name: 'Approve' }).click({ timeout: 30_000 });
    await tab.getByRole('heading', { name: 'Signed in to Telenor' }).waitFor({ timeout: 30_000 });
    await tab.close();
    await wb.page.bringToFront();
  } else {
    await wb.runCommand('Telenor: Sign In…');
  }
  return notificationText(wb, options.expect ?? new RegExp(`Signed in to ${apiTitle.replace(/[()]/g, '\\$&')}`), 45_000);
}

/** Expands an API and its tag in the tree and clicks the operation; returns the panel's webview once it can send. */
export async function openFromTree(wb: Workbench, apiTitle: string, tag: string | RegExp, operation: RegExp, options: { keepEditors?: boolean } = {}): Promise<FrameLocator> {
  // One webview at a time: `wb.webview()` finds the first ready webview, which could be another panel's.
  if (!options.keepEditors) await wb.runCommand('View: Close All Editors');
  await wb.openViewContainer('Telenor APIs');
  const api = wb.treeItems(apiTitle).first();
  await api.waitFor({ timeout: 60_000 });
  if ((await api.getAttribute('aria-expanded')) !== 'true') await api.click();
  const tagItem = wb.treeItems(tag).first();
  await tagItem.waitFor({ timeout: 30_000 });
  if ((await tagItem.getAttribute('aria-expanded')) !== 'true') await tagItem.click();
  const op = wb.treeItems(operation).first();
  await op.waitFor({ timeout: 30_000 });
  await op.click();
  const view = wb.webview();
  await view.locator('#send').waitFor({ timeout: 60_000 });
  // The form is drawn once `init` arrives; Send before then would be lost.
  await view.locator('#server-row code, #server-row').first().waitFor({ timeout: 30_000 });
  return view;
}

/**
 * Presses Send and waits for the outcome line to leave "Sending…" (a status such as `200 OK · …`, or
 * `Not sent: …`); returns its text.
 */
export async function sendAndWait(view: FrameLocator, timeoutMs = 45_000): Promise<string> {
  const status = view.locator('#response-status');
  const before = (await status.innerText()).trim();
  await view.getByRole('button', { name: 'Send' }).click();
  const deadline = Date.now() + timeoutMs;
  let sawSending = false;
  for (;;) {
    const text = (await status.innerText()).trim();
    if (text.startsWith('Sending')) sawSending = true;
    // A send that answers at once may never show "Sending…" between two polls: a changed line counts too.
    else if (text && (sawSending || text !== before) && !text.startsWith('Not sent yet')) return text;
    if (Date.now() > deadline) throw new Error(`no outcome after ${timeoutMs} ms (status: "${text}")`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
