/** Norway logout: `GET /oauth/v2/logout` with the Bearer token; `200 OK!` and the token is dead. */
import type { TokenSet } from '../types';
import type { Region } from '../errors';
import { tokenEndpointError } from '../errors';
import type { Secret } from '../redact';
import { sendAuthRequest, type AuthHttpOptions } from '../transport';

export interface LogoutInput {
  logoutUrl: string;
  token: Pick<TokenSet, 'accessToken' | 'tokenType'>;
  region?: Region;
  signal?: AbortSignal;
}

/** Resolves when Telenor confirmed the logout; rejects with a `token-endpoint` error otherwise. */
export async function logout(http: AuthHttpOptions, input: LogoutInput): Promise<void> {
  const authorization = `${input.token.tokenType || 'Bearer'} ${input.token.accessToken}`;
  const secrets: Secret[] = [{ value: input.token.accessToken, kind: 'token' }];
  const res = await sendAuthRequest(http, {
    method: 'GET',
    url: input.logoutUrl,
    headers: { Authorization: authorization },
    secrets,
    label: 'logout endpoint',
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (res.status < 200 || res.status > 299) {
    throw tokenEndpointError(res.status, res.text, { endpoint: 'logout', region: input.region ?? 'no', secrets });
  }
}
