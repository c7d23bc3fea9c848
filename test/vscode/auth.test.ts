/**
 * Sign-in inside a real VS Code against a real sandbox: every grant for its built-in API (each token then
 * used on the API itself), the browser sign-in with the consent page walked over plain HTTP (approve and
 * deny) through the controller's `openExternal` seam, the seeds' wording for wrong credentials, the token
 * status and status bar text, expiry with a 3-second token, sign-out (the token dead at the sandbox), the
 * "telenor" authentication provider, the token inspector (masked), and no secret outside SecretStorage.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { request } from 'undici';
import type { ApiSummary } from '../../src/core/spec/types';
import type { SignInResult } from '../../src/extension/auth/commands';
import { INSPECTOR_URI } from '../../src/extension/auth/inspector';
import type { Services } from '../../src/extension/services';
import type { RunningSandbox } from '../../src/sandbox/index';
import { everywhereButSecretStorage } from './credentialsHelpers';
import { eventually, sandbox, services, useSandbox } from './helpers';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function call(url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET', body?: string): Promise<Answer> {
  const res = await request(url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function header(a: Answer, name: string): string {
  const v = a.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** What the person's browser does on the consent page, as plain HTTP: start → consent form → decision → callback. */
async function consent(startUrl: string, decision: 'approve' | 'deny'): Promise<{ callbackUrl: string; page: Answer }> {
  const start = await call(startUrl);
  assert.equal(start.status, 302, `the loopback start page (${startUrl}) redirects to Telenor: ${start.body.slice(0, 200)}`);
  const authorizeUrl = header(start, 'location');
  const form = await call(authorizeUrl);
  assert.equal(form.status, 200, `consent page: ${form.body.slice(0, 300)}`);
  const requestId = /name="request_id" value="([^"]+)"/.exec(form.body)?.[1];
  assert.ok(requestId, 'the consent form carries a request id');
  const posted = await call(
    new URL('/oauth/v2/authorize', authorizeUrl).href,
    { 'content-type': 'application/x-www-form-urlencoded' },
    'POST',
    new URLSearchParams({ request_id: requestId, decision, line: 'kari' }).toString(),
  );
  assert.equal(posted.status, 302, 'the decision redirects to the callback');
  const callbackUrl = header(posted, 'location');
  return { callbackUrl, page: await call(callbackUrl) };
}

describe('auth (in-host)', function () {
  this.timeout(90_000);
  let s: Services;
  let box: RunningSandbox;
  const apis: Record<string, ApiSummary> = {};
  let restoreOpenExternal: Services['auth']['openExternal'];
  /** Every token seen in this suite: none may show up outside SecretStorage / memory. */
  const tokens = new Set<string>();

  const api = (title: string): ApiSummary => {
    const a = apis[title];
    assert.ok(a, `the built-in "${title}" is loaded`);
    return a;
  };

  /** The headers the send path would use, and the token remembered for the leak check. */
  async function authHeaders(title: string): Promise<Record<string, string>> {
    const provider = await s.auth.headerProvider(api(title), 'sandbox');
    assert.ok(provider, `${title} needs a token`);
    const h = await provider.headers();
    tokens.add(h['Authorization']?.replace(/^Bearer /, '') ?? '');
    if (h['X-JWT']) tokens.add(h['X-JWT']);
    return h;
  }

  /** The browser, as the controller opens it: the walk runs in the background like a person in another tab. */
  function browserWill(decision: 'approve' | 'deny'): { done: Promise<{ callbackUrl: string; page: Answer }>; opened: string[] } {
    const opened: string[] = [];
    let resolve!: (v: { callbackUrl: string; page: Answer }) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<{ callbackUrl: string; page: Answer }>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    s.auth.openExternal = async (uri) => {
      const url = uri.toString(true);
      opened.push(url);
      consent(url, decision).then(resolve, reject);
      return true;
    };
    return { done, opened };
  }

  before(async () => {
    s = await services();
    box = await sandbox();
    await useSandbox(box.url);
    restoreOpenExternal = s.auth.openExternal;
    await vscode.commands.executeCommand('telenor.useSandboxCredentials');
    await s.specs.whenSettled();
    for (const a of s.specs.apis()) apis[a.title] = a;
  });

  after(async () => {
    s.auth.openExternal = restoreOpenExternal;
    s.activeApi.set(undefined);
    await box?.close();
  });

  describe('every grant signs in for its built-in API, and the token works there', () => {
    it('Sweden client credentials: Fixed Network Product Catalog API', async () => {
      await s.auth.signIn(api('Fixed Network Product Catalog API'), 'sandbox');
      const status = s.auth.tokenStatus(api('Fixed Network Product Catalog API'), 'sandbox');
      assert.equal(status?.profile.grant, 'se-client-credentials');
      assert.ok(status?.token && status.token.expiresAt > Date.now() + 3500_000, 'an hour-long token (expires_in "3599")');
      const res = await call(`${box.url}/corporate/fixed-network/product-catalog/product-offers`, await authHeaders('Fixed Network Product Catalog API'));
      assert.equal(res.status, 200, res.body);
    });

    it('Sweden Communication API: client credentials plus the X-JWT from hasPermission', async () => {
      const title = 'Mobile Subscriptions Administration API';
      await s.auth.signIn(api(title), 'sandbox');
      const status = s.auth.tokenStatus(api(title), 'sandbox');
      assert.ok(status?.profile.xjwt, 'the profile fetches an X-JWT');
      assert.ok(status?.token?.jwtExpiresAt, 'the X-JWT expiry is known');
      const h = await authHeaders(title);
      assert.match(h['X-JWT'] ?? '', /^eyJ/);
      const res = await call(`${box.url}/b2b/mobile-admin/productCatalogManagement/v1/serviceRules`, { ...h, 'x-transaction-id': 'in-host-1' });
      assert.equal(res.status, 200, res.body);
    });

    it('Norway client credentials: Telenor Stores API', async () => {
      await s.auth.signIn(api('Telenor Stores API'), 'sandbox');
      assert.equal(s.auth.tokenStatus(api('Telenor Stores API'), 'sandbox')?.profile.grant, 'no-client-credentials');
      const res = await call(`${box.url}/telenor-stores/v1/stores`, await authHeaders('Telenor Stores API'));
      assert.equal(res.status, 200, res.body);
    });

    it('Norway password grant with the machine user: Mobile Subscription Info API', async () => {
      await s.auth.signIn(api('Mobile Subscription Info API'), 'sandbox');
      assert.equal(s.auth.tokenStatus(api('Mobile Subscription Info API'), 'sandbox')?.profile.grant, 'no-password');
      const res = await call(`${box.url}/organizations/v1/organizations`, await authHeaders('Mobile Subscription Info API'));
      assert.equal(res.status, 200, res.body);
      assert.match(res.body, /914742315/);
    });

    it('Norway authorization code: the browser approves on the consent page, the token reads the device', async () => {
      const browser = browserWill('approve');
      const signIn = vscode.commands.executeCommand<SignInResult>('telenor.signIn', { apiId: api('Mobile Device Info API').id, environment: 'sandbox' });
      // A browser walk that fails fails the test now, instead of leaving the sign-in waiting for its timeout.
      const result = await Promise.race([signIn, browser.done.then(() => signIn)]);
      assert.equal(result.signedIn, true, JSON.stringify(result));
      const { callbackUrl, page } = await browser.done;
      assert.equal(browser.opened.length, 1, 'the sign-in page was opened once');
      assert.match(page.body, /Signed in to Telenor/, 'the loopback success page');
      // The redirect URI is what asExternalUri made of the loopback callback (code-server: /proxy/<port>/…).
      assert.ok(s.auth.callbackUri && callbackUrl.startsWith(s.auth.callbackUri), `${callbackUrl} goes to ${s.auth.callbackUri}`);
      if (vscode.env.remoteName) assert.match(s.auth.callbackUri ?? '', /\/proxy\/\d+\/callback$/);
      const res = await call(`${box.url}/mobile-device-info/v1/device`, await authHeaders('Mobile Device Info API'));
      assert.equal(res.status, 200, res.body);
      assert.match(res.body, /iPhone 15 Pro/);
    });
  });

  describe('failures say what happened and offer the fix', () => {
    it('access_denied: an error that says consent was not given and what it means, with "Try Again"', async () => {
      const browser = browserWill('deny');
      const signIn = vscode.commands.executeCommand<SignInResult>('telenor.signIn', { apiId: api('Mobile Device Info API').id, environment: 'sandbox' });
      const result = await Promise.race([signIn, browser.done.then(() => signIn)]);
      const { page } = await browser.done;
      assert.match(page.body, /Consent was not given/, 'the browser tab says so too');
      assert.equal(result.signedIn, false);
      assert.equal(result.error?.kind, 'consent-denied');
      assert.match(result.error?.message ?? '', /Consent was not given/);
      assert.match(result.error?.message ?? '', /will not work until/);
      assert.deepEqual(result.error?.actions, ['Try Again']);
    });

    it('a browser sign-in started by a request can be cancelled: it stops waiting and the callback page goes away', async () => {
      await vscode.commands.executeCommand('telenor.signOut', { apiId: api('Mobile Device Info API').id, environment: 'sandbox' });
      const opened: string[] = [];
      s.auth.openExternal = async (uri) => {
        opened.push(uri.toString(true)); // the person never comes back from the browser
        return true;
      };
      const provider = await s.auth.headerProvider(api('Mobile Device Info API'), 'sandbox');
      assert.ok(provider);
      const controller = new AbortController();
      const pending = provider.headers(controller.signal);
      await eventually('the sign-in page to open', () => opened.length === 1);
      const start = await call(opened[0] ?? '');
      assert.equal(start.status, 302, 'while waiting, the start page leads to Telenor');
      controller.abort();
      await assert.rejects(pending, (e: { kind?: string }) => e.kind === 'cancelled');
      const after = await call(opened[0] ?? '').catch((e: unknown) => ({ status: 0, headers: {}, body: String(e) }));
      assert.notEqual(after.status, 302, 'the loopback server no longer starts a sign-in');
    });

    it('wrong machine user password: the seeds’ wording (code 20) and "Set Credentials"', async () => {
      const good = await s.credentials.read({ environment: 'sandbox', region: 'no', kind: 'machineUser' });
      assert.ok(good);
      try {
        await vscode.commands.executeCommand('telenor.setCredentials', {
          environment: 'sandbox',
          region: 'no',
          kind: 'machineUser',
          values: { username: good.username, password: 'definitely-wrong-password' },
        });
        const result = await vscode.commands.executeCommand<SignInResult>('telenor.signIn', { apiId: api('Mobile Subscription Info API').id, environment: 'sandbox' });
        assert.equal(result.signedIn, false);
        assert.equal(result.error?.kind, 'token-endpoint');
        assert.match(result.error?.message ?? '', /Error code 20 - Invalid resource owner credentials/);
        assert.equal(result.error?.actions[0], 'Set Credentials');
        assert.ok(!(result.error?.message ?? '').includes('definitely-wrong-password'));
      } finally {
        await s.credentials.set({ environment: 'sandbox', region: 'no', kind: 'machineUser' }, good);
      }
    });

    it('wrong client secret: code 22 in the seeds’ words', async () => {
      const good = await s.credentials.read({ environment: 'sandbox', region: 'no', kind: 'client' });
      assert.ok(good);
      try {
        await s.credentials.set({ environment: 'sandbox', region: 'no', kind: 'client' }, { clientId: good.clientId, clientSecret: 'not-the-secret' });
        const result = await vscode.commands.executeCommand<SignInResult>('telenor.signIn', { apiId: api('Telenor Stores API').id, environment: 'sandbox' });
        assert.match(result.error?.message ?? '', /Error code 22 - Basic Authentication failed, bad username or password\./);
        assert.equal(result.error?.actions[0], 'Set Credentials');
      } finally {
        await s.credentials.set({ environment: 'sandbox', region: 'no', kind: 'client' }, good);
      }
    });

    it('missing credentials: says which ones and offers the sandbox’s demo set and "Set Credentials"; clearing forgets the token', async () => {
      const title = 'Mobile Subscriptions Administration API';
      const jwt = await s.credentials.read({ environment: 'sandbox', region: 'se', kind: 'jwt' });
      assert.ok(jwt);
      await s.auth.signIn(api(title), 'sandbox');
      assert.ok(s.auth.tokenStatus(api(title), 'sandbox')?.token);
      try {
        await vscode.commands.executeCommand('telenor.clearCredentials', { environment: 'sandbox', region: 'se', kind: 'jwt', confirmed: true });
        await eventually('the token made with them to be forgotten', () => s.auth.tokenStatus(api(title), 'sandbox')?.token === undefined);
        const result = await vscode.commands.executeCommand<SignInResult>('telenor.signIn', { apiId: api(title).id, environment: 'sandbox' });
        assert.equal(result.error?.kind, 'credentials-missing');
        assert.match(result.error?.message ?? '', /Sweden X-JWT credentials/);
        assert.deepEqual(result.error?.actions, ['Use Demo Credentials', 'Set Credentials']);
        assert.match(result.error?.message ?? '', /Use Sandbox Demo Credentials/);
      } finally {
        await s.credentials.set({ environment: 'sandbox', region: 'se', kind: 'jwt' }, jwt);
      }
    });
  });

  describe('token status', () => {
    it('the status bar follows the active API: countdown while signed in, "signed out" after, hidden without an API', async () => {
      const stores = api('Telenor Stores API');
      await s.auth.signIn(stores, 'sandbox');
      s.activeApi.set(stores);
      const shown = await eventually('the status bar to show the Stores token', () => s.auth.statusBar.current);
      assert.match(shown.text, /^\$\(key\) Sandbox · Telenor Stores API · (59|60|1:00):\d\d/);
      assert.equal(shown.ticking, true, 'ticks while a live token is shown');
      assert.equal(shown.background, undefined);
      assert.match(shown.tooltip, /Grant: Norway · client credentials/);
      const first = shown.text;
      await eventually('the countdown to move', () => s.auth.statusBar.current?.text !== first, 3000);

      await vscode.commands.executeCommand('telenor.signOut', { apiId: stores.id, environment: 'sandbox' });
      const after = await eventually('"signed out"', () => (s.auth.statusBar.current?.text.endsWith('signed out') ? s.auth.statusBar.current : undefined));
      assert.equal(after.ticking, false, 'no tick without a token');
      s.activeApi.set(undefined);
      assert.equal(s.auth.statusBar.current, undefined, 'hidden when no API is active');
    });

    it('a 3-second token counts down to "expired" with the error colour, then stops ticking', async () => {
      const short = await sandbox({ tokenTtlSeconds: 3 });
      try {
        await useSandbox(short.url);
        const stores = api('Telenor Stores API');
        await s.auth.signIn(stores, 'sandbox');
        const status = s.auth.tokenStatus(stores, 'sandbox');
        assert.ok(status?.token && status.token.expiresAt - status.token.obtainedAt <= 3000, 'the token lives 3 s');
        s.activeApi.set(stores);
        const live = await eventually('a live countdown', () => s.auth.statusBar.current);
        assert.match(live.text, /· 0:0[0-3]$/);
        assert.equal(live.background, 'warning', 'the last five minutes are a warning');
        const expired = await eventually('"expired"', () => (s.auth.statusBar.current?.text.endsWith('expired') ? s.auth.statusBar.current : undefined), 6000);
        assert.equal(expired.background, 'error');
        assert.equal(expired.ticking, false);
        assert.equal(s.auth.authProvider.sessions().some((x) => x.scopes[1] === status.profile.id), false, 'an expired token is no session');
      } finally {
        s.activeApi.set(undefined);
        await useSandbox(box.url);
        await short.close();
      }
    });
  });

  describe('sign-out', () => {
    it('logs out at Telenor: the old token is dead at the sandbox (40105)', async () => {
      const stores = api('Telenor Stores API');
      await s.auth.signIn(stores, 'sandbox');
      const h = await authHeaders('Telenor Stores API');
      assert.equal((await call(`${box.url}/telenor-stores/v1/stores`, h)).status, 200);
      const outcome = await vscode.commands.executeCommand<string>('telenor.signOut', { apiId: stores.id, environment: 'sandbox' });
      assert.equal(outcome, 'logged-out');
      const res = await call(`${box.url}/telenor-stores/v1/stores`, h);
      assert.equal(res.status, 401);
      assert.match(res.body, /40105/);
      assert.equal(s.auth.tokenStatus(stores, 'sandbox')?.token, undefined);
    });
  });

  describe('the "telenor" authentication provider', () => {
    it('lists held tokens as sessions per environment + profile, found by API title or profile id', async () => {
      const stores = api('Telenor Stores API');
      await s.auth.signIn(stores, 'sandbox');
      const h = await authHeaders('Telenor Stores API');
      const sessions = await s.auth.authProvider.getSessions(['sandbox', 'Telenor Stores API']);
      assert.equal(sessions.length, 1);
      const session = sessions[0];
      assert.ok(session);
      assert.equal(session.accessToken, h['Authorization']?.replace(/^Bearer /, ''));
      assert.equal(session.account.label, 'Sandbox · Norway client credentials');
      const profileId = s.auth.tokenStatus(stores, 'sandbox')?.profile.id ?? '';
      assert.deepEqual((await s.auth.authProvider.getSessions(['sandbox', profileId])).map((x) => x.id), [session.id]);
      assert.deepEqual(await s.auth.authProvider.getSessions(['production', 'Telenor Stores API']), []);
      // VS Code itself sees the account (what the Accounts menu lists). Its getSession() would ask the person
      // to allow access first (a modal a test cannot answer), so that part is covered by the UI test.
      const accounts = await vscode.authentication.getAccounts('telenor');
      assert.ok(accounts.some((a) => a.label === 'Sandbox · Norway client credentials'), JSON.stringify(accounts));
    });

    it('createSession signs in, removeSession signs out, and both announce the change', async () => {
      const title = 'Mobile Subscription Info API';
      const changes: string[] = [];
      const sub = s.auth.authProvider.onDidChangeSessions((e) =>
        changes.push(`+${e.added?.length ?? 0} -${e.removed?.length ?? 0} ~${e.changed?.length ?? 0}`),
      );
      const vscodeHeard: string[] = [];
      const sub2 = vscode.authentication.onDidChangeSessions((e) => vscodeHeard.push(e.provider.id));
      try {
        const session = await s.auth.authProvider.createSession(['sandbox', title]);
        assert.equal(session.account.label, 'Sandbox · Norway password grant');
        assert.deepEqual(session.scopes, ['sandbox', s.auth.tokenStatus(api(title), 'sandbox')?.profile.id]);
        const works = await call(`${box.url}/corporate-accounts/v2/accounts`, { Authorization: `Bearer ${session.accessToken}` });
        assert.equal(works.status, 200, 'the session’s token is a real one');
        tokens.add(session.accessToken);
        assert.ok(changes.some((c) => c.startsWith('+1')), `added announced: ${changes.join(', ')}`);
        await eventually('VS Code to hear about the telenor sessions', () => vscodeHeard.includes('telenor'));

        await s.auth.authProvider.removeSession(session.id);
        assert.deepEqual(await s.auth.authProvider.getSessions(['sandbox', title]), []);
        assert.ok(changes.some((c) => c.includes('-1')), `removed announced: ${changes.join(', ')}`);
        const dead = await call(`${box.url}/corporate-accounts/v2/accounts`, { Authorization: `Bearer ${session.accessToken}` });
        assert.equal(dead.status, 401, 'removing the session logged out at Telenor');
      } finally {
        sub.dispose();
        sub2.dispose();
      }
    });
  });

  describe('token inspector', () => {
    it('shows the last exchanges per API, masked, with the expiry, and refreshes on a new exchange', async () => {
      await s.auth.signIn(api('Mobile Subscription Info API'), 'sandbox');
      await vscode.commands.executeCommand('telenor.showTokenInspector');
      const doc = await eventually('the inspector document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === INSPECTOR_URI.toString()));
      const text = doc.getText();
      assert.match(text, /## Mobile Subscription Info API — Sandbox/);
      assert.match(text, /POST http:\/\/127\.0\.0\.1:\d+\/oauth\/v2\/token/);
      assert.match(text, /Authorization: Basic \*\*\*/);
      assert.match(text, /password=\*\*\*/);
      assert.match(text, /Access token obtained .* expires /);
      const demo = box.credentials;
      for (const secret of [demo.no.clientSecret, demo.no.machineUser.password, demo.se.clientSecret, demo.se.jwt.password, ...tokens]) {
        if (secret) assert.ok(!text.includes(secret), `the inspector shows a secret: ${secret.slice(0, 4)}…`);
      }
      const before = (text.match(/^### /gm) ?? []).length;
      await s.auth.signIn(api('Telenor Stores API'), 'sandbox');
      await eventually('the inspector to show the new exchange', () => (doc.getText().match(/^### /gm) ?? []).length > before);
      assert.match(doc.getText(), /## Telenor Stores API — Sandbox/);
    });
  });

  // Mocha runs a suite's own tests before its nested suites: this one must be in the last nested suite.
  describe('afterwards', () => {
    it('no token, refresh token, JWT or secret ends up in settings, state or the log', async () => {
      await new Promise((r) => setTimeout(r, 1500)); // the log file is flushed asynchronously
      const text = everywhereButSecretStorage(s);
      const demo = box.credentials;
      for (const secret of [demo.no.clientSecret, demo.no.machineUser.password, demo.se.clientSecret, demo.se.jwt.password, ...tokens]) {
        if (secret) assert.ok(!text.includes(secret), `leaked: ${secret.slice(0, 4)}…`);
      }
      assert.ok(tokens.size >= 5, 'the suite saw the tokens it checks for');
    });
  });
});
