/**
 * Norway resource-owner password grant: the client authenticates with Basic client_id:client_secret and
 * sends a Min Bedrift machine user's `username`/`password` (B2B admin APIs such as Mobile Subscription Info).
 */
import type { ClientCredentials, MachineUserCredentials, TokenSet } from '../types';
import { postTokenRequest, type AuthHttpOptions } from '../transport';
import { requireClient, requireMachineUser, type Grant } from '../grant';

export interface PasswordInput {
  tokenUrl: string;
  client: ClientCredentials;
  machineUser: MachineUserCredentials;
  scope?: string;
  signal?: AbortSignal;
}

export function requestPasswordToken(http: AuthHttpOptions, input: PasswordInput): Promise<TokenSet> {
  return postTokenRequest(http, {
    tokenUrl: input.tokenUrl,
    client: input.client,
    form: {
      grant_type: 'password',
      username: input.machineUser.username,
      password: input.machineUser.password,
      scope: input.scope,
    },
    secrets: [{ value: input.machineUser.password, kind: 'password' }],
    errorContext: {
      endpoint: 'token',
      region: 'no',
      grantType: 'password',
      ...(input.scope === undefined ? {} : { scope: input.scope }),
    },
    ...(input.signal ? { signal: input.signal } : {}),
  });
}

export const noPasswordGrant: Grant = {
  kind: 'no-password',
  interactive: false,
  acquire: (req) =>
    requestPasswordToken(req.http, {
      tokenUrl: req.profile.tokenUrl,
      client: requireClient(req),
      machineUser: requireMachineUser(req),
      ...(req.profile.scope === undefined ? {} : { scope: req.profile.scope }),
      ...(req.signal ? { signal: req.signal } : {}),
    }),
};
