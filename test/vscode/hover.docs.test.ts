/**
 * `telenor.openDocs` inside VS Code: Telenor's reference page for a loaded API and operation, the country's
 * portal when that is all that is known, and a clear refusal for bad arguments.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { services } from './helpers';
import { builtinApisLoaded } from './hoverHelpers';

/**
 * What the command returns. `opened` is false here: the test workbench refuses VS Code's "open the external
 * website?" prompt, which is the case the command must survive (it then offers to copy the link).
 */
type Opened = { url: string; opened: boolean } | undefined;

describe('open docs (in host)', function () {
  this.timeout(60_000);

  before(builtinApisLoaded);

  async function api(title: string): Promise<{ id: string; operationIds: string[] }> {
    const found = (await services()).specs.apis().find((a) => a.title === title);
    assert.ok(found, `${title} is not loaded`);
    return { id: found.id, operationIds: Object.keys(found.operations) };
  }

  it('opens the portal’s reference page of the operation’s resource', async () => {
    const msi = await api('Mobile Subscription Info API');
    const operationId = msi.operationIds.find((id) => id.includes('corporate-agreements'));
    assert.ok(operationId);
    const result = await vscode.commands.executeCommand<Opened>('telenor.openDocs', { apiId: msi.id, operationId });
    assert.equal(result?.url, 'https://developer.telenor.no/api/administration/mobilesubscriptioninfoapi/docs/ref/corporate-agreements.html');
  });

  it('opens the Sweden Open APIs portal for a Sweden API, and a region’s portal on request', async () => {
    const catalog = await api('Fixed Network Product Catalog API');
    assert.equal((await vscode.commands.executeCommand<Opened>('telenor.openDocs', { apiId: catalog.id }))?.url, 'https://developer.telenor.se/');
    assert.equal((await vscode.commands.executeCommand<Opened>('telenor.openDocs', { region: 'no' }))?.url, 'https://developer.telenor.no/');
  });

  it('refuses an unknown API id or region without opening anything', async () => {
    assert.equal(await vscode.commands.executeCommand('telenor.openDocs', { apiId: 'no-such-api' }), undefined);
    assert.equal(await vscode.commands.executeCommand('telenor.openDocs', { region: 'dk' }), undefined);
  });
});
