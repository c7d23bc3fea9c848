/**
 * A newcomer's first session, start to finish, with the mouse and the palette as a person uses them: open
 * the Telenor view, pick the sandbox in the environment status bar, store the demo credentials and type one
 * kind in step by step, open an operation from the tree, fill a parameter, Send, read the 200 and the token
 * countdown (panel and status bar), check the panel still fits a 1024×700 window, hover a URL in a sample
 * file and insert a snippet from the hover (placeholders, no secret), and open the token inspector.
 *
 * Nothing is preconfigured: the default environment and the embedded sandbox, started when first needed.
 * Each step saves a screenshot (test-results/screenshots/journey-*.png); the README's pictures come from here.
 */
import * as assert from 'node:assert/strict';

import type { FrameLocator, Locator } from 'playwright-core';

import { answer, clearNotifications, notificationText, openFromTree, quickInput } from '../harness/steps';
import { assertNoSecret, overflowing, partShot, quickOpenFile, restMouse, workbenchSession } from './journeySteps';

const API = 'Mobile Subscription Info API';
const ACCOUNT = '48120000';

describe('newcomer journey (UI)', function () {
  this.timeout(240_000);
  // A person's settings, but hovers that appear without a long wait (the walk points at a URL once).
  const bench = workbenchSession({ label: 'journey', settings: { 'editor.hover.delay': 300 } });
  /** The text the hover's Insert snippet wrote (checked again once the inspector shows the token's prefix). */
  let snippet = '';

  const view = (): FrameLocator => bench().webview();

  /** A status bar entry by its accessible name (what a screen reader says for it). */
  function statusItem(name: RegExp): Locator {
    const w = bench();
    return w.page.locator('.statusbar-item', { has: w.page.getByRole('button', { name }) }).first();
  }

  it('1. opens the Telenor view from the activity bar and sees the built-in APIs', async function () {
    const w = bench();
    await w.openViewContainer('Telenor APIs');
    for (const title of [API, 'Telenor Stores API', 'Mobile Device Info API']) await w.treeItems(new RegExp(`^${title}`)).first().waitFor({ timeout: 60_000 });
    await restMouse(w);
    await w.screenshot('01-telenor-view');
  });

  it('2. picks the sandbox in the environment status bar', async function () {
    const w = bench();
    const env = statusItem(/^Telenor environment: /);
    await env.waitFor({ timeout: 30_000 });
    await env.click();
    const pick = quickInput(w);
    const sandbox = pick.locator('.monaco-list-row', { hasText: 'Sandbox' }).first();
    await sandbox.waitFor({ timeout: 10_000 });
    assert.match(await sandbox.innerText(), /demo credentials, no agreement needed/);
    await w.screenshot('02-environment-pick');
    await sandbox.click();
    await statusItem(/^Telenor environment: Sandbox/).waitFor({ timeout: 10_000 });
    // The focus went back to the status bar item, which then shows its tooltip over what follows; a person
    // clicks on in the side bar.
    await w.sideBar().locator('.pane-body').first().click({ position: { x: 150, y: 400 } });
  });

  it('3. stores the sandbox demo credentials from the palette', async function () {
    const w = bench();
    await w.runCommand('Telenor: Use Sandbox Demo Credentials');
    const note = await notificationText(w, /Stored the sandbox demo credentials/);
    console.log(`      ${note.replace(/\s+/g, ' ')}`);
    // Its progress toast ("Getting the sandbox’s demo credentials…") must not outlive the answer.
    await w.page.locator('.notification-toast', { hasText: /Getting the sandbox/ }).waitFor({ state: 'detached', timeout: 5_000 });
    await restMouse(w);
    await w.screenshot('03-demo-credentials');
    for (const secret of ['sandbox-no-secret', 'sandbox-machine-password', 'sandbox-se-secret']) assert.ok(!note.includes(secret), 'the notification shows a secret');
  });

  it('4. types the machine user in, step by step (Set Credentials)', async function () {
    const w = bench();
    await clearNotifications(w);
    await w.runCommand('Telenor: Set Credentials…');
    await w.page.mouse.move(640, 600); // no stale tooltip over the quick input
    await answer(w, 'Sandbox', /1\/4/);
    await answer(w, 'Norway', /2\/4/);
    const widget = quickInput(w);
    await widget.locator('.quick-input-title', { hasText: /3\/4/ }).waitFor({ timeout: 10_000 });
    await widget.getByText('Min Bedrift machine user, looks like api7813371375', { exact: false }).first().waitFor();
    await w.screenshot('04-credentials-kind');
    await partShot(w, 'credentials', [widget, w.sideBar().locator('.composite.title').first(), w.treeItems().nth(5)], 0);
    await answer(w, 'Machine user', /3\/4/);
    await answer(w, 'api7813371375', /Machine user \(4\/5\)/);
    // One step counter, the field a step of its own (not "Machine user password (2 of 2) (4/4)").
    const title = widget.locator('.quick-input-title', { hasText: /Machine user password/ });
    await title.waitFor({ timeout: 10_000 });
    assert.equal((await title.innerText()).trim(), 'Telenor: Set Credentials: Machine user password (5/5)');
    const input = widget.locator('input').first();
    assert.equal(await input.getAttribute('type'), 'password', 'the password is typed into a password box');
    await input.fill('sandbox-machine-password');
    await w.screenshot('04-credentials-password');
    await input.press('Enter');
    const note = await notificationText(w, /Stored the Norway machine user/);
    console.log(`      ${note.replace(/\s+/g, ' ')}`);
    assert.match(note, /SecretStorage/);
    assert.ok(!note.includes('sandbox-machine-password'), 'the notification shows the password');
    await restMouse(w);
    await w.screenshot('04-credentials-stored');
    await clearNotifications(w);
  });

  it('5. opens an operation from the tree, fills a parameter, sends, and reads the 200 and the token countdown', async function () {
    const w = bench();
    const v = await openFromTree(w, API, /^Accounts, \d+ operations?/, /^GET \/corporate-accounts\/v2\/accounts\/\{accountId\}/);
    await v.locator('#server-row code').waitFor({ timeout: 60_000 });
    assert.match(await v.locator('#server-row').innerText(), /http:\/\/127\.0\.0\.1:\d+\s*\(Sandbox\)/);
    await v.locator('#token-state').waitFor({ timeout: 30_000 });
    assert.match(await v.locator('#token-state').innerText(), /not signed in — it will sign in on Send/);
    await v.getByLabel(/accountId/).fill(ACCOUNT);
    await w.screenshot('05-panel-filled');

    await v.getByRole('button', { name: 'Send' }).click();
    const status = v.locator('#response-status .status');
    await status.waitFor({ timeout: 60_000 });
    assert.equal(await status.innerText(), '200 OK');
    assert.match((await v.locator('#response-status').getAttribute('aria-label')) ?? '', /^Response 200 OK/);
    await v.locator('.body-view').getByText(`"${ACCOUNT}"`).first().waitFor({ timeout: 10_000 });

    // The countdown, in the panel and in the status bar, and it moves.
    await v.locator('#token-state', { hasText: /token expires in/ }).waitFor({ timeout: 10_000 });
    const tokenItem = w.page.locator('.statusbar-item', { hasText: new RegExp(`Sandbox · ${API} · \\d+:\\d\\d`) }).first();
    await tokenItem.waitFor({ timeout: 15_000 });
    const before = (await tokenItem.innerText()).trim();
    await w.page.waitForTimeout(2200);
    const after = (await tokenItem.innerText()).trim();
    console.log(`      panel: "${await v.locator('#token-state').innerText()}"; status bar: "${before}" → "${after}"`);
    assert.notEqual(after, before, 'the status bar countdown ticks');
    assert.match(await v.locator('#token-state').innerText(), /^· token expires in (59|60):\d\d$/);
    await restMouse(w);
    await w.screenshot('05-response-200');
    await partShot(w, 'request-panel', [w.page.locator('.part.sidebar'), w.page.locator('.part.editor'), w.page.locator('.part.statusbar')], 0);
  });

  it('6. the panel still reads at 1024×700', async function () {
    const w = bench();
    await w.page.setViewportSize({ width: 1024, height: 700 });
    try {
      await w.page.waitForTimeout(800);
      const v = view();
      await v.locator('#response-status .status').waitFor();
      const wide = await overflowing(v);
      assert.deepEqual(wide, [], `sticks out of the panel at 1024×700: ${wide.join('; ')}`);
      await v.getByRole('button', { name: 'Send' }).waitFor();
      await w.screenshot('06-narrow-1024x700');
    } finally {
      await w.page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('7. hovers a URL in a sample file and inserts a snippet from the hover', async function () {
    const w = bench();
    const page = w.page;
    const editor = await quickOpenFile(page, 'app/client.ts');
    const line = editor.locator('.view-line', { hasText: 'ACCOUNT_URL' });
    await line.waitFor({ timeout: 30_000 });
    const hover = page.locator('.monaco-hover', { hasText: 'Insert snippet' }).first();
    // Point at the path inside the URL, from the line's text (its spans are redrawn as tokens land).
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await page.mouse.move(0, 0);
        const box = await line.boundingBox();
        const first = line.locator('span > span').first();
        const firstBox = await first.boundingBox();
        const firstText = (await first.innerText()).replace(/\u00a0/g, ' ');
        const text = (await line.innerText()).replace(/\u00a0/g, ' ');
        assert.ok(box && firstBox && firstText.length > 0);
        const x = box.x + (text.indexOf('corporate-accounts/v2/accounts/48120000') + 6) * (firstBox.width / firstText.length);
        await page.mouse.move(x, box.y + box.height / 2, { steps: 4 });
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
    const text = await hover.innerText();
    assert.match(text, /GET\s+\/corporate-accounts\/v2\/accounts\/\{accountId\}/);
    assert.match(text, /Norway · machine user \(password grant\)/);
    await page.waitForTimeout(500); // the hover fades in
    // TypeScript's own hover part says "Loading..." until its server has read the file.
    await hover.getByText('Loading...').waitFor({ state: 'detached', timeout: 20_000 }).catch(() => undefined);
    await w.screenshot('07-hover');
    await partShot(w, 'hover', [hover, line, editor.locator('.view-line').first()], 6);

    await hover.getByRole('link', { name: 'Insert snippet' }).click();
    const inserted = editor.locator('.view-line', { hasText: /127\.0\.0\.1:\d+\/corporate-accounts\/v2\/accounts\/48120000/ });
    await inserted.waitFor({ timeout: 30_000 });
    await page.mouse.move(0, 0);
    snippet = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    // The environment's base URL (the embedded sandbox) and the hovered values; the token a placeholder.
    assert.match(snippet, /fetch\("http:\/\/127\.0\.0\.1:\d+\/corporate-accounts\/v2\/accounts\/48120000"/);
    assert.match(snippet, /"Authorization": "Bearer <access_token>"/);
    assertNoSecret(snippet);
    // The token placeholder is the first, selected tab stop, ready to be typed over: the status bar
    // counts the 14 characters of `<access_token>` (the account number would be 8).
    await editor.locator('.cslr.selected-text, .selected-text').first().waitFor({ timeout: 5_000 });
    await page.locator('.statusbar-item', { hasText: /\(14 selected\)/ }).waitFor({ timeout: 5_000 });
    await w.screenshot('07-snippet-inserted');
  });

  it('8. opens the token inspector: exchanges with secrets masked, the token and its expiry', async function () {
    const w = bench();
    await w.page.keyboard.press('Escape');
    await w.runCommand('Telenor: Show Token Inspector');
    await restMouse(w);
    // The inspector opens beside the code, in the active group; word wrap splits long lines, so match parts.
    const doc = w.page.locator('.editor-group-container.active .editor-instance .view-lines').first();
    await doc.locator('.view-line', { hasText: /^#\sTelenor\stoken\sinspector/ }).waitFor({ timeout: 15_000 });
    await doc.locator('.view-line', { hasText: new RegExp(`^##\\s${API.replace(/ /g, '\\s')}`) }).first().waitFor({ timeout: 10_000 });
    await doc.locator('.view-line', { hasText: /Access\stoken\sobtained/ }).first().waitFor({ timeout: 10_000 });
    const visible = (await doc.innerText()).replace(/\u00a0/g, ' ');
    assert.match(visible, /Grant: Norway · machine user/);
    assert.match(visible, /password=\*\*\*/, 'the machine user password is masked in the exchange');
    assert.match(visible, /Authorization: Basic \*\*\*/, 'the client credentials are masked');
    await w.screenshot('08-token-inspector');
    await partShot(w, 'token-inspector', [w.page.locator('.editor-group-container.active')], 0);
    // Find the token response: its access_token keeps only 4 characters.
    await w.page.keyboard.press('Control+F');
    await w.page.keyboard.type('"access_token"');
    await w.page.keyboard.press('Escape');
    const tokenLine = doc.locator('.view-line', { hasText: '"access_token"' }).first();
    await tokenLine.waitFor({ timeout: 10_000 });
    const shown = (await tokenLine.innerText()).replace(/\u00a0/g, ' ');
    const prefix = /"access_token": "([A-Za-z0-9_-]{4})…"/.exec(shown)?.[1];
    assert.ok(prefix, `the token is masked to 4 characters: ${shown}`);
    const all = `${visible}\n${(await doc.innerText()).replace(/\u00a0/g, ' ')}`;
    for (const secret of ['sandbox-no-secret', 'sandbox-machine-password']) assert.ok(!all.includes(secret), `the inspector shows ${secret}`);
    assertNoSecret(snippet, prefix);
    await w.screenshot('08-token-inspector-masked');
  });

  it('9. beside the code in a 1024×700 window, the panel still fits', async function () {
    const w = bench();
    await w.page.setViewportSize({ width: 1024, height: 700 });
    try {
      // Close the inspector, bring the panel's tab forward and move it next to client.ts, as a person would.
      await w.page.keyboard.press('Control+W');
      await w.page.locator('.tab', { hasText: 'GET /corporate-accounts/v2/accounts/{accountId}' }).first().click();
      const v = view();
      // A hidden panel is drawn again when its tab comes forward: keys pressed before that go nowhere.
      await v.locator('#response-status .status').waitFor({ timeout: 15_000 });
      await w.runCommand('View: Move Editor into Next Group');
      await v.locator('#response-status .status').waitFor({ timeout: 15_000 });
      await restMouse(w);
      const width = await v.locator('body').evaluate(() => document.documentElement.clientWidth);
      console.log(`      panel width beside the code: ${width}px`);
      const wide = await overflowing(v);
      assert.deepEqual(wide, [], `sticks out of the panel beside the code: ${wide.join('; ')}`);
      await w.screenshot('09-beside-code-1024x700');
    } finally {
      await w.page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('10. the extension’s page has its icon and the README, pictures standing in with their descriptions', async function () {
    const w = bench();
    const page = w.page;
    await page.getByRole('tab', { name: /^Extensions/ }).first().click();
    // The search box is a small editor (its hidden textareas differ between versions): click it and type.
    const search = w.sideBar().locator('.extensions-search-container .monaco-editor').first();
    await search.waitFor({ timeout: 15_000 });
    await search.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('@installed Telenor');
    const row = w.sideBar().locator('.extension-list-item', { hasText: 'Telenor API Explorer' }).first();
    await row.waitFor({ timeout: 30_000 });
    // Its own icon, not VS Code's grey placeholder.
    const icon = row.locator('img.icon').first();
    await page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0, await icon.elementHandle(), { timeout: 10_000 });
    assert.doesNotMatch((await icon.getAttribute('src')) ?? '', /defaultIcon/, 'the extension has no icon of its own');
    await row.click();
    // The details page draws the README in a webview of its own: find its frame by the Quick start heading.
    const deadline = Date.now() + 30_000;
    let alts: string[] = [];
    while (alts.length === 0 && Date.now() < deadline) {
      for (const frame of page.frames()) {
        if ((await frame.getByRole('heading', { name: 'Quick start' }).count().catch(() => 0)) === 0) continue;
        // The README's only pictures (newer VS Code drops a relative `src` altogether and keeps the `alt`).
        alts = await frame.locator('img[alt]').evaluateAll((els) => els.map((e) => e.getAttribute('alt') ?? ''));
      }
      if (alts.length === 0) await page.waitForTimeout(500);
    }
    // VS Code shows README pictures from https only: until the repository URL is a real one, the installed
    // page shows each picture's description instead, so every one must have a description that says it.
    console.log(`      README pictures on the extension page: ${alts.length}`);
    assert.equal(alts.length, 4, 'the README on the extension page has four pictures');
    for (const alt of alts) assert.ok(alt.length > 40, `a picture without a description: “${alt}”`);
    await restMouse(w);
    await w.screenshot('10-extension-page');
  });
});
