/**
 * What the auth surfaces show, from plain data: status bar text and colours, countdown, account labels
 * and session ids, sign-out messages, the inspector document, and which buttons a failed sign-in offers.
 */
import * as assert from 'node:assert/strict';
import { TelenorError } from '../../src/core/errors';
import { TokenEndpointError } from '../../src/core/auth/errors';
import type { TokenExchangeRecord } from '../../src/core/auth/types';
import { Redactor } from '../../src/core/util/redact';
import { signInErrorView } from '../../src/extension/auth/errorView';
import {
  accountLabel,
  formatCountdown,
  parseSessionId,
  redactRecord,
  renderInspector,
  sessionId,
  signOutMessage,
  statusView,
} from '../../src/extension/auth/format';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const MIN = 60_000;

describe('auth surfaces (pure)', () => {
  it('counts down as m:ss, h:mm:ss past an hour, never below zero', () => {
    assert.equal(formatCountdown(59 * MIN + 12_000), '59:12');
    assert.equal(formatCountdown(3600_000), '1:00:00');
    assert.equal(formatCountdown(5_000), '0:05');
    assert.equal(formatCountdown(4_001), '0:05', 'rounds up: "0:00" only once it is really over');
    assert.equal(formatCountdown(-3_000), '0:00');
  });

  describe('status bar', () => {
    const base = { environment: 'sandbox' as const, apiTitle: 'Mobile Subscription Info API', now: NOW };

    it('shows the environment, the API and the time left, without colour while more than 5 minutes are left', () => {
      const v = statusView({ ...base, token: { obtainedAt: NOW - 48_000, expiresAt: NOW + 59 * MIN + 12_000 } });
      assert.equal(v.text, '$(key) Sandbox · Mobile Subscription Info API · 59:12');
      assert.equal(v.background, undefined);
      assert.equal(v.ticking, true);
      assert.match(v.ariaLabel, /expires in 59 minutes/);
    });

    it('warns in the last five minutes and turns to error + "expired" after', () => {
      assert.equal(statusView({ ...base, token: { obtainedAt: NOW - 55 * MIN, expiresAt: NOW + 5 * MIN } }).background, 'warning');
      assert.equal(statusView({ ...base, token: { obtainedAt: NOW - 55 * MIN, expiresAt: NOW + 5 * MIN + 1000 } }).background, undefined);
      const expired = statusView({ ...base, token: { obtainedAt: NOW - 61 * MIN, expiresAt: NOW - 1 } });
      assert.equal(expired.text, '$(key) Sandbox · Mobile Subscription Info API · expired');
      assert.equal(expired.background, 'error');
      assert.equal(expired.ticking, false, 'nothing left to count down');
    });

    it('says "signed out" and does not tick when no token is held', () => {
      const v = statusView(base);
      assert.equal(v.text, '$(key) Sandbox · Mobile Subscription Info API · signed out');
      assert.equal(v.ticking, false);
      assert.equal(v.background, undefined);
    });

    it('counts down to the earlier of token and X-JWT, and the tooltip names both expiries and the grant', () => {
      const v = statusView({
        ...base,
        grantLabel: 'Sweden · client credentials + X-JWT (Mobile Subscriptions Administration API)',
        token: { obtainedAt: NOW, expiresAt: NOW + 60 * MIN, jwtExpiresAt: NOW + 30 * MIN },
      });
      assert.match(v.text, /· 30:00$/);
      const tip = v.tooltip.join('\n');
      assert.match(tip, /Environment: Sandbox/);
      assert.match(tip, /Grant: Sweden · client credentials \+ X-JWT/);
      assert.match(tip, /Obtained: /);
      assert.match(tip, /Expires: /);
      assert.match(tip, /X-JWT expires: /);
    });
  });

  it('labels accounts like "Sandbox · Norway password grant" and round-trips session ids with | in profile ids', () => {
    assert.equal(accountLabel('sandbox', { grant: 'no-password' }), 'Sandbox · Norway password grant');
    assert.equal(
      accountLabel('test', { grant: 'se-client-credentials', xjwt: { hasPermissionUrl: 'x', service: 'Mobile Subscriptions Administration API' } }),
      'Test · Sweden client credentials + X-JWT (Mobile Subscriptions Administration API)',
    );
    const id = sessionId('production', 'se-client-credentials|xjwt:A|B');
    assert.deepEqual(parseSessionId(id), { environment: 'production', profileId: 'se-client-credentials|xjwt:A|B' });
    assert.equal(parseSessionId('["staging","x"]'), undefined);
    assert.equal(parseSessionId('garbage'), undefined);
  });

  it('tells the person what each sign-out outcome means', () => {
    assert.match(signOutMessage('logged-out', 'Stores (Sandbox)').text, /Telenor confirmed the logout/);
    assert.match(signOutMessage('not-supported', 'X (Test)').text, /no logout endpoint.*valid until it expires/);
    const failed = signOutMessage('failed', 'X', 'timeout');
    assert.equal(failed.level, 'warning');
    assert.match(failed.text, /failed: timeout/);
  });

  describe('token inspector', () => {
    const record = (at: number, extra: Partial<TokenExchangeRecord> = {}): TokenExchangeRecord => ({
      at,
      profileId: 'no-password',
      environment: 'sandbox',
      request: { method: 'POST', url: 'http://127.0.0.1:1/oauth/v2/token', headers: { Authorization: 'Basic ***' }, body: 'grant_type=password&username=api7813371375&password=***' },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"abcd…","expires_in":"3600"}' },
      durationMs: 12,
      ...extra,
    });

    it('lists exchanges per API newest first, with the token’s and the X-JWT’s expiry', () => {
      const text = renderInspector(
        [
          {
            environment: 'sandbox',
            profileId: 'no-password',
            profileLabel: 'Norway · machine user (password)',
            apiTitles: ['Mobile Subscription Info API'],
            token: { obtainedAt: NOW - MIN, expiresAt: NOW + 59 * MIN, jwtExpiresAt: NOW + 30 * MIN },
          },
        ],
        [record(NOW - 2 * MIN, { response: { status: 401, headers: {}, body: '{"error_code":20}' } }), record(NOW - MIN)],
        NOW,
      );
      assert.match(text, /## Mobile Subscription Info API — Sandbox/);
      assert.match(text, /expires .*\(in 59:00\)/);
      assert.match(text, /X-JWT expires .*\(in 30:00\)/);
      const ok = text.indexOf('HTTP 200');
      const refused = text.indexOf('HTTP 401');
      assert.ok(ok > 0 && refused > ok, 'the newer exchange (200) comes before the older one (401)');
      assert.match(text, /```http\nPOST http:\/\/127\.0\.0\.1:1\/oauth\/v2\/token\nAuthorization: Basic \*\*\*/);
    });

    it('says what to do when there is nothing yet', () => {
      assert.match(renderInspector([], [], NOW), /No token exchanges yet/);
    });

    it('masks again with the shared redactor whatever slipped through', () => {
      const redactor = new Redactor();
      redactor.register('leaked-access-token-value', 'token');
      const r = redactRecord(
        record(NOW, { response: { status: 200, headers: { 'x-echo': 'leaked-access-token-value' }, body: '{"access_token":"leaked-access-token-value"}' } }),
        (s) => redactor.redact(s),
      );
      const shown = JSON.stringify(r);
      assert.ok(!shown.includes('leaked-access-token-value'), shown);
      assert.ok(shown.includes('leak…'));
    });
  });

  describe('sign-in errors', () => {
    it('offers "Set Credentials" for missing credentials and for the codes that mean they are wrong', () => {
      const missing = new TelenorError('credentials-missing', 'No Norway client id…', { hint: 'Run “Telenor: Set Credentials”.' });
      assert.deepEqual(signInErrorView(missing, { environment: 'test' }).actions, ['Set Credentials']);
      assert.deepEqual(signInErrorView(missing, { environment: 'sandbox' }).actions, ['Use Demo Credentials', 'Set Credentials'], 'the sandbox’s demo set first');
      const wrong = new TokenEndpointError(
        'Telenor Norway’s token endpoint answered HTTP 401: Error code 20 - Invalid resource owner credentials.',
        { httpStatus: 401, code: 20, oauthError: 'invalid_grant', seedText: 'Error code 20 - Invalid resource owner credentials', explanation: '' },
        { hint: 'Check them in Min Bedrift.' },
      );
      const view = signInErrorView(wrong);
      assert.equal(view.actions[0], 'Set Credentials');
      assert.match(view.message, /Error code 20 - Invalid resource owner credentials/);
      assert.match(view.message, /Check them in Min Bedrift/, 'the hint is part of the message');
    });

    it('offers "Try Again" after access_denied, copying the callback URL after code 12, nothing after a cancel', () => {
      assert.deepEqual(signInErrorView(new TelenorError('consent-denied', 'Consent was not given', { hint: '' })).actions, ['Try Again']);
      const redirect = new TokenEndpointError('… Error code 12 - Invalid RedirectURI', { httpStatus: 403, code: 12, oauthError: undefined, seedText: 'x', explanation: '' }, { hint: '' });
      assert.deepEqual(signInErrorView(redirect, { callbackUri: 'http://127.0.0.1:1/callback' }).actions, ['Copy Callback URL', 'Try Again']);
      assert.equal(signInErrorView(new TelenorError('cancelled', 'Cancelled', { hint: '' })).silent, true);
    });

    it('points network and policy problems at the settings that fix them', () => {
      assert.ok(signInErrorView(new TelenorError('network', 'ECONNREFUSED', { hint: '' })).actions.includes('Open Network Settings'));
      assert.ok(signInErrorView(new TelenorError('policy', 'Refused plain http', { hint: '' })).actions.includes('Open Environment Settings'));
      assert.deepEqual(signInErrorView(new Error('boom')).actions, ['Show Log']);
    });
  });
});
