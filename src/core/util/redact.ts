/**
 * Secret masking for everything a person or a file may see: the log channel, the token inspector, request
 * history, curl export and snippets.
 *
 * Two layers, applied in this order:
 * 1. By value: every credential and token the extension handles is registered at run time and masked
 *    wherever it appears (also in its URL-, form- and JSON-escaped spellings), whatever the surrounding text.
 * 2. By shape: header values (`Authorization`, `Proxy-Authorization`, `X-JWT`, `Cookie`), URL query and
 *    form fields, JSON / object-literal fields, URL user-info and anything that looks like a JWT, for
 *    secrets we never saw (a token pasted into a spec, a server echoing a code back).
 *
 * Masks: tokens keep their first 4 characters (`iLsX…`) so two of them can still be told apart; passwords
 * and client secrets show nothing (`***`). Short tokens show nothing either: 4 characters of an 8-character
 * token would give away half of it.
 *
 * `redact()` runs on every log line, so every pattern is compiled once per Redactor and the by-value pass is
 * plain substring search (no per-call regex building).
 */
import type { IDisposable } from './lifecycle';

/** `token`: show a 4-character prefix. `password`: show nothing (passwords, client secrets, Basic credentials). */
export type SecretKind = 'token' | 'password';

export const HIDDEN = '***';
const ELLIPSIS = '…';

/** First 4 characters and an ellipsis for values of 12 characters or more, else `***`. Idempotent. */
export function maskToken(value: string): string {
  if (isMasked(value)) return value;
  return value.length >= 12 ? `${value.slice(0, 4)}${ELLIPSIS}` : HIDDEN;
}

export function maskSecret(value: string, kind: SecretKind): string {
  return kind === 'password' ? HIDDEN : maskToken(value);
}

/** Already masked (by us) or a placeholder such as `<access_token>` / `$TELENOR_TOKEN`: leave alone. */
function isMasked(value: string): boolean {
  return (
    value === '' ||
    value === HIDDEN ||
    value.endsWith(ELLIPSIS) ||
    /^<[\w. -]+>$/.test(value) ||
    /^\$\{?[A-Z_][A-Z0-9_]*\}?$/.test(value)
  );
}

/** Field names whose whole value is a credential: shown as `***`. Lower case. */
const PASSWORD_FIELDS: ReadonlySet<string> = new Set(['password', 'client_secret', 'clientsecret', 'secret']);

/** Header names whose value is a credential. Lower case. */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-jwt',
  'cookie',
  'set-cookie',
]);

/** Error codes are not secrets: CAMARA `"code": "UNAUTHENTICATED"`, a Norway `"code": "40106"`. */
const ERROR_CODE_VALUE = /^(?:[A-Z][A-Z_.]*|\d{1,7})$/;

export interface RedactorOptions {
  /**
   * Registered values shorter than this are not masked by value (they still are by shape): masking every
   * `ab` in every log line would make the log unreadable while protecting nothing. Default 4.
   */
  minSecretLength?: number;
}

interface Registered {
  kind: SecretKind;
  /** Owners that registered this value; it stays masked until every one of them let go. */
  count: number;
}

export class Redactor {
  private readonly minLength: number;
  private readonly registered = new Map<string, Registered>();
  /** [spelling, mask], longest first so a secret containing another is masked whole. Rebuilt on register. */
  private spellings: ReadonlyArray<readonly [string, string]> = [];

  // Compiled once per instance; `String.prototype.replace` resets `lastIndex`, so sharing them is safe.
  private readonly headerPattern =
    /(\b(?:proxy-authorization|authorization|x-jwt|set-cookie|cookie))(["']?[ \t]*[:=][ \t]*["']?)([^\r\n"'\\,}]*)/gi;
  private readonly userInfoPattern = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@\s/]+)(@)/gi;
  private readonly paramPattern =
    /(^|[?&#\s'"])(access_token|refresh_token|id_token|client_secret|client_assertion|password|token|code|state)=([^&#\s'";,]*)/gim;
  private readonly fieldPattern =
    /(["']?)\b(access_token|refresh_token|id_token|client_secret|clientSecret|accessToken|refreshToken|password|token|code|jwt|secret)\1([ \t]*[:=][ \t]*)(["'])((?:\\.|(?!\4)[^\\\r\n])*)\4/gi;
  private readonly jwtPattern = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

  constructor(options: RedactorOptions = {}) {
    this.minLength = options.minSecretLength ?? 4;
  }

  /**
   * Mask `value` wherever it appears from now on. Dispose the result when the secret is gone (signed out,
   * credentials cleared); a value registered by several owners stays masked until all of them dispose.
   */
  register(value: string, kind: SecretKind = 'token'): IDisposable {
    if (value.length < this.minLength) return { dispose: () => undefined };
    const existing = this.registered.get(value);
    if (existing) {
      existing.count++;
      // A value once known as a password never shows a prefix, even if another owner calls it a token.
      if (kind === 'password') existing.kind = 'password';
    } else {
      this.registered.set(value, { kind, count: 1 });
    }
    this.rebuild();
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        const entry = this.registered.get(value);
        if (!entry) return;
        if (--entry.count <= 0) this.registered.delete(value);
        this.rebuild();
      },
    };
  }

  /** How many distinct values are registered (for tests and diagnostics; never the values). */
  get registeredCount(): number {
    return this.registered.size;
  }

  /** True when `text` contains a registered secret in any of its spellings. */
  containsSecret(text: string): boolean {
    for (const [spelling] of this.spellings) if (text.includes(spelling)) return true;
    return false;
  }

  /**
   * `text` with every registered secret masked, and nothing else touched. For generated code, where the
   * by-shape rules would mangle deliberate placeholders (`'Authorization: Bearer $TELENOR_TOKEN'`).
   */
  redactKnown(text: string): string {
    let out = text;
    for (const [spelling, mask] of this.spellings) {
      if (out.includes(spelling)) out = out.split(spelling).join(mask);
    }
    return out;
  }

  /** `text` with every registered secret and every secret-shaped value masked. */
  redact(text: string): string {
    let out = this.redactKnown(text);
    out = out.replace(this.headerPattern, (_m, name: string, sep: string, value: string) => {
      return name + sep + maskHeaderValue(name, value);
    });
    out = out.replace(this.userInfoPattern, (_m, head: string, _pw: string, at: string) => `${head}${HIDDEN}${at}`);
    out = out.replace(this.paramPattern, (_m, lead: string, name: string, value: string) => {
      return `${lead}${name}=${maskField(name, value)}`;
    });
    out = out.replace(
      this.fieldPattern,
      (_m, q1: string, name: string, sep: string, q2: string, value: string) =>
        `${q1}${name}${q1}${sep}${q2}${maskField(name, value)}${q2}`,
    );
    out = out.replace(this.jwtPattern, (jwt) => maskToken(jwt));
    return out;
  }

  /** A copy of `headers` safe to show: credential headers masked by rule, every other value redacted. */
  redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) out[name] = this.redactHeader(name, value);
    return out;
  }

  /** One header value, safe to show. */
  redactHeader(name: string, value: string): string {
    const key = name.toLowerCase();
    return SECRET_HEADERS.has(key) ? maskHeaderValue(key, this.redact(value)) : this.redact(value);
  }

  private rebuild(): void {
    const pairs = new Map<string, string>();
    for (const [value, { kind }] of this.registered) {
      const mask = maskSecret(value, kind);
      for (const spelling of spellingsOf(value)) {
        if (spelling.length >= this.minLength && !pairs.has(spelling)) pairs.set(spelling, mask);
      }
    }
    this.spellings = [...pairs].sort((a, b) => b[0].length - a[0].length);
  }
}

/** The ways a secret shows up in text we log: raw, URL-encoded, form-encoded, inside a JSON string. */
function spellingsOf(value: string): string[] {
  const uri = encodeURIComponent(value);
  const form = uri.replace(/%20/g, '+');
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, uri, form, json])];
}

/** Keep the scheme (`Bearer`, `Basic`): it tells the reader what was sent without telling the secret. */
function maskHeaderValue(name: string, value: string): string {
  const key = name.toLowerCase();
  const trimmed = value.trim();
  if (trimmed === '' || isMasked(trimmed)) return value;
  if (key === 'cookie' || key === 'set-cookie') return HIDDEN;
  if (key === 'x-jwt') return maskToken(trimmed);
  const m = /^([A-Za-z][\w-]*)\s+(\S+)/.exec(trimmed);
  if (!m) return maskToken(trimmed);
  const scheme = m[1] ?? '';
  const credential = m[2] ?? '';
  // Basic carries base64(id:secret): any prefix of it is a prefix of the client id and secret.
  if (/^(?:basic|digest)$/i.test(scheme)) return `${scheme} ${HIDDEN}`;
  return `${scheme} ${maskToken(credential)}`;
}

function maskField(name: string, value: string): string {
  const key = name.toLowerCase();
  if (isMasked(value)) return value;
  if (PASSWORD_FIELDS.has(key)) return HIDDEN;
  if (key === 'code' && ERROR_CODE_VALUE.test(value)) return value;
  return maskToken(value);
}
