/**
 * A person opens a sample file of their app, rests the mouse on a Telenor URL, reads the hover, clicks
 * Insert snippet and sees the call written below; then opens the Get started walkthrough.
 */
import * as assert from 'node:assert/strict';

import type { Locator, Page } from 'playwright-core';

import { Workbench, screenshotOnFailure } from '../harness/ui';

/** Opens a workspace file the way a person does (Quick Open, type, Enter) and returns the editor. */
async function quickOpen(page: Page, path: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(path);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.split('/').pop() ?? path }).first().waitFor();
  await page.keyboard.press('Enter');
  return page.locator('.editor-instance .monaco-editor').first();
}

describe('hover and snippets (UI)', function () {
  let wb: Workbench | undefined;

  before(async function () {
    // Telenor's test environment: the snippet gets its public Norway URL, and no sandbox has to start.
    wb = await Workbench.open({ label: 'hover', settings: { 'telenor.environment': 'test', 'editor.hover.delay': 200 } });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
  });

  it('shows the operation when the mouse rests on a URL, and Insert snippet writes the call', async function () {
    assert.ok(wb);
    const page = wb.page;
    const editor = await quickOpen(page, 'app/client.ts');
    const line = editor.locator('.view-line', { hasText: 'ACCOUNT_URL' });
    await line.waitFor({ timeout: 30_000 });

    // The built-in specs load in the background: hover until our hover shows up. The line's spans are
    // re-rendered as tokenization lands, so the mouse goes to a position computed from the text, like a
    // person pointing at the path.
    const hover = page.locator('.monaco-hover', { hasText: 'Insert snippet' }).first();
    const pointAt = async (needle: string): Promise<{ x: number; y: number }> => {
      const box = await line.boundingBox();
      const firstSpan = line.locator('span > span').first();
      const spanBox = await firstSpan.boundingBox();
      const spanText = (await firstSpan.innerText()).replace(/\u00a0/g, ' ');
      const text = (await line.innerText()).replace(/\u00a0/g, ' ');
      assert.ok(box && spanBox && spanText.length > 0);
      const charWidth = spanBox.width / spanText.length;
      return { x: box.x + (text.indexOf(needle) + 6) * charWidth, y: box.y + box.height / 2 };
    };
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await page.mouse.move(0, 0);
        const { x, y } = await pointAt('corporate-accounts/v2/accounts/48120000');
        await page.mouse.move(x, y, { steps: 4 });
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
        break;
      } catch (e) {
        // Spans re-rendered under us, or the hover not there yet (specs still loading): try again.
        if (Date.now() > deadline) throw e;
      }
    }
    const text = await hover.innerText();
    assert.match(text, /GET\s+\/corporate-accounts\/v2\/accounts\/\{accountId\}/);
    assert.match(text, /Mobile Subscription Info API/);
    assert.match(text, /Norway · machine user \(password grant\)/);
    for (const link of ['Insert snippet', 'Copy curl', 'Open request panel']) assert.ok(text.includes(link), `the hover has no ${link} link`);
    await wb.screenshot('hover');

    await hover.getByRole('link', { name: 'Insert snippet' }).click();
    const inserted = editor.locator('.view-line', { hasText: 'test-api.telenor.no/corporate-accounts' });
    await inserted.waitFor({ timeout: 30_000 });
    const lines = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    assert.match(lines, /fetch\("https:\/\/test-api\.telenor\.no\/corporate-accounts\/v2\/accounts\/48120000"/);
    assert.match(lines, /"Authorization": "Bearer <access_token>"/);
    // The token placeholder is the selected tab stop, ready to be typed over.
    await editor.locator('.cslr.selected-text, .selected-text').first().waitFor({ timeout: 5_000 });
    await page.mouse.move(0, 0);
    await wb.screenshot('snippet-inserted');
  });

  it('works from the keyboard alone: show the hover, move into it, Tab to Insert snippet, Enter', async function () {
    assert.ok(wb);
    const page = wb.page;
    await page.keyboard.press('Escape');
    const editor = await quickOpen(page, 'app/subscriptions.py');
    await editor.locator('.view-line', { hasText: 'def organizations' }).waitFor({ timeout: 30_000 });
    // Put the cursor inside the URL with Find, as a keyboard user would.
    await page.keyboard.press('Control+F');
    await page.keyboard.type('/organizations/v1');
    await page.keyboard.press('Escape');
    const hover = page.locator('.monaco-hover', { hasText: 'Insert snippet' }).first();
    // Ctrl+K Ctrl+I (Show or Focus Hover); again until the specs have loaded and our part is in it.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      try {
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await page.keyboard.press('Escape');
      }
    }
    // The same chord again moves the focus into the hover; Tab walks its links.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const insert = hover.getByRole('link', { name: 'Insert snippet' });
    for (let i = 0; i < 12; i++) {
      if (await insert.evaluate((el) => el === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    assert.ok(await insert.evaluate((el) => el === document.activeElement), 'Tab never reached the Insert snippet link');
    await wb.screenshot('keyboard-hover-focused');
    await page.keyboard.press('Enter');
    await editor.locator('.view-line', { hasText: 'url = "https://test-api.telenor.no/organizations/v1/organizations"' }).waitFor({ timeout: 30_000 });
    // The focus is back in the editor, on the token's tab stop: typing fills it in.
    await page.keyboard.type('my-token');
    await editor.locator('.view-line', { hasText: '"Authorization": "Bearer my-token"' }).waitFor({ timeout: 5_000 });
    await wb.screenshot('keyboard-snippet-inserted');
  });

  it('opens the Get started walkthrough', async function () {
    assert.ok(wb);
    const page = wb.page;
    await page.keyboard.press('Escape');
    await wb.runCommand('Welcome: Open Walkthrough...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Telenor');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Get started with Telenor API Explorer' }).first().waitFor();
    await page.keyboard.press('Enter');
    const title = page.getByText('Get started with Telenor API Explorer', { exact: true }).first();
    await title.waitFor({ timeout: 30_000 });
    for (const step of ['Start the sandbox', 'Use the sandbox demo credentials', 'Open an operation and send it', 'Hover a URL, insert a snippet', "Switch to Telenor's test environment", 'Inspect your tokens']) {
      await page.locator('.getting-started-step', { hasText: step }).first().waitFor({ timeout: 10_000 });
    }
    await wb.screenshot('walkthrough');
    // Room for the step and its picture, as a person reading it would make.
    await page.keyboard.press('Control+B');
    await page.locator('.getting-started-step', { hasText: 'Hover a URL, insert a snippet' }).first().click();
    const button = page.getByText('Insert Request Snippet', { exact: true }).first();
    await button.waitFor({ timeout: 10_000 });
    await button.scrollIntoViewIfNeeded();
    // The step's SVG is drawn in a webview: wait until it shows this step's picture.
    await page
      .frameLocator('.getting-started-media iframe.webview.ready')
      .frameLocator('#active-frame')
      .locator('svg, img')
      .first()
      .waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    await wb.screenshot('walkthrough-hover-step');
    await page.keyboard.press('Control+B');
  });
});
