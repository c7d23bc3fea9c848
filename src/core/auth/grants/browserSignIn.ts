/**
 * The authorization-code grant as a `Grant`: a loopback server, the person's browser through `/start` to
 * Telenor's consent page, the callback, then the code exchange.
 */
import { TelenorError } from '../../errors';
import { buildAuthorizeUrl, createState, exchangeAuthorizationCode } from '../authorizationCode';
import { runLoopbackSignIn } from '../loopback';
import { randomBytesOf } from '../transport';
import { requireClient, type Grant } from '../grant';

export const noAuthorizationCodeGrant: Grant = {
  kind: 'no-authorization-code',
  interactive: true,
  async acquire(req) {
    const client = requireClient(req);
    const interactive = req.interactive;
    if (!interactive) {
      throw new TelenorError('internal', `“${req.profile.label}” needs a sign-in in the browser, which is not available here.`, {
        hint: 'Sign in from VS Code with “Telenor: Sign In”.',
      });
    }
    const authorizeUrl = req.profile.authorizeUrl;
    if (!authorizeUrl) {
      throw new TelenorError('internal', `“${req.profile.label}” has no authorize URL.`, {
        hint: 'Set authorizeUrl in the auth settings override for this API.',
      });
    }
    const callback = await runLoopbackSignIn({
      ...(interactive.port === undefined ? {} : { port: interactive.port }),
      ...(interactive.callbackPath === undefined ? {} : { callbackPath: interactive.callbackPath }),
      ...(interactive.timeoutMs === undefined ? {} : { timeoutMs: interactive.timeoutMs }),
      ...(req.signal ? { signal: req.signal } : {}),
      prepare: async (localCallbackUrl) => {
        const redirectUri = interactive.resolveRedirectUri ? await interactive.resolveRedirectUri(localCallbackUrl) : localCallbackUrl;
        const state = createState((n) => randomBytesOf(req.http, n));
        const url = buildAuthorizeUrl({
          authorizeUrl,
          clientId: client.clientId,
          redirectUri,
          state,
          ...(req.profile.scope === undefined ? {} : { scope: req.profile.scope }),
        });
        return { authorizeUrl: url, state, redirectUri };
      },
      openBrowser: (startUrl) => interactive.openBrowser(startUrl),
    });
    interactive.onAuthorizationCode?.(callback.code);
    return exchangeAuthorizationCode(req.http, {
      tokenUrl: req.profile.tokenUrl,
      client,
      code: callback.code,
      redirectUri: callback.redirectUri,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  },
};
