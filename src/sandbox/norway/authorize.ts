// `GET/POST /oauth/v2/authorize`: the consent step of Norway's authorization-code flow. GET checks the
// request and shows a consent page; the page's form POSTs back a server-side request id with the user's
// decision, and we redirect to the app's loopback callback with a code or `error=access_denied`.

import { SCOPE_DESCRIPTIONS, type NorwayScope } from '../clients';
import { after, bodyOr413, type Exchange } from '../context';
import { consentPage, errorPage, type Page } from '../html';
import { parseForm, redirect, sendHtml, single } from '../http';
import { parseScopes, TOKEN_ERRORS, type TokenErrorDef } from './oauth';

/** The scopes an authorization-code token gets when the app asks for none. */
const DEFAULT_CONSENT_SCOPES: readonly NorwayScope[] = ['device'];

/**
 * The redirect URIs registered for every sandbox app: plain-http loopback, as the extension's callback
 * server uses. No fragment and no userinfo (RFC 6749 §3.1.2; userinfo would hide the real host).
 */
export function isRegisteredRedirect(raw: string | undefined): raw is string {
  if (raw === undefined) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === 'localhost') &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !raw.includes('#')
  );
}

function showPage(x: Exchange, status: number, build: (nonce: string) => Page): void {
  const { html, csp } = build(x.ctx.random.base64url(18));
  sendHtml(x.res, status, html, csp);
}

function showError(x: Exchange, e: TokenErrorDef, hint: string): void {
  showPage(x, e.status, (nonce) => errorPage({ title: 'This app cannot sign you in', code: e.code, description: e.description, hint }, nonce));
}

export function authorizeGet(x: Exchange): void {
  const q = x.url.searchParams;
  const clientId = single(q, 'client_id');
  const client = clientId === undefined ? undefined : x.ctx.registry.norway.get(clientId);
  if (client === undefined) {
    return showError(x, TOKEN_ERRORS.invalidClientId, 'The link that brought you here names an app Telenor does not know. Check client_id.');
  }
  const redirectUri = single(q, 'redirect_uri');
  if (!isRegisteredRedirect(redirectUri)) {
    return showError(
      x,
      TOKEN_ERRORS.invalidRedirectUri,
      'redirect_uri must be a registered callback: http://127.0.0.1:<port>/… or http://localhost:<port>/… (no fragment).',
    );
  }
  if (single(q, 'response_type') !== 'code') {
    return showError(x, TOKEN_ERRORS.illegalResponseType, 'Only response_type=code is supported.');
  }
  if (!client.grants.has('authorization_code')) {
    return showError(x, TOKEN_ERRORS.grantNotPermitted, `The app ${client.id} may not use the authorization-code grant.`);
  }
  const scopes = parseScopes(q.getAll('scope'));
  if (scopes === null) {
    return showError(x, TOKEN_ERRORS.illegalScope, 'scope may only contain openapi, subscriptions, accounts and device, separated by spaces.');
  }

  const requestId = x.ctx.random.base64url(24);
  x.ctx.store.consents.set(requestId, {
    clientId: client.id,
    redirectUri,
    state: single(q, 'state'),
    scopes,
    expiresAt: after(x.ctx, x.ctx.consentTtlSeconds),
  });
  const asked = (scopes ?? DEFAULT_CONSENT_SCOPES) as readonly NorwayScope[];
  showPage(x, 200, (nonce) =>
    consentPage(
      {
        requestId,
        appName: client.appName,
        clientId: client.id,
        access: asked.map((s) => SCOPE_DESCRIPTIONS[s]),
        lines: x.ctx.norway.lines,
        redirectOrigin: new URL(redirectUri).origin,
      },
      nonce,
    ),
  );
}

/** `redirectUri` plus parameters, keeping any query it already has; values percent-encoded (`%20`). */
function withParams(redirectUri: string, params: Array<[string, string | undefined]>): string {
  const query = params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}`;
}

export async function authorizePost(x: Exchange): Promise<void> {
  const body = await bodyOr413(x);
  if (body === undefined) return;
  const form = parseForm(x.req, body);
  const requestId = single(form, 'request_id');
  const pending = requestId === undefined ? undefined : x.ctx.store.consents.get(requestId);
  if (requestId === undefined || pending === undefined || pending.expiresAt <= x.ctx.now()) {
    return showPage(x, 400, (nonce) =>
      errorPage(
        {
          title: 'This consent request has ended',
          description: 'It was already answered, it expired, or it never existed.',
          hint: 'Go back to the app and start signing in again.',
        },
        nonce,
      ),
    );
  }
  const decision = single(form, 'decision');
  const lineId = single(form, 'line') ?? x.ctx.norway.lines[0]?.id;
  const line = x.ctx.norway.lines.find((l) => l.id === lineId);
  if ((decision !== 'approve' && decision !== 'deny') || line === undefined) {
    // Kept pending: a malformed submission should not burn the user's consent request.
    return showPage(x, 400, (nonce) =>
      errorPage(
        {
          title: 'Please choose Approve or Deny',
          description: 'The consent form arrived without a decision or with an unknown line.',
          hint: 'Go back, choose a line and press Approve or Deny.',
        },
        nonce,
      ),
    );
  }
  x.ctx.store.consents.delete(requestId);
  if (decision === 'deny') {
    return redirect(
      x.res,
      withParams(pending.redirectUri, [
        ['error', 'access_denied'],
        ['error_description', 'The resource owner denied the request'],
        ['state', pending.state],
      ]),
    );
  }
  const code = x.ctx.random.base64url(32);
  x.ctx.store.codes.set(code, {
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    scopes: pending.scopes ?? DEFAULT_CONSENT_SCOPES,
    lineId: line.id,
    expiresAt: after(x.ctx, x.ctx.codeTtlSeconds),
  });
  redirect(x.res, withParams(pending.redirectUri, [['code', code], ['state', pending.state]]));
}
