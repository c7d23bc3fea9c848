/**
 * The extension as VS Code sees it: present, activating, in the remote Node extension host, with the
 * activity-bar container and view from package.json registered in the workbench.
 */
import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';

import * as vscode from 'vscode';

import { COMMAND_IDS } from '../../src/extension/commandIds';

const EXTENSION_ID = 'telenor-devtools.telenor-api-explorer';

interface Manifest {
  contributes?: {
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
  };
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

describe('extension activation', () => {
  it('is the extension from the repository under test', () => {
    const ext = extension();
    const root = process.env['TAE_REPO_ROOT'];
    assert.ok(root, 'TAE_REPO_ROOT is not set: the runner did not pass its environment to the extension host');
    assert.equal(realpathSync(ext.extensionUri.fsPath), realpathSync(root));
  });

  it('activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('runs in the Node extension host of the expected VS Code and Node', () => {
    const ext = extension();
    console.log(
      `vscode ${vscode.version}, node ${process.version}, remoteName ${vscode.env.remoteName ?? '(none)'}, ` +
        `uiKind ${vscode.UIKind[vscode.env.uiKind]}, extensionKind ${vscode.ExtensionKind[ext.extensionKind]}`,
    );
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    assert.ok(nodeMajor >= 20, `Node ${process.version} is older than engines.node allows`);
    const expectedNode = process.env['TAE_EXPECT_NODE_MAJOR'];
    if (expectedNode) assert.equal(String(nodeMajor), expectedNode, 'the extension host runs on another Node than code-server');
    const expectedVsCode = process.env['TAE_EXPECT_VSCODE'];
    if (expectedVsCode) assert.equal(vscode.version, expectedVsCode);
    if (process.env['TAE_EXPECT_HOST'] === 'desktop') {
      // @vscode/test-electron (npm run test:electron): a local window, extension host next to the UI.
      assert.equal(vscode.env.remoteName, undefined);
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
      assert.equal(ext.extensionKind, vscode.ExtensionKind.UI);
    } else {
      // code-server: a remote window whose extension host is the server's Node process.
      assert.ok(vscode.env.remoteName, 'expected a remote window (code-server), got a local one');
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
      assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace, 'the extension must run next to the files, not in the browser');
    }
  });

  it('contributes the "Telenor APIs" container and the APIs view, and the workbench can open them', async () => {
    const manifest = extension().packageJSON as Manifest;
    const container = manifest.contributes?.viewsContainers?.activitybar?.find((c) => c.id === 'telenor');
    assert.equal(container?.title, 'Telenor APIs');
    const view = manifest.contributes?.views?.['telenor']?.find((v) => v.id === 'telenor.apis');
    assert.ok(view, 'package.json declares no telenor.apis view in the telenor container');

    // The workbench generates these commands only for containers and views it actually registered.
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('workbench.view.extension.telenor'), 'the workbench has no "Telenor APIs" view container');
    assert.ok(commands.includes('telenor.apis.focus'), 'the workbench has no telenor.apis view');
    await vscode.commands.executeCommand('workbench.view.extension.telenor');
    await vscode.commands.executeCommand('telenor.apis.focus');
  });

  it('registers a handler for every command it declares', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = COMMAND_IDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });
});
