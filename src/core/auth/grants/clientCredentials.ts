/**
 * Client credentials, both countries. Sweden: `POST {base}/openapi/oauth2/token`, Basic key:secret,
 * `grant_type=client_credentials`, answer with a string `expires_in` and no `token_type`. Norway (the
 * Telenor Stores API): the same form at `/oauth/v2/token`, with an optional `scope`.
 */
import type { ClientCredentials, TokenSet } from '../types';
import type { Region } from '../errors';
import { postTokenRequest, type AuthHttpOptions } from '../transport';
import { regionOf, requireClient, type Grant, type GrantRequest } from '../grant';

export interface ClientCredentialsInput {
  tokenUrl: string;
  client: ClientCredentials;
  region: Region;
  scope?: string;
  signal?: AbortSignal;
}

export function requestClientCredentialsToken(http: AuthHttpOptions, input: ClientCredentialsInput): Promise<TokenSet> {
  return postTokenRequest(http, {
    tokenUrl: input.tokenUrl,
    client: input.client,
    form: { grant_type: 'client_credentials', scope: input.scope },
    errorContext: {
      endpoint: 'token',
      region: input.region,
      grantType: 'client_credentials',
      ...(input.scope === undefined ? {} : { scope: input.scope }),
    },
    ...(input.signal ? { signal: input.signal } : {}),
  });
}

function clientCredentialsGrant(kind: 'se-client-credentials' | 'no-client-credentials'): Grant {
  return {
    kind,
    interactive: false,
    acquire: (req: GrantRequest) =>
      requestClientCredentialsToken(req.http, {
        tokenUrl: req.profile.tokenUrl,
        client: requireClient(req),
        region: regionOf(kind),
        ...(req.profile.scope === undefined ? {} : { scope: req.profile.scope }),
        ...(req.signal ? { signal: req.signal } : {}),
      }),
  };
}

export const seClientCredentialsGrant: Grant = clientCredentialsGrant('se-client-credentials');
export const noClientCredentialsGrant: Grant = clientCredentialsGrant('no-client-credentials');
