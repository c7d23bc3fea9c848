/**
 * The "Get started" walkthrough as VS Code loads it: contributed under the documented id, six steps whose
 * completion events and buttons name commands that exist, media files that ship, and it opens.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, eventually, services } from './helpers';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  steps: Step[];
}

function walkthrough(): { ext: vscode.Extension<unknown>; w: Walkthrough } {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  const all = (ext.packageJSON as { contributes?: { walkthroughs?: Walkthrough[] } }).contributes?.walkthroughs ?? [];
  const w = all.find((x) => x.id === 'telenor.gettingStarted');
  assert.ok(w, 'no telenor.gettingStarted walkthrough');
  return { ext, w };
}

describe('walkthrough (in host)', () => {
  before(async () => {
    await services();
  });

  it('has the six steps in order, each completed by the command it is about', () => {
    const { w } = walkthrough();
    assert.equal(w.title, 'Get started with Telenor API Explorer');
    assert.deepEqual(
      w.steps.map((s) => [s.id, s.completionEvents]),
      [
        ['startSandbox', ['onCommand:telenor.startSandbox']],
        ['sandboxCredentials', ['onCommand:telenor.useSandboxCredentials']],
        ['sendRequest', ['onCommand:telenor.openRequest', 'onCommand:telenor.send']],
        ['hoverSnippet', ['onCommand:telenor.insertSnippet']],
        ['testEnvironment', ['onCommand:telenor.setCredentials']],
        ['inspectTokens', ['onCommand:telenor.showTokenInspector']],
      ],
    );
  });

  it('names only commands that exist, in completion events and in step buttons', async () => {
    const { w } = walkthrough();
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of w.steps) {
      const named = [
        ...(step.completionEvents ?? []).map((e) => e.replace(/^onCommand:/, '')),
        ...[...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1] as string),
      ];
      assert.ok(named.length > 0, `${step.id} names no command`);
      for (const id of named) assert.ok(registered.has(id), `${step.id}: ${id} is not a registered command`);
    }
  });

  it('ships an SVG for every step, with alt text, themed with VS Code colour variables', () => {
    const { ext, w } = walkthrough();
    for (const step of w.steps) {
      assert.ok(step.media.svg, `${step.id} has no svg`);
      assert.ok((step.media.altText ?? '').length > 20, `${step.id} has no useful alt text`);
      const file = join(ext.extensionUri.fsPath, step.media.svg);
      assert.ok(existsSync(file), `${step.media.svg} is missing`);
      const svg = readFileSync(file, 'utf8');
      assert.match(svg, /<title id="t">[^<]{20,}<\/title>/, `${step.id}: the SVG has no title for screen readers`);
      assert.match(svg, /var\(--vscode-foreground\)/, `${step.id}: the SVG is not themed`);
      assert.ok(!/fill="#(?:000|fff)(?:000)?"/i.test(svg), `${step.id}: hard-coded black or white would vanish in one theme`);
    }
  });

  it('opens in the Welcome editor', async () => {
    const { ext } = walkthrough();
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ext.id}#telenor.gettingStarted`, false);
    const tab = await eventually('the walkthrough tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /welcome|walkthrough|get started/i.test(t.label)));
    assert.ok(tab.isActive, `the walkthrough tab "${tab.label}" is not active`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
