// The manifest (package.json `contributes`) and the code agree: every command the code registers is
// declared (with the "Telenor" category), every declared command is registered, every menu and
// walkthrough refers to a real command, and every setting is documented.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS } from '../../src/extension/commandIds';

const root = join(__dirname, '..', '..', '..');

interface Manifest {
  engines: Record<string, string>;
  main: string;
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: unknown }[];
    menus?: Record<string, { command?: string; submenu?: string; when?: string }[]>;
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string; default?: unknown }> };
    walkthroughs?: { id: string; steps: { id: string; completionEvents?: string[]; media?: Record<string, string> }[] }[];
    viewsWelcome?: { view: string; contents: string }[];
    views?: Record<string, { id: string }[]>;
  };
  devDependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const declared = manifest.contributes.commands.map((c) => c.command);
const builtIn = /^(workbench|editor|vscode|setContext)\./;

describe('manifest', () => {
  it('declares every command the code registers, and nothing else', () => {
    assert.deepEqual([...declared].sort(), [...COMMAND_IDS].sort());
  });

  it('puts every command in the "Telenor" category with a title', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Telenor', c.command);
      assert.ok(c.title.trim().length > 0, c.command);
    }
  });

  it('only refers to declared commands in menus, welcome views and walkthroughs', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const item of items) {
        if (item.command) assert.ok(declared.includes(item.command), `${menu} refers to undeclared ${item.command}`);
      }
    }
    const linked = (text: string): string[] => [...text.matchAll(/command:([\w.]+)/g)].map((m) => m[1] ?? '');
    for (const w of manifest.contributes.viewsWelcome ?? []) {
      for (const id of linked(w.contents)) assert.ok(declared.includes(id) || builtIn.test(id), `viewsWelcome links ${id}`);
    }
    for (const walk of manifest.contributes.walkthroughs ?? []) {
      for (const step of walk.steps) {
        for (const ev of step.completionEvents ?? []) {
          const id = ev.startsWith('onCommand:') ? ev.slice('onCommand:'.length) : undefined;
          if (id) assert.ok(declared.includes(id) || builtIn.test(id), `${step.id} completes on ${id}`);
        }
        for (const file of Object.values(step.media ?? {})) {
          if (typeof file === 'string' && /\.(md|svg|png)$/.test(file)) assert.ok(existsSync(join(root, file)), `${step.id}: ${file} missing`);
        }
      }
    }
  });

  it('documents every setting', () => {
    for (const [key, prop] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(key.startsWith('telenor.'), key);
      assert.ok((prop.markdownDescription ?? prop.description ?? '').length > 20, `${key} has no real description`);
    }
  });

  it('pins the VS Code API to the test build (1.100)', () => {
    assert.equal(manifest.engines['vscode'], '^1.100.0');
    assert.equal(manifest.devDependencies['@types/vscode'], '~1.100.0');
    assert.equal(manifest.main, './dist/extension.js');
  });
});
