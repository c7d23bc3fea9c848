/**
 * A person opens the "Telenor APIs" container from the activity bar and sees the sandbox's APIs in the tree,
 * expands an API and a tag to its operations (method badges), filters from the view's title bar, sees a
 * broken workspace spec as an error item, searches all operations from the palette, and switches the
 * environment from the status bar.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { Locator } from 'playwright-core';

import { repoRoot } from '../harness/paths';
import { Workbench, screenshotOnFailure } from '../harness/ui';

/**
 * The titles of the specs the extension ships: `BUILTIN_SPECS` of the built sandbox bundle, i.e. what the
 * .vsix under test contains. Empty when the bundle does not export it (yet).
 */
function builtinTitles(): string[] {
  const bundle = join(repoRoot(), 'dist', 'sandbox.js');
  if (!existsSync(bundle)) return [];
  const specs: unknown = (require(bundle) as { BUILTIN_SPECS?: unknown }).BUILTIN_SPECS;
  if (!Array.isArray(specs)) return [];
  return specs
    .map((s: unknown) => (typeof s === 'object' && s !== null ? (s as { title?: unknown }).title : undefined))
    .filter((t): t is string => typeof t === 'string' && t.length > 0);
}

/** Tabs for indentation: YAML refuses them, so this spec fails to load with a line and column. */
const BROKEN_SPEC = 'openapi: 3.0.3\ninfo:\n  title: Broken on purpose\n  version: "1"\npaths:\n  /a:\n\tget: {}\n';

describe('Telenor APIs tree (UI)', function () {
  let wb: Workbench | undefined;

  before(async function () {
    wb = await Workbench.open({
      label: 'tree',
      settings: { 'telenor.environment': 'sandbox', 'workbench.colorTheme': 'Default Dark Modern' },
      workspaceFiles: { 'broken.openapi.yaml': BROKEN_SPEC },
    });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
  });

  function bench(): Workbench {
    assert.ok(wb);
    return wb;
  }

  /** The "APIs" view's title-bar action with this label (shown while the view is hovered or focused). */
  async function titleAction(label: string): Promise<Locator> {
    const w = bench();
    const pane = w.sideBar().locator('.pane', { has: w.page.locator('.pane-header', { hasText: /APIs/i }) }).first();
    await pane.hover();
    const action = w.sideBar().getByRole('button', { name: label, exact: true }).first();
    await action.waitFor({ timeout: 10_000 });
    return action;
  }

  /** Runs a palette command that asks in the quick input, types `text` there, and returns the widget. */
  async function answer(command: string, text: string): Promise<Locator> {
    const w = bench();
    await w.runCommand(command);
    const input = w.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    return w.page.locator('.quick-input-widget');
  }

  async function expand(item: Locator): Promise<void> {
    await item.waitFor({ timeout: 30_000 });
    if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
    await bench().page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await item.elementHandle(), { timeout: 10_000 });
  }

  it('opens from the activity bar and lists the sandbox APIs', async function () {
    const w = bench();
    await w.openViewContainer('Telenor APIs');
    await w.screenshot('container-open');
    const expected = builtinTitles();
    assert.ok(expected.length > 0, 'the sandbox bundle lists its specs');
    for (const title of expected) await w.treeItems(new RegExp(`^${title}`)).first().waitFor({ timeout: 30_000 });
    const labels = await w.treeLabels();
    console.log(`      tree: ${labels.join(' | ')}`);
    for (const title of expected) assert.ok(labels.includes(title), `"${title}" is not in the tree: ${labels.join(', ')}`);
    // Built-in APIs say where they come from and which country they are for.
    const stores = w.treeItems(/^Telenor Stores API/).first();
    assert.match(await stores.innerText(), /v1\.0\.0 · built-in · Norway/);
    const shot = await w.screenshot('sandbox-apis');
    assert.ok(existsSync(shot), `no screenshot at ${shot}`);
    // The tooltip says where requests go now and how the API authenticates.
    const tip = w.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /Telenor Stores API/ }).first();
    // A tooltip closes when the tree redraws (a spec finishing validation): hover again, as a person would.
    for (let attempt = 0; ; attempt++) {
      await w.page.mouse.move(700, 600);
      await stores.hover();
      try {
        await tip.waitFor({ timeout: 5000 });
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
    await tip.getByText(/Requests go to/).waitFor({ timeout: 15_000 }).catch(async () => assert.fail(`tooltip: ${await tip.innerText()}`));
    const text = await tip.innerText();
    assert.match(text, /Requests go to \(Sandbox\): http:\/\/127\.0\.0\.1:\d+\/telenor-stores\/v1/, text);
    assert.match(text, /Auth: Norway · client credentials/, text);
    await w.screenshot('api-tooltip');
  });

  it('expands an API and a tag to operations with method badges', async function () {
    const w = bench();
    await expand(w.treeItems(/^Mobile Subscription Info API/).first());
    await expand(w.treeItems(/^Subscriptions, \d+ operations/).first());
    const op = w.treeItems(/^GET \/corporate-mobile-subscriptions\/v2\/mobile-subscriptions/).first();
    await op.waitFor({ timeout: 10_000 });
    // The badge is the row's icon: VS Code draws it as a background image of the method's SVG.
    const icon = op.locator('.custom-view-tree-node-item-icon');
    const background = decodeURIComponent(await icon.evaluate((el) => getComputedStyle(el).backgroundImage));
    assert.match(background, /media\/methods\/get-dark\.svg/, background);
    assert.match(await op.innerText(), /\/corporate-mobile-subscriptions\/v2\/mobile-subscriptions/);
    await op.hover();
    await w.page.waitForTimeout(1200);
    await w.screenshot('operations-with-badges');
  });

  it('shows a broken workspace spec as an error item whose click lists the problems', async function () {
    const w = bench();
    const broken = w.treeItems(/^broken\.openapi\.yaml, failed to load/).first();
    await broken.waitFor({ timeout: 30_000 });
    assert.match(await broken.innerText(), /failed to load/);
    await broken.hover();
    await w.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /line \d+, column \d+/ }).first().waitFor({ timeout: 10_000 });
    await w.screenshot('broken-spec-tooltip');
    await broken.click();
    const editor = w.page.locator('.editor-instance .view-lines').first();
    // The editor draws spaces as no-break spaces: \s matches both.
    await editor.getByText(/Problems\sof\sbroken\.openapi\.yaml/).waitFor({ timeout: 10_000 });
    await editor.getByText(/Error\s\(syntax\)\sat\sline\s\d+,\scolumn\s\d+/).waitFor();
    assert.equal(await w.page.locator('.statusbar-item', { hasText: /^Plain Text$/ }).count(), 1, 'a plain text report, not YAML');
    await w.screenshot('broken-spec-problems');
    await w.page.keyboard.press('Control+W');
  });

  it('picks a spec with problems from the palette', async function () {
    const w = bench();
    const widget = await answer('Telenor: Show Spec Problems', 'broken');
    const row = widget.locator('.monaco-list-row', { hasText: 'broken.openapi.yaml' }).first();
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /1 error/);
    await w.screenshot('spec-problems-quick-pick');
    await w.page.keyboard.press('Enter');
    await w.page.locator('.editor-instance .view-lines').first().getByText(/Problems\sof\sbroken\.openapi\.yaml/).waitFor({ timeout: 10_000 });
    await w.page.keyboard.press('Control+W');
  });

  it('filters from the title bar and clears the filter', async function () {
    const w = bench();
    await w.openViewContainer('Telenor APIs');
    await (await titleAction('Filter Operations…')).click();
    const input = w.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('stores');
    await w.page.keyboard.press('Enter');
    await w.sideBar().getByText(/Filter “stores”: \d+ operations? in 1 API\./).waitFor({ timeout: 10_000 });
    await w.treeItems(/^GET \/telenor-stores\/v1\/stores|^GET \/stores/).first().waitFor({ timeout: 10_000 });
    const labels = await w.treeLabels();
    assert.ok(labels.includes('Telenor Stores API'), labels.join(', '));
    assert.ok(!labels.includes('Mobile Subscription Info API'), `not filtered: ${labels.join(', ')}`);
    await w.screenshot('filtered');
    await (await titleAction('Clear Filter')).click();
    await w.treeItems(/^Mobile Subscription Info API/).first().waitFor({ timeout: 10_000 });
    assert.equal(await w.sideBar().getByText(/Filter “stores”/).count(), 0);
  });

  it('finds an operation of any API from the palette', async function () {
    const w = bench();
    const widget = await answer('Telenor: Open Request Panel…', 'device');
    const row = widget.locator('.monaco-list-row', { hasText: 'GET /mobile-device-info/v1/device' }).first();
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /Mobile Device Info API/);
    await w.screenshot('open-request-quick-pick');
    await w.page.keyboard.press('Escape');
  });

  it('says what is wrong with a spec URL before adding it', async function () {
    const w = bench();
    const widget = await answer('Telenor: Add OpenAPI Spec from URL…', 'ftp://example.com/openapi.yaml');
    await widget.getByText(/Only http and https URLs can be added/).waitFor({ timeout: 10_000 });
    await w.screenshot('add-url-validation');
    await w.page.keyboard.press('Escape');
  });

  it('uses the light badges in a light theme', async function () {
    const w = bench();
    const widget = await answer('Preferences: Color Theme', 'Light Modern');
    await widget.locator('.monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
    await w.page.keyboard.press('Enter');
    // Left expanded by the filter test.
    const op = w.treeItems(/^GET \/stores, List stores/).first();
    await op.waitFor({ timeout: 10_000 });
    const icon = op.locator('.custom-view-tree-node-item-icon');
    await w.page.waitForFunction((el) => el !== null && decodeURIComponent(getComputedStyle(el).backgroundImage).includes('get-light.svg'), await icon.elementHandle(), { timeout: 10_000 });
    await w.screenshot('light-theme');
  });

  it('switches the environment from the status bar; production stands out', async function () {
    const w = bench();
    const item = (name: RegExp): Locator => w.page.locator('.statusbar-item', { has: w.page.getByRole('button', { name }) }).first();
    const sandbox = item(/^Telenor environment: Sandbox/);
    await sandbox.waitFor({ timeout: 30_000 });
    assert.match(await sandbox.innerText(), /Telenor: Sandbox/);
    await sandbox.click();
    const pick = w.page.locator('.quick-input-widget');
    await pick.getByText('Production', { exact: true }).waitFor({ timeout: 10_000 });
    assert.match(await pick.innerText(), /credentials from your Telenor agreement/);
    // A missing base URL says so, and the way to set it is one line below.
    assert.match(await pick.innerText(), /Sweden: not set yet/);
    assert.match(await pick.innerText(), /Edit Base URLs in Settings/);
    await w.screenshot('environment-quick-pick');
    await pick.locator('.monaco-list-row', { hasText: 'Production' }).first().click();
    const production = item(/^Telenor environment: Production/);
    await production.waitFor({ timeout: 10_000 });
    assert.match(await production.getAttribute('class') ?? '', /warning-kind/, 'the warning background');
    await w.screenshot('environment-production');
    await production.click();
    await pick.locator('.monaco-list-row', { hasText: 'Sandbox' }).first().click();
    await item(/^Telenor environment: Sandbox/).waitFor({ timeout: 10_000 });
  });
});

describe('Telenor APIs tree, nothing to list (UI)', function () {
  let wb: Workbench | undefined;

  before(async function () {
    wb = await Workbench.open({ label: 'tree-empty', settings: { 'telenor.specs.showBuiltin': false, 'telenor.specs.include': [] } });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
  });

  it('welcomes with ways to add a spec and starts the sandbox from there', async function () {
    assert.ok(wb);
    await wb.openViewContainer('Telenor APIs');
    const welcome = wb.sideBar().locator('.welcome-view-content');
    await welcome.getByText(/No OpenAPI specs are listed yet/).waitFor({ timeout: 30_000 });
    for (const name of ['Add Spec File…', 'Add Spec from URL…', 'Start Sandbox']) {
      await welcome.getByRole('button', { name: new RegExp(name) }).waitFor();
    }
    await welcome.getByText('Open the Getting Started walkthrough').waitFor();
    assert.match(await welcome.innerText(), /named like “\*\.openapi\.yaml”/);
    await wb.screenshot('welcome');
    await welcome.getByRole('button', { name: /Start Sandbox/ }).click();
    await wb.notification(/Telenor sandbox running at http:\/\/127\.0\.0\.1:\d+/);
    await wb.screenshot('sandbox-started');
  });
});

describe('Telenor APIs tree, Restricted Mode (UI)', function () {
  let wb: Workbench | undefined;

  before(async function () {
    // Two workspace spec files, a valid one (the fixture's) and a broken one, that a trusted workspace lists.
    wb = await Workbench.open({ label: 'tree-restricted', restricted: true, workspaceFiles: { 'broken.openapi.yaml': BROKEN_SPEC } });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
  });

  it('reads no workspace spec until the folder is trusted, then lists them', async function () {
    assert.ok(wb);
    const w = wb;
    // VS Code itself says the window is in Restricted Mode (so the rest of this test means something).
    await w.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    await w.openViewContainer('Telenor APIs');
    await w.treeItems(/^Telenor Stores API/).first().waitFor({ timeout: 60_000 });
    const notice = w.treeItems(/Workspace specs are not read in Restricted Mode/).first();
    await notice.waitFor({ timeout: 10_000 });
    assert.equal(await w.treeItems(/^Partner Orders API/).count(), 0, 'the workspace spec is not listed');
    assert.equal(await w.treeItems(/^broken\.openapi\.yaml/).count(), 0, 'nor the broken one');
    await w.screenshot('restricted');

    // The notice opens VS Code's trust editor; trusting the folder there brings the specs in, no reload.
    await notice.click();
    await w.page.getByRole('button', { name: /^Trust$/ }).first().click({ timeout: 30_000 });
    await w.openViewContainer('Telenor APIs');
    await w.treeItems(/^Partner Orders API/).first().waitFor({ timeout: 60_000 });
    await w.treeItems(/^broken\.openapi\.yaml/).first().waitFor({ timeout: 30_000 });
    assert.equal(await w.treeItems(/Workspace specs are not read in Restricted Mode/).count(), 0, 'the notice goes');
    await w.screenshot('trusted');
  });
});
