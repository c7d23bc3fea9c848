/** Public surface of the auth core (pure Node; the extension and the engine bundle import from here). */
export type * from './types';
export * from './errors';
export * from './redact';
export { DEFAULT_EXPIRES_IN_SECONDS, MAX_EXPIRES_IN_SECONDS, parseExpiresIn, parseTokenResponse, type ParseTokenOptions } from './tokenResponse';
export {
  basicAuthorization,
  DEFAULT_AUTH_TIMEOUT_MS,
  postTokenRequest,
  sendAuthRequest,
  type AuthHttpOptions,
  type AuthRequest,
  type AuthResponse,
  type ExchangeRecord,
  type TokenRequest,
} from './transport';
export * from './grant';
export { grantFor } from './grants';
export * from './grants/clientCredentials';
export * from './grants/password';
export * from './grants/refreshToken';
export * from './grants/xjwt';
export * from './grants/logout';
export { noAuthorizationCodeGrant } from './grants/browserSignIn';
export * from './authorizationCode';
export * from './loopback';
export * from './tokenCache';
export * from './profiles';
export * from './authService';
