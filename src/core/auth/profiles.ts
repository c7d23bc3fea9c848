/**
 * Which auth profile (grant, token URL, X-JWT…) an API needs, decided from three layers, each overriding
 * the one before:
 *   1. the spec's `securitySchemes` (oauth2 flows and token URLs, an `X-JWT` apiKey header);
 *   2. the vendor extension `x-telenor: {region, grant, service, scope}` (document level, or on a scheme);
 *   3. a settings override the extension passes in (a plain object, validated here).
 * URLs are always rebuilt against the environment's base URL for the region, so one spec works for the
 * sandbox, test and production alike.
 */
import type { ApiSummary, SecuritySchemeInfo } from '../spec/types';
import type { AuthProfile, CredentialKind, GrantKind } from './types';
import type { Region } from './errors';

/** Base URL per region for one environment, e.g. `{ se: 'https://…', no: 'https://api.telenor.no' }`. */
export interface RegionBaseUrls {
  se: string;
  no: string;
}

/** The settings override, as the extension reads it from configuration (every field optional). */
export interface AuthProfileOverride {
  region?: string;
  grant?: string;
  /** X-JWT service name (Sweden Communication APIs). Empty string turns X-JWT off. */
  service?: string;
  scope?: string;
  tokenUrl?: string;
  authorizeUrl?: string;
  logoutUrl?: string;
}

export type ProfileSource = 'securitySchemes' | 'x-telenor' | 'override';

export interface ProfileDecision {
  /** Undefined when the API needs no Telenor token (or it cannot be told which). */
  profile: AuthProfile | undefined;
  /** The layer that decided the grant. */
  source: ProfileSource | undefined;
  /** Values that were ignored, and why (for the output channel / a hover). */
  warnings: string[];
}

export const DEFAULT_PATHS = {
  se: { token: '/openapi/oauth2/token', hasPermission: '/b2b/corporate/auth/right/v2/hasPermission/corporate/' },
  no: { token: '/oauth/v2/token', authorize: '/oauth/v2/authorize', logout: '/oauth/v2/logout' },
} as const;

type AbstractGrant = 'client-credentials' | 'password' | 'authorization-code';

interface Draft {
  region?: Region;
  grant?: AbstractGrant;
  service?: string;
  scope?: string;
  tokenUrl?: string;
  authorizeUrl?: string;
  logoutUrl?: string;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function parseRegion(v: unknown): Region | undefined {
  const s = text(v)?.toLowerCase();
  if (s === 'se' || s === 'sweden' || s === 'sv' || s === 'swe') return 'se';
  if (s === 'no' || s === 'norway' || s === 'nb' || s === 'nor') return 'no';
  return undefined;
}

/** Accepts OAuth names (`client_credentials`), OpenAPI flow names (`clientCredentials`) and our GrantKinds. */
function parseGrant(v: unknown): { grant: AbstractGrant; region?: Region } | undefined {
  const s = text(v)?.toLowerCase().replace(/[^a-z]/g, '');
  if (!s) return undefined;
  const region: Region | undefined = s.startsWith('se') ? 'se' : s.startsWith('no') ? 'no' : undefined;
  const rest = region ? s.slice(2) : s;
  const grant: AbstractGrant | undefined =
    rest === 'clientcredentials' || rest === 'cc'
      ? 'client-credentials'
      : rest === 'password' || rest === 'machineuser'
        ? 'password'
        : rest === 'authorizationcode' || rest === 'code'
          ? 'authorization-code'
          : undefined;
  if (!grant) return undefined;
  return region ? { grant, region } : { grant };
}

/** Region from a token URL's path: Sweden's `/openapi/oauth2/token` (older `/oauth2/token`), Norway's `/oauth/v2/token` or `/oauth/token`. */
export function regionFromTokenUrl(url: string): Region | undefined {
  let path: string;
  try {
    path = new URL(url, 'http://relative.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  if (/\/openapi\/oauth2\/token$/.test(path) || /(^|\/)oauth2\/token$/.test(path)) return 'se';
  if (/\/oauth\/v2\/token$/.test(path) || /(^|\/)oauth\/token$/.test(path)) return 'no';
  return undefined;
}

function regionFromServers(api: ApiSummary): Region | undefined {
  for (const s of api.servers) {
    try {
      const host = new URL(s.url).hostname;
      if (host.endsWith('.se')) return 'se';
      if (host.endsWith('.no')) return 'no';
    } catch {
      // Relative or templated server URL: no hint here.
    }
  }
  return undefined;
}

/** Draft from an `x-telenor` object (document or scheme level). Unknown values become warnings. */
function fromExtension(value: unknown, where: string, warnings: string[]): Draft | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (value !== undefined) warnings.push(`${where} is not an object; ignored.`);
    return undefined;
  }
  return fromFields(value as Record<string, unknown>, where, warnings);
}

function fromFields(o: Record<string, unknown>, where: string, warnings: string[]): Draft {
  const d: Draft = {};
  if (o['region'] !== undefined) {
    const r = parseRegion(o['region']);
    if (r) d.region = r;
    else warnings.push(`${where}.region “${String(o['region'])}” is not se or no; ignored.`);
  }
  if (o['grant'] !== undefined) {
    const g = parseGrant(o['grant']);
    if (g) {
      d.grant = g.grant;
      if (g.region && !d.region) d.region = g.region;
    } else {
      warnings.push(`${where}.grant “${String(o['grant'])}” is not client_credentials, password or authorization_code; ignored.`);
    }
  }
  if (typeof o['service'] === 'string') d.service = o['service'].trim();
  for (const k of ['scope', 'tokenUrl', 'authorizeUrl', 'logoutUrl'] as const) {
    const v = text(o[k]);
    if (v !== undefined) d[k] = v;
  }
  return d;
}

const FLOW_ORDER = [
  ['clientCredentials', 'client-credentials'],
  ['password', 'password'],
  ['authorizationCode', 'authorization-code'],
] as const;

/** Draft from the spec's security schemes: the schemes the API requires first, then any declared. */
function fromSchemes(api: ApiSummary, warnings: string[]): Draft | undefined {
  const required = api.security.flatMap((req) => Object.keys(req));
  const names = [...new Set([...required, ...Object.keys(api.securitySchemes)])];
  const scopesFor = (name: string): string | undefined => {
    const scopes = api.security.find((req) => req[name] !== undefined)?.[name] ?? [];
    return scopes.length > 0 ? scopes.join(' ') : undefined;
  };
  let draft: Draft | undefined;
  let xjwt = false;
  for (const name of names) {
    const scheme: SecuritySchemeInfo | undefined = api.securitySchemes[name];
    if (!scheme) continue;
    const ext = fromExtension(scheme.extensions?.['x-telenor'], `securitySchemes.${name}.x-telenor`, warnings);
    if (scheme.type === 'apiKey' && scheme.in === 'header' && scheme.name?.toLowerCase() === 'x-jwt') {
      xjwt = true;
      continue;
    }
    if (draft || scheme.type !== 'oauth2' || !scheme.flows) {
      if (!draft && ext?.grant) draft = ext;
      continue;
    }
    for (const [flowName, grant] of FLOW_ORDER) {
      const flow = scheme.flows[flowName];
      if (!flow) continue;
      const d: Draft = { grant };
      if (flow.tokenUrl) {
        d.tokenUrl = flow.tokenUrl;
        const region = regionFromTokenUrl(flow.tokenUrl);
        if (region) d.region = region;
      }
      if (flow.authorizationUrl) d.authorizeUrl = flow.authorizationUrl;
      const scope = scopesFor(name);
      if (scope) d.scope = scope;
      draft = { ...d, ...ext };
      break;
    }
  }
  if (xjwt) {
    // An X-JWT header means a Sweden Communication API: client credentials, then hasPermission for the API's name.
    return { grant: 'client-credentials', ...draft, region: 'se', service: draft?.service || api.title };
  }
  return draft;
}

/** Join a base URL (which may carry a path prefix) and the path of `url` (absolute or relative). */
export function rebaseUrl(base: string, url: string): string {
  const target = new URL(url, 'http://relative.invalid');
  const b = new URL(base);
  const prefix = b.pathname.replace(/\/+$/, '');
  b.pathname = `${prefix}${target.pathname}`;
  b.search = target.search;
  b.hash = '';
  return b.href;
}

function grantKind(region: Region, grant: AbstractGrant): GrantKind | undefined {
  if (grant === 'client-credentials') return region === 'se' ? 'se-client-credentials' : 'no-client-credentials';
  if (region === 'se') return undefined;
  return grant === 'password' ? 'no-password' : 'no-authorization-code';
}

const GRANT_LABELS: Record<GrantKind, string> = {
  'se-client-credentials': 'Sweden · client credentials',
  'no-client-credentials': 'Norway · client credentials',
  'no-password': 'Norway · machine user (password)',
  'no-authorization-code': 'Norway · sign-in with consent (authorization code)',
};

function needsOf(grant: GrantKind, xjwt: boolean): CredentialKind[] {
  const needs: CredentialKind[] = ['client'];
  if (grant === 'no-password') needs.push('machineUser');
  if (xjwt) needs.push('jwt');
  return needs;
}

/** Decide the profile for an API. Never throws: what cannot be used is reported in `warnings`. */
export function resolveAuthProfile(api: ApiSummary, baseUrls: RegionBaseUrls, override?: unknown): ProfileDecision {
  const warnings: string[] = [];
  const layers: Array<[ProfileSource, Draft | undefined]> = [
    ['securitySchemes', fromSchemes(api, warnings)],
    [
      'x-telenor',
      fromExtension(api.extensions['x-telenor'] ?? api.extensions['x-telenor-auth'], 'x-telenor', warnings),
    ],
    [
      'override',
      override === undefined || override === null ? undefined : fromExtension(override, 'the auth settings override', warnings),
    ],
  ];
  const draft: Draft = {};
  let source: ProfileSource | undefined;
  /** URL fields set by the settings override: those may be full URLs to use as they are. */
  const fromSettings = new Set<'tokenUrl' | 'authorizeUrl' | 'logoutUrl'>();
  for (const [name, layer] of layers) {
    if (!layer) continue;
    Object.assign(draft, layer);
    if (layer.grant || layer.service) source = name;
    for (const k of ['tokenUrl', 'authorizeUrl', 'logoutUrl'] as const) {
      if (layer[k] !== undefined) {
        if (name === 'override') fromSettings.add(k);
        else fromSettings.delete(k);
      }
    }
  }
  if (draft.service && draft.region === undefined) draft.region = 'se';
  if (draft.service && !draft.grant) draft.grant = 'client-credentials';
  if (!draft.grant) return { profile: undefined, source: undefined, warnings };

  const region =
    draft.region ??
    (draft.tokenUrl ? regionFromTokenUrl(draft.tokenUrl) : undefined) ??
    (draft.grant === 'client-credentials' ? regionFromServers(api) : 'no');
  if (!region) {
    warnings.push(`Cannot tell whether “${api.title}” is a Sweden or a Norway API; set x-telenor.region or the auth settings override.`);
    return { profile: undefined, source, warnings };
  }
  const grant = grantKind(region, draft.grant);
  if (!grant) {
    warnings.push(`Sweden APIs only use client credentials; the ${draft.grant} grant cannot be used for “${api.title}”.`);
    return { profile: undefined, source, warnings };
  }
  const service = draft.service && region === 'se' ? draft.service : undefined;
  if (draft.service && region !== 'se') warnings.push('X-JWT is only used by Sweden Communication APIs; the service name was ignored.');

  const base = baseUrls[region];
  if (!URL.canParse(base)) {
    warnings.push(`The ${region === 'se' ? 'Sweden' : 'Norway'} base URL “${base}” for this environment is not a valid URL.`);
    return { profile: undefined, source, warnings };
  }
  const url = (k: 'tokenUrl' | 'authorizeUrl' | 'logoutUrl', fallback: string): string => {
    const given = draft[k];
    if (given === undefined) return rebaseUrl(base, fallback);
    // Spec URLs name production hosts: keep only their path. Settings may name a host on purpose.
    return fromSettings.has(k) && /^https?:\/\//i.test(given) ? given : rebaseUrl(base, given);
  };
  const tokenUrl = url('tokenUrl', DEFAULT_PATHS[region].token);
  const idParts: string[] = [grant];
  if (service) idParts.push(`xjwt:${service}`);
  if (draft.scope) idParts.push(`scope:${draft.scope}`);
  // Profiles that only differ in how the spec spelled the default token URL share one token.
  const tokenPath = new URL(tokenUrl).pathname;
  if (tokenPath !== new URL(rebaseUrl(base, DEFAULT_PATHS[region].token)).pathname) idParts.push(`token:${tokenPath}`);

  const profile: AuthProfile = {
    id: idParts.join('|'),
    label: service ? `${GRANT_LABELS[grant]} + X-JWT (${service})` : GRANT_LABELS[grant],
    grant,
    tokenUrl,
    needs: needsOf(grant, service !== undefined),
  };
  if (draft.scope) profile.scope = draft.scope;
  if (region === 'no') {
    profile.logoutUrl = url('logoutUrl', DEFAULT_PATHS.no.logout);
    if (grant === 'no-authorization-code') profile.authorizeUrl = url('authorizeUrl', DEFAULT_PATHS.no.authorize);
  }
  if (service) profile.xjwt = { hasPermissionUrl: rebaseUrl(base, DEFAULT_PATHS.se.hasPermission), service };
  return { profile, source, warnings };
}
