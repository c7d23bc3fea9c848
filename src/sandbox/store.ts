// In-memory state of one sandbox instance: access tokens, refresh tokens, authorization codes and pending
// consent requests. Everything is keyed by an opaque random string; nothing is derived from credentials.

/** A random byte source. The default is `crypto.randomBytes`; tests may pass a deterministic one. */
export type RandomBytes = (size: number) => Uint8Array;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Opaque random strings in the shapes the real gateways hand out. */
export class RandomStrings {
  constructor(private readonly bytes: RandomBytes) {}

  /** `length` characters of [A-Za-z0-9], unbiased (bytes ≥ 248 are rejected rather than folded). */
  alnum(length: number): string {
    let out = '';
    while (out.length < length) {
      for (const b of this.bytes(length * 2)) {
        if (b < 248 && out.length < length) out += ALNUM[b % 62];
      }
    }
    return out;
  }

  /** base64url without padding, from `size` random bytes. */
  base64url(size: number): string {
    return Buffer.from(this.bytes(size)).toString('base64url');
  }
}

/**
 * A Map that forgets its oldest entries past `max`, so a load test that mints a million tokens cannot grow
 * the sandbox without bound. Expired entries are kept (until pushed out) because an expired token must
 * still answer "expired", not "unknown".
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  /** Removes and returns the entry: single-use things (codes, refresh tokens, consent ids) are taken. */
  take(key: K): V | undefined {
    const v = this.map.get(key);
    this.map.delete(key);
    return v;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

export type Region = 'se' | 'no';
export type NorwayGrant = 'client_credentials' | 'password' | 'authorization_code';

export interface AccessTokenRecord {
  region: Region;
  clientId: string;
  /** The grant that first produced this token's session (a refresh keeps it). */
  grant: NorwayGrant;
  /** Requested scopes; `undefined` when none were asked for (then every scope of the grant applies). */
  scopes: readonly string[] | undefined;
  issuedAt: number;
  expiresAt: number;
  /** Password grant: the machine user. */
  username?: string;
  /** Authorization-code grant: the line that consented. */
  lineId?: string;
  /** The refresh token issued with this access token, so logout can end the whole session. */
  refreshToken?: string;
}

export interface RefreshTokenRecord {
  clientId: string;
  grant: NorwayGrant;
  scopes: readonly string[] | undefined;
  username?: string;
  lineId?: string;
  expiresAt: number;
}

export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[] | undefined;
  lineId: string;
  expiresAt: number;
}

export interface PendingConsent {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: readonly string[] | undefined;
  expiresAt: number;
}

export type TokenLookup = { state: 'live'; record: AccessTokenRecord } | { state: 'expired' } | { state: 'unknown' };

/** How many of each thing one sandbox remembers at most (oldest forgotten first). */
const MAX_ENTRIES = 50_000;

export class SandboxStore {
  readonly accessTokens = new BoundedMap<string, AccessTokenRecord>(MAX_ENTRIES);
  readonly refreshTokens = new BoundedMap<string, RefreshTokenRecord>(MAX_ENTRIES);
  readonly codes = new BoundedMap<string, AuthorizationCodeRecord>(MAX_ENTRIES);
  readonly consents = new BoundedMap<string, PendingConsent>(MAX_ENTRIES);

  /** An access token as a gateway of `region` sees it: live, expired, or unknown (never issued there, or revoked). */
  lookup(token: string, region: Region, now: number): TokenLookup {
    const record = this.accessTokens.get(token);
    if (record === undefined || record.region !== region) return { state: 'unknown' };
    return record.expiresAt <= now ? { state: 'expired' } : { state: 'live', record };
  }

  /** Ends a Norway session: the access token and the refresh token minted with it. */
  revoke(accessToken: string): void {
    const record = this.accessTokens.take(accessToken);
    if (record?.refreshToken !== undefined) this.refreshTokens.delete(record.refreshToken);
  }
}
