/**
 * X-JWT for Sweden's Communication APIs: with a live access token, `POST
 * {base}/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=<API name>` with a fresh
 * `X-Transaction-Id` and `{clientId, userId, password}`; the answer `{token}` is sent as `X-JWT` on every call.
 */
import { TelenorError } from '../../errors';
import type { JwtCredentials, JwtToken, TokenSet } from '../types';
import { tokenEndpointError } from '../errors';
import { excerpt, type Secret } from '../redact';
import { sendAuthRequest, uuidOf, type AuthHttpOptions } from '../transport';

export interface XJwtInput {
  /** `…/hasPermission/corporate/` without the `service` parameter. */
  hasPermissionUrl: string;
  /** The API's name, e.g. `Mobile Subscriptions Administration API`. */
  service: string;
  token: Pick<TokenSet, 'accessToken' | 'tokenType' | 'expiresAt'>;
  jwt: JwtCredentials;
  signal?: AbortSignal;
}

/**
 * The hasPermission URL with `service` set. Encoded with `encodeURIComponent` (space → `%20`, as in
 * Telenor's example) rather than `URLSearchParams`, whose `+` for a space not every gateway decodes.
 */
export function hasPermissionRequestUrl(hasPermissionUrl: string, service: string): string {
  const u = new URL(hasPermissionUrl);
  const kept = [...u.searchParams].filter(([k]) => k !== 'service');
  const query = [...kept.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), `service=${encodeURIComponent(service)}`];
  u.search = '';
  return `${u.href}?${query.join('&')}`;
}

/** `userId` as a JSON number when it is all digits (as in Telenor's example), else as given. */
export function jwtUserId(userId: string): number | string {
  const trimmed = userId.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (Number.isSafeInteger(n)) return n;
  }
  return trimmed;
}

/** The `exp` claim in epoch ms, read without checking the signature (we only need to know when to renew). */
export function jwtExpiry(jwt: string): number | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload.replace(/\s+/g, ''), 'base64url').toString('utf8'));
    const exp = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)['exp'] : undefined;
    const seconds = typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d+$/.test(exp) ? Number(exp) : undefined;
    // Past 8.64e15 ms a Date is invalid (toISOString throws): such an `exp` is as good as unreadable.
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 && seconds * 1000 <= 8.64e15 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function fetchXJwt(http: AuthHttpOptions, input: XJwtInput): Promise<JwtToken> {
  const secrets: Secret[] = [
    { value: input.token.accessToken, kind: 'token' },
    { value: input.jwt.password, kind: 'password' },
  ];
  const res = await sendAuthRequest(http, {
    method: 'POST',
    url: hasPermissionRequestUrl(input.hasPermissionUrl, input.service),
    headers: {
      Accept: 'application/json',
      Authorization: `${input.token.tokenType || 'Bearer'} ${input.token.accessToken}`,
      'Content-Type': 'application/json',
      'X-Transaction-Id': uuidOf(http),
    },
    body: JSON.stringify({ clientId: input.jwt.clientId, userId: jwtUserId(input.jwt.userId), password: input.jwt.password }),
    secrets,
    label: 'X-JWT endpoint',
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (res.status < 200 || res.status > 299) {
    throw tokenEndpointError(res.status, res.text, { endpoint: 'hasPermission', region: 'se', service: input.service, secrets });
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  const o = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const token = typeof o['token'] === 'string' ? o['token'] : typeof o['jwt'] === 'string' ? o['jwt'] : undefined;
  if (!token || token.trim() === '') {
    const what = body === undefined ? `content that is not JSON (${excerpt(res.contentType ?? 'no content type', 60)})` : `fields ${Object.keys(o).slice(0, 8).join(', ') || 'none'}`;
    throw new TelenorError('protocol', `The X-JWT endpoint answered ${res.status} without a token: it sent ${what}.`, {
      hint: 'Check the base URL for this environment and that the API is a Communication API that uses X-JWT.',
    });
  }
  // Without a readable `exp`, the JWT is taken to live as long as the access token it was issued with.
  return { token: token.trim(), expiresAt: jwtExpiry(token) ?? input.token.expiresAt };
}
