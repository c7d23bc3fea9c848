/**
 * Auth model. Credentials only ever live in memory here and in VS Code SecretStorage (extension layer);
 * nothing in this folder writes them anywhere.
 */

export type EnvironmentId = 'sandbox' | 'test' | 'production';

/** Consumer key/secret (Sweden) or client id/secret (Norway). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** Norway Min Bedrift machine user for the password grant (username looks like `api7813371375`). */
export interface MachineUserCredentials {
  username: string;
  password: string;
}

/** Sweden Communication APIs: the body of `hasPermission`. `userId` is numeric in the docs' example. */
export interface JwtCredentials {
  clientId: string;
  userId: string;
  password: string;
}

export type CredentialKind = 'client' | 'machineUser' | 'jwt';

export interface CredentialSet {
  client?: ClientCredentials;
  machineUser?: MachineUserCredentials;
  jwt?: JwtCredentials;
}

/**
 * The grant an API needs:
 * - `se-client-credentials`: Sweden Open APIs, `POST /openapi/oauth2/token`, Basic key:secret.
 * - `no-client-credentials`: Norway (e.g. Telenor Stores API), `POST /oauth/v2/token`.
 * - `no-password`: Norway B2B admin APIs with a machine user.
 * - `no-authorization-code`: Norway APIs with end-user consent (line authentication), with refresh.
 */
export type GrantKind = 'se-client-credentials' | 'no-client-credentials' | 'no-password' | 'no-authorization-code';

export interface AuthProfile {
  /** Stable id, part of the token cache key. */
  id: string;
  label: string;
  grant: GrantKind;
  /** Absolute token URL for the active environment. */
  tokenUrl: string;
  /** Authorization code only. */
  authorizeUrl?: string;
  /** Norway: `GET /oauth/v2/logout`. */
  logoutUrl?: string;
  scope?: string;
  /** Sweden Communication APIs: fetch an X-JWT after the access token, send it on every call. */
  xjwt?: { hasPermissionUrl: string; service: string };
  /** Which stored credential kinds this profile needs (drives the "Set credentials" flow). */
  needs: CredentialKind[];
}

export interface JwtToken {
  token: string;
  /** Epoch ms. From the JWT's `exp` when readable, else access token lifetime. */
  expiresAt: number;
}

export interface TokenSet {
  accessToken: string;
  /** `Bearer` when the response omits it (Sweden never sends one). */
  tokenType: string;
  /** Epoch ms. */
  obtainedAt: number;
  /** Epoch ms; from `expires_in` (number or numeric string); a default lifetime when absent. */
  expiresAt: number;
  refreshToken?: string;
  scope?: string;
  jwt?: JwtToken;
}

/** A record of one token exchange for the token inspector: secrets already masked. */
export interface TokenExchangeRecord {
  at: number;
  profileId: string;
  environment: EnvironmentId;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  durationMs: number;
  error?: string;
}
