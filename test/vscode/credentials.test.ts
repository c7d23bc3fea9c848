/**
 * Credentials inside a real VS Code: stored through the command (with arguments) and directly, in
 * SecretStorage and nowhere else (settings files, global/workspace state, the log), surviving a new
 * CredentialStore over the same SecretStorage, following changes made by "another window", registered
 * with the shared Redactor, cleared with tokens forgotten, and the sandbox demo set in one step.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Redactor } from '../../src/core/util/redact';
import type { CredentialSlot } from '../../src/extension/credentials/model';
import { secretKey } from '../../src/extension/credentials/model';
import { CredentialStore } from '../../src/extension/credentials/store';
import type { Services } from '../../src/extension/services';
import type { RunningSandbox } from '../../src/sandbox/index';
import { everywhereButSecretStorage, filesUnder, logsRoot } from './credentialsHelpers';
import { eventually, sandbox, services, useSandbox } from './helpers';

const SECRETS = {
  clientSecret: 'in-host-client-secret-9f3a',
  machinePassword: 'in-host-machine-pw-77c1',
  jwtPassword: 'in-host-jwt-pw-5e2d',
};

describe('credentials (in-host)', function () {
  this.timeout(60_000);
  let s: Services;
  let box: RunningSandbox;

  before(async () => {
    s = await services();
    box = await sandbox();
    await useSandbox(box.url);
  });

  after(async () => {
    await vscode.commands.executeCommand('telenor.clearCredentials', { environment: 'test', confirmed: true });
    await box?.close();
  });

  it('"Set Credentials" with arguments stores the set in SecretStorage, namespaced per environment, region and kind', async () => {
    const slot = await vscode.commands.executeCommand<CredentialSlot | undefined>('telenor.setCredentials', {
      environment: 'test',
      region: 'no',
      kind: 'client',
      values: { clientId: '  in-host-client-id ', clientSecret: SECRETS.clientSecret },
    });
    assert.deepEqual(slot, { environment: 'test', region: 'no', kind: 'client' });
    const raw = await s.context.secrets.get(secretKey({ environment: 'test', region: 'no', kind: 'client' }));
    assert.ok(raw, 'SecretStorage holds the value under the namespaced key');
    assert.deepEqual(JSON.parse(raw), { v: 1, clientId: 'in-host-client-id', clientSecret: SECRETS.clientSecret }, 'trimmed, versioned JSON');
    assert.deepEqual(await s.credentials.get('test', 'no'), { client: { clientId: 'in-host-client-id', clientSecret: SECRETS.clientSecret } });
    assert.equal(await s.context.secrets.get(secretKey({ environment: 'production', region: 'no', kind: 'client' })), undefined, 'other environments untouched');
  });

  it('stores directly too, and every secret is registered with the shared Redactor (ids are not)', async () => {
    await s.credentials.set({ environment: 'test', region: 'no', kind: 'machineUser' }, { username: 'api7813371375', password: SECRETS.machinePassword });
    await s.credentials.set({ environment: 'test', region: 'se', kind: 'jwt' }, { clientId: 'jwt-client', userId: '1234567', password: SECRETS.jwtPassword });
    const line = s.redactor.redact(`id in-host-client-id ${SECRETS.clientSecret} ${SECRETS.machinePassword} ${SECRETS.jwtPassword} api7813371375`);
    for (const secret of Object.values(SECRETS)) assert.ok(!line.includes(secret), `${secret} is masked: ${line}`);
    assert.ok(line.includes('in-host-client-id') && line.includes('api7813371375'), 'ids and usernames stay readable');
    assert.deepEqual(
      (await s.credentials.list({ environment: 'test' })).map((x) => `${x.region}/${x.kind}`).sort(),
      ['no/client', 'no/machineUser', 'se/jwt'],
      'list() names the kinds stored (never values)',
    );
  });

  it('survives a new CredentialStore over the same SecretStorage (a restart)', async () => {
    const fresh = new CredentialStore({ secrets: s.context.secrets, redactor: new Redactor(), log: s.log });
    try {
      assert.deepEqual(await fresh.get('test', 'no'), {
        client: { clientId: 'in-host-client-id', clientSecret: SECRETS.clientSecret },
        machineUser: { username: 'api7813371375', password: SECRETS.machinePassword },
      });
      assert.deepEqual(await fresh.get('test', 'se'), { jwt: { clientId: 'jwt-client', userId: '1234567', password: SECRETS.jwtPassword } });
    } finally {
      fresh.dispose();
    }
  });

  it('follows a change made by another window (secrets.onDidChange) and fires onDidChange', async () => {
    const slot = { environment: 'test', region: 'no', kind: 'machineUser' } as const;
    await s.credentials.read(slot); // cached now
    const seen: string[] = [];
    const sub = s.credentials.onDidChange((c) => seen.push(`${c.environment}/${c.region}/${c.kind}`));
    try {
      // Another window writes SecretStorage directly; this window only hears about it through the event.
      await s.context.secrets.store(secretKey(slot), JSON.stringify({ v: 1, username: 'api0000000002', password: 'other-window-pw-123' }));
      await eventually('the store to report the change', () => seen.includes('test/no/machineUser'));
      assert.deepEqual(await s.credentials.read(slot), { username: 'api0000000002', password: 'other-window-pw-123' });
      assert.ok(!s.redactor.redact('other-window-pw-123').includes('other-window-pw-123'), 'a value read from another window is masked too');
    } finally {
      sub.dispose();
    }
  });

  it('rejects what cannot work (an empty secret, a userId that is not a number) and keeps what was stored', async () => {
    for (const [region, kind, values] of [
      ['no', 'client', { clientId: 'x', clientSecret: '   ' }],
      ['se', 'jwt', { clientId: 'c', userId: 'abc', password: 'p' }],
    ] as const) {
      const result = await vscode.commands.executeCommand('telenor.setCredentials', { environment: 'test', region, kind, values });
      assert.equal(result, undefined, `${region}/${kind} was not stored`);
    }
    assert.deepEqual(await s.credentials.read({ environment: 'test', region: 'no', kind: 'client' }), { clientId: 'in-host-client-id', clientSecret: SECRETS.clientSecret });
    assert.deepEqual(await s.credentials.read({ environment: 'test', region: 'se', kind: 'jwt' }), { clientId: 'jwt-client', userId: '1234567', password: SECRETS.jwtPassword });
  });

  it('Escape in the guided flow stores nothing', async () => {
    const before = await s.credentials.list();
    const pending = vscode.commands.executeCommand('telenor.setCredentials');
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await pending, undefined);
    assert.deepEqual(await s.credentials.list(), before);
  });

  it('"Use Sandbox Demo Credentials" stores the sandbox’s own demo set for the sandbox environment in one step', async () => {
    const slots = await vscode.commands.executeCommand<CredentialSlot[]>('telenor.useSandboxCredentials');
    assert.deepEqual(slots.map((x) => `${x.environment}/${x.region}/${x.kind}`), ['sandbox/se/client', 'sandbox/se/jwt', 'sandbox/no/client', 'sandbox/no/machineUser']);
    const demo = box.credentials;
    assert.deepEqual(await s.credentials.get('sandbox', 'no'), {
      client: { clientId: demo.no.clientId, clientSecret: demo.no.clientSecret },
      machineUser: demo.no.machineUser,
    });
    assert.deepEqual(await s.credentials.get('sandbox', 'se'), { client: { clientId: demo.se.clientId, clientSecret: demo.se.clientSecret }, jwt: demo.se.jwt });
  });

  it('"Clear Credentials" removes exactly what was asked (after confirmation) from SecretStorage', async () => {
    const cleared = await vscode.commands.executeCommand<CredentialSlot[]>('telenor.clearCredentials', {
      environment: 'test',
      region: 'no',
      kind: 'machineUser',
      confirmed: true,
    });
    assert.deepEqual(cleared, [{ environment: 'test', region: 'no', kind: 'machineUser' }]);
    assert.equal(await s.context.secrets.get(secretKey({ environment: 'test', region: 'no', kind: 'machineUser' })), undefined);
    assert.ok(await s.context.secrets.get(secretKey({ environment: 'test', region: 'no', kind: 'client' })), 'the client of the same environment stays');
  });

  it('no secret is in settings, global/workspace state or the log — only in SecretStorage', async () => {
    // Make the extension log something about credentials first: a sign-in that fails with them.
    s.log.info(`a line that mentions ${SECRETS.clientSecret} by accident`);
    await new Promise((r) => setTimeout(r, 1500)); // the log file is flushed asynchronously
    const text = everywhereButSecretStorage(s);
    assert.ok(text.length > 0);
    assert.ok(filesUnder(logsRoot(s)).some((f) => f.endsWith('Telenor API Explorer.log')), `the extension's log file is under ${logsRoot(s)}`);
    assert.ok(text.includes('a line that mentions *** by accident'), 'the log line is there, masked');
    for (const secret of [...Object.values(SECRETS), box.credentials.no.clientSecret, box.credentials.no.machineUser.password, box.credentials.se.jwt.password]) {
      assert.ok(!text.includes(secret), `"${secret}" leaked outside SecretStorage`);
    }
  });
});
