// HS256 JWTs for the Sweden X-JWT flow. Hand-written over node:crypto because the sandbox needs only
// sign and verify of one fixed algorithm with its own key, and adding a JOSE library to the shipped
// sandbox bundle for that would cost more than these few lines.

import { createHmac, timingSafeEqual } from 'node:crypto';

export interface XJwtClaims {
  sub: string;
  clientId: string;
  service: string;
  iat: number;
  exp: number;
  jti: string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function signature(key: Uint8Array, signingInput: string): Buffer {
  return createHmac('sha256', key).update(signingInput).digest();
}

export function signJwt(key: Uint8Array, claims: XJwtClaims): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${signature(key, input).toString('base64url')}`;
}

export type JwtCheck =
  | { ok: true; claims: XJwtClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

function isClaims(v: unknown): v is XJwtClaims {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c['sub'] === 'string' &&
    typeof c['clientId'] === 'string' &&
    typeof c['service'] === 'string' &&
    typeof c['exp'] === 'number'
  );
}

/** Verifies signature and expiry (`nowMs` on the caller's clock). Never throws on any input. */
export function verifyJwt(key: Uint8Array, token: string, nowMs: number): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head = '', body = '', sig = ''] = parts;
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'HS256' || !isClaims(claims)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = signature(key, `${head}.${body}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
