/**
 * Entry of the lazily loaded engine bundle (dist/engine.js). Everything that pulls in undici or
 * httpsnippet is reached through here, so `activate()` never pays for it; the extension loads this file
 * by path the first time a user signs in, sends or asks for a snippet (src/extension/lazy.ts).
 *
 * Only runtime values are listed; types are imported from the modules themselves with `import type`.
 */
export { AuthService, resolveAuthProfile, isTokenEndpointError, documentedTokenErrors } from './auth';
export { buildRequest, MissingParametersError } from './http/build';
export { sendRequest } from './http/send';
export { createDispatcher, checkTransportPolicy, isLoopbackHost } from './http/transport';
export { classifyApiError, isTokenRejection, norwayCodeMeaning } from './http/apiErrors';
export { generateSnippet, toSnippetWithTabStops, toHar, SNIPPET_TARGETS } from './snippets';

/** The shape of the engine module as the extension sees it after `require`. */
export type Engine = typeof import('./engine');
