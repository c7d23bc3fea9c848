/**
 * What the auth surfaces show, as pure functions of the data (no `vscode`): the status bar's text, tooltip
 * and colour, account labels and session ids of the authentication provider, sign-out outcomes, and the
 * token inspector's document. Unit-tested in plain Node (test/unit/auth.format.test.ts).
 */
import type { AuthProfile, EnvironmentId, GrantKind, TokenExchangeRecord } from '../../core/auth/types';

export const ENV_LABELS: Readonly<Record<EnvironmentId, string>> = { sandbox: 'Sandbox', test: 'Test', production: 'Production' };

/** The last five minutes of a token's life are shown as a warning. */
export const WARN_BEFORE_MS = 5 * 60_000;

/** `59:12`, `1:00:00`, `0:05`: minutes and seconds, hours only when there are any. Never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "in 59 minutes", "in 40 seconds": for screen readers, which should not hear a clock tick. */
export function spokenDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hours`;
}

/** Local wall-clock time with seconds, e.g. `14:03:12`; the date too when it is not today. */
export function formatTime(epochMs: number, now: number): string {
  const d = new Date(epochMs);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? time : `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${time}`;
}

const SHORT_GRANTS: Readonly<Record<GrantKind, string>> = {
  'se-client-credentials': 'Sweden client credentials',
  'no-client-credentials': 'Norway client credentials',
  'no-password': 'Norway password grant',
  'no-authorization-code': 'Norway authorization code',
};

/** The authentication provider's account label: `Sandbox · Norway password grant`. */
export function accountLabel(environment: EnvironmentId, profile: Pick<AuthProfile, 'grant' | 'xjwt'>): string {
  const label = `${ENV_LABELS[environment]} · ${SHORT_GRANTS[profile.grant]}`;
  return profile.xjwt ? `${label} + X-JWT (${profile.xjwt.service})` : label;
}

/** Session ids carry the environment and profile id unambiguously (profile ids may contain `|`). */
export function sessionId(environment: EnvironmentId, profileId: string): string {
  return JSON.stringify([environment, profileId]);
}

export function parseSessionId(id: string): { environment: EnvironmentId; profileId: string } | undefined {
  try {
    const parts: unknown = JSON.parse(id);
    if (Array.isArray(parts) && parts.length === 2 && typeof parts[1] === 'string' && (parts[0] === 'sandbox' || parts[0] === 'test' || parts[0] === 'production')) {
      return { environment: parts[0], profileId: parts[1] };
    }
  } catch {
    // Not one of ours.
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------ status bar

export interface StatusInput {
  environment: EnvironmentId;
  apiTitle: string;
  /** Undefined: no token held. */
  token?: { obtainedAt: number; expiresAt: number; jwtExpiresAt?: number };
  /** The grant's label, when known (the profile is resolved on first sign-in). */
  grantLabel?: string;
  now: number;
}

export interface StatusView {
  text: string;
  /** Markdown lines for the tooltip. */
  tooltip: string[];
  /** What a screen reader says (no ticking seconds). */
  ariaLabel: string;
  background: 'warning' | 'error' | undefined;
  /** True while a live token counts down: the only time the item needs a 1-second tick. */
  ticking: boolean;
}

/** When the token set stops working: the earlier of the access token and the X-JWT. */
export function effectiveExpiry(token: { expiresAt: number; jwtExpiresAt?: number }): number {
  return token.jwtExpiresAt === undefined ? token.expiresAt : Math.min(token.expiresAt, token.jwtExpiresAt);
}

export function statusView(input: StatusInput): StatusView {
  const head = `${ENV_LABELS[input.environment]} · ${input.apiTitle}`;
  const tooltip = [`**Telenor token** — ${input.apiTitle}`, '', `Environment: ${ENV_LABELS[input.environment]}`];
  if (input.grantLabel) tooltip.push(`Grant: ${input.grantLabel}`);
  if (!input.token) {
    tooltip.push('', 'Signed out: no token is held for this API.', '', 'Click to sign in.');
    return { text: `$(key) ${head} · signed out`, tooltip, ariaLabel: `Telenor: ${head}, signed out. Activate to sign in.`, background: undefined, ticking: false };
  }
  const expiry = effectiveExpiry(input.token);
  const left = expiry - input.now;
  tooltip.push(`Obtained: ${formatTime(input.token.obtainedAt, input.now)}`, `Expires: ${formatTime(input.token.expiresAt, input.now)}`);
  if (input.token.jwtExpiresAt !== undefined) tooltip.push(`X-JWT expires: ${formatTime(input.token.jwtExpiresAt, input.now)}`);
  if (left <= 0) {
    tooltip.push('', 'The token has expired: calls will be refused until you sign in again.', '', 'Click to sign in again.');
    return { text: `$(key) ${head} · expired`, tooltip, ariaLabel: `Telenor: ${head}, token expired. Activate to sign in again.`, background: 'error', ticking: false };
  }
  tooltip.push('', `Valid for ${formatCountdown(left)} more.`, '', 'Click to renew the token now.');
  return {
    text: `$(key) ${head} · ${formatCountdown(left)}`,
    tooltip,
    ariaLabel: `Telenor: ${head}, token expires in ${spokenDuration(left)}. Activate to renew.`,
    background: left <= WARN_BEFORE_MS ? 'warning' : undefined,
    ticking: true,
  };
}

// ------------------------------------------------------------------------------------------ sign-out

export type SignOutOutcomeName = 'logged-out' | 'already-invalid' | 'not-supported' | 'no-token' | 'failed';

/** What the person is told after signing out; `level` picks the notification kind. */
export function signOutMessage(outcome: SignOutOutcomeName, what: string, errorText?: string): { level: 'info' | 'warning'; text: string } {
  switch (outcome) {
    case 'logged-out':
      return { level: 'info', text: `Signed out of ${what}: Telenor confirmed the logout, so the token no longer works anywhere.` };
    case 'already-invalid':
      return { level: 'info', text: `Signed out of ${what}: Telenor said the token was already invalid; it is forgotten here too.` };
    case 'not-supported':
      return {
        level: 'info',
        text: `Forgot the token for ${what} in this window. Telenor Sweden has no logout endpoint, so the token itself stays valid until it expires.`,
      };
    case 'no-token':
      return { level: 'info', text: `You were not signed in to ${what}.` };
    case 'failed':
      return {
        level: 'warning',
        text: `Forgot the token for ${what} in this window, but logging out at Telenor failed${errorText ? `: ${errorText}` : '.'} The token may keep working until it expires.`,
      };
  }
}

// ---------------------------------------------------------------------------------------- inspector

export interface InspectorGroup {
  environment: EnvironmentId;
  profileId: string;
  profileLabel: string;
  /** APIs that use this profile (known from profile lookups). */
  apiTitles: string[];
  token?: { obtainedAt: number; expiresAt: number; jwtExpiresAt?: number; scope?: string };
}

/** Make an exchange record safe to show once more with the shared redactor (they arrive masked already). */
export function redactRecord(r: TokenExchangeRecord, redact: (s: string) => string): TokenExchangeRecord {
  const headers = (h: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k, redact(`${k}: ${v}`).slice(k.length + 2)]));
  return {
    ...r,
    request: {
      method: r.request.method,
      url: redact(r.request.url),
      headers: headers(r.request.headers),
      ...(r.request.body === undefined ? {} : { body: redact(r.request.body) }),
    },
    ...(r.response ? { response: { status: r.response.status, headers: headers(r.response.headers), body: redact(r.response.body) } } : {}),
    ...(r.error === undefined ? {} : { error: redact(r.error) }),
  };
}

function fence(text: string): string {
  // A body could contain a fence of its own: use one longer than any run of backticks inside.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}http\n${text.replace(/\s+$/, '')}\n${f}`;
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * The token inspector's markdown: one section per environment + auth profile (newest activity first),
 * the current token's expiry and the X-JWT's, then its exchanges newest first as http-like text.
 */
export function renderInspector(groups: readonly InspectorGroup[], records: readonly TokenExchangeRecord[], now: number): string {
  const lines: string[] = ['# Telenor token inspector', ''];
  lines.push('The most recent token exchanges, newest first. Secrets are masked: passwords and client secrets show as `***`, tokens keep only their first 4 characters.', '');
  const key = (env: string, id: string): string => `${env}\n${id}`;
  const byGroup = new Map<string, TokenExchangeRecord[]>();
  for (const r of records) {
    const k = key(r.environment, r.profileId);
    byGroup.set(k, [...(byGroup.get(k) ?? []), r]);
  }
  const known = new Map(groups.map((g) => [key(g.environment, g.profileId), g]));
  for (const k of byGroup.keys()) {
    if (!known.has(k)) {
      const [environment, profileId] = k.split('\n') as [EnvironmentId, string];
      known.set(k, { environment, profileId, profileLabel: profileId, apiTitles: [] });
    }
  }
  const latest = (g: InspectorGroup): number => Math.max(g.token?.obtainedAt ?? 0, ...(byGroup.get(key(g.environment, g.profileId)) ?? []).map((r) => r.at));
  const ordered = [...known.values()].filter((g) => g.token || byGroup.has(key(g.environment, g.profileId))).sort((a, b) => latest(b) - latest(a));
  if (ordered.length === 0) {
    lines.push('_No token exchanges yet. Sign in (“Telenor: Sign In”) or send a request, and they appear here._');
    return `${lines.join('\n')}\n`;
  }
  for (const g of ordered) {
    const apis = g.apiTitles.length > 0 ? g.apiTitles.join(', ') : g.profileLabel;
    lines.push(`## ${apis} — ${ENV_LABELS[g.environment]}`, '', `Grant: ${g.profileLabel}`, '');
    if (g.token) {
      const left = g.token.expiresAt - now;
      lines.push(
        `- Access token obtained ${formatTime(g.token.obtainedAt, now)}, ${left > 0 ? `expires ${formatTime(g.token.expiresAt, now)} (in ${formatCountdown(left)})` : `expired ${formatTime(g.token.expiresAt, now)}`}`,
      );
      if (g.token.jwtExpiresAt !== undefined) {
        const jwtLeft = g.token.jwtExpiresAt - now;
        lines.push(`- X-JWT ${jwtLeft > 0 ? `expires ${formatTime(g.token.jwtExpiresAt, now)} (in ${formatCountdown(jwtLeft)})` : `expired ${formatTime(g.token.jwtExpiresAt, now)}`}`);
      }
      if (g.token.scope) lines.push(`- Scope: ${g.token.scope}`);
    } else {
      lines.push('- No token held now.');
    }
    lines.push('');
    const list = [...(byGroup.get(key(g.environment, g.profileId)) ?? [])].sort((a, b) => b.at - a.at);
    for (const r of list) {
      const outcome = r.response ? `HTTP ${r.response.status}` : `failed: ${r.error ?? 'no answer'}`;
      lines.push(`### ${formatTime(r.at, now)} · ${r.request.method} ${pathOf(r.request.url)} · ${outcome} · ${r.durationMs} ms`, '');
      const req = [`${r.request.method} ${r.request.url}`, ...Object.entries(r.request.headers).map(([k, v]) => `${k}: ${v}`)];
      if (r.request.body !== undefined) req.push('', r.request.body);
      lines.push(fence(req.join('\n')), '');
      if (r.response) {
        const res = [`HTTP ${r.response.status}`, ...Object.entries(r.response.headers).map(([k, v]) => `${k}: ${v}`), '', prettyBody(r.response.body)];
        lines.push(fence(res.join('\n')), '');
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
