/**
 * Refresh token grant (Norway, for tokens from the password and authorization-code grants). Telenor
 * rotates refresh tokens ("the refresh token itself will also be refreshed"), so the new one replaces the
 * old; when an answer carries none, the old one is kept because it is the only one we have.
 */
import type { ClientCredentials, TokenSet } from '../types';
import type { Region } from '../errors';
import { postTokenRequest, type AuthHttpOptions } from '../transport';

export interface RefreshInput {
  tokenUrl: string;
  client: ClientCredentials;
  refreshToken: string;
  region: Region;
  scope?: string;
  signal?: AbortSignal;
}

export async function refreshAccessToken(http: AuthHttpOptions, input: RefreshInput): Promise<TokenSet> {
  const token = await postTokenRequest(http, {
    tokenUrl: input.tokenUrl,
    client: input.client,
    form: { grant_type: 'refresh_token', refresh_token: input.refreshToken, scope: input.scope },
    secrets: [{ value: input.refreshToken, kind: 'token' }],
    errorContext: {
      endpoint: 'token',
      region: input.region,
      grantType: 'refresh_token',
      ...(input.scope === undefined ? {} : { scope: input.scope }),
    },
    ...(input.signal ? { signal: input.signal } : {}),
  });
  return token.refreshToken === undefined ? { ...token, refreshToken: input.refreshToken } : token;
}
