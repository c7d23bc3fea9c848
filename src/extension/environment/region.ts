/**
 * Which Telenor region an API belongs to, and where its requests go in an environment. Pure (no vscode):
 * the environment service and the tree both use it, and it is unit tested in plain Node.
 *
 * A spec names production hosts (or a `{baseUrl}` placeholder for Sweden); the environment decides the
 * host. So only the spec's server *path* is kept and put on the environment's base URL for the region.
 */
import { parseRegion, rebaseUrl, regionFromTokenUrl } from '../../core/auth/profiles';
import type { EnvironmentId } from '../../core/auth/types';
import { TelenorError } from '../../core/errors';
import type { ApiSummary, SecuritySchemeInfo } from '../../core/spec/types';
import type { Region, RegionUrls } from '../settings';

export type RegionSource = 'override' | 'x-telenor' | 'servers' | 'token-url' | 'x-jwt';

export interface RegionDecision {
  region: Region;
  /** What gave the region away, for tooltips and logs. */
  source: RegionSource;
}

export const REGION_LABELS: Record<Region, string> = { no: 'Norway', se: 'Sweden' };

const TELENOR_HOSTS: Record<Region, RegExp> = { no: /(^|\.)telenor\.no$/i, se: /(^|\.)telenor\.se$/i };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `x-telenor: {region}`, or the region prefix of its grant (`no-password`, `se-client-credentials`). */
function regionFromExtension(value: unknown): Region | undefined {
  if (!isObject(value)) return undefined;
  const region = parseRegion(value['region']);
  if (region) return region;
  const grant = value['grant'];
  const prefix = typeof grant === 'string' ? /^\s*(se|no)[-_ ]/i.exec(grant)?.[1] : undefined;
  return prefix ? parseRegion(prefix) : undefined;
}

function hostRegion(url: string): Region | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  if (TELENOR_HOSTS.no.test(host)) return 'no';
  if (TELENOR_HOSTS.se.test(host)) return 'se';
  return undefined;
}

/**
 * A token URL tells the region only when it is clearly Telenor's: relative (the spec leaves the host to the
 * environment), on a Telenor host, or one of the two distinctive paths. A generic `/oauth2/token` on some
 * other host is every second OAuth server on the internet, not Telenor Sweden.
 */
function tokenUrlRegion(tokenUrl: string): Region | undefined {
  const region = regionFromTokenUrl(tokenUrl);
  if (!region) return undefined;
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(tokenUrl);
  if (!absolute || hostRegion(tokenUrl)) return region;
  const path = new URL(tokenUrl).pathname.replace(/\/+$/, '');
  return /\/openapi\/oauth2\/token$/.test(path) || /\/oauth\/v2\/token$/.test(path) ? region : undefined;
}

function tokenUrlsOf(scheme: SecuritySchemeInfo): string[] {
  return Object.values(scheme.flows ?? {}).flatMap((flow) => (flow?.tokenUrl ? [flow.tokenUrl] : []));
}

/**
 * The API's region, from (first match wins): the settings override's `region`, the spec's `x-telenor`
 * (document, then scheme level), Telenor hosts in its servers, Telenor token URLs, an `X-JWT` header
 * scheme (only Sweden's Communication APIs use one). Undefined for APIs that are not Telenor's.
 */
export function detectRegion(api: ApiSummary, overrideRegion?: unknown): RegionDecision | undefined {
  const override = parseRegion(overrideRegion);
  if (override) return { region: override, source: 'override' };
  const schemes = Object.values(api.securitySchemes);
  const fromExtension =
    regionFromExtension(api.extensions['x-telenor'] ?? api.extensions['x-telenor-auth']) ??
    schemes.map((s) => regionFromExtension(s.extensions?.['x-telenor'])).find((r) => r !== undefined);
  if (fromExtension) return { region: fromExtension, source: 'x-telenor' };
  for (const server of api.servers) {
    const region = hostRegion(server.url);
    if (region) return { region, source: 'servers' };
  }
  for (const scheme of schemes) {
    for (const url of tokenUrlsOf(scheme)) {
      const region = tokenUrlRegion(url);
      if (region) return { region, source: 'token-url' };
    }
  }
  if (schemes.some((s) => s.type === 'apiKey' && s.in === 'header' && s.name?.toLowerCase() === 'x-jwt')) return { region: 'se', source: 'x-jwt' };
  return undefined;
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * `base` plus the path of the spec's first server: a server `https://api.telenor.no/some-base` becomes
 * `<base>/some-base`, on whatever host (and path prefix) the environment uses. No trailing slash.
 */
export function rebaseServer(base: string, api: Pick<ApiSummary, 'servers'>): string {
  return trimSlash(rebaseUrl(base, api.servers[0]?.url ?? '/'));
}

/** Same words as settings.ts ENVIRONMENT_LABELS, which this pure module cannot import (that file needs vscode). */
const ENVIRONMENT_NAMES: Record<EnvironmentId, string> = { sandbox: 'Sandbox', test: 'Test', production: 'Production' };

/** The setting a base URL comes from, spelled the way the Settings editor's search finds it. */
export function baseUrlSetting(environment: EnvironmentId, region: Region): string {
  return environment === 'sandbox' ? 'telenor.sandbox.url' : `telenor.environments › ${environment} › ${region}`;
}

export interface ServerUrlInput {
  api: ApiSummary;
  environment: EnvironmentId;
  /** The environment's base URLs (for the sandbox: the same URL for both regions). */
  baseUrls: RegionUrls;
  /** `telenor.auth.overrides[title].region`, when set. */
  overrideRegion?: unknown;
}

/**
 * Where requests for `api` go. Telenor APIs: the environment's base URL for the region plus the server's
 * path. Other APIs: their own first absolute server, whatever the environment. Throws a TelenorError of
 * kind `input` whose hint names the setting to fix.
 */
export function resolveServerUrl({ api, environment, baseUrls, overrideRegion }: ServerUrlInput): string {
  const decision = detectRegion(api, overrideRegion);
  if (!decision) {
    const absolute = api.servers.find((s) => isHttpUrl(s.url));
    if (absolute) return trimSlash(absolute.url);
    const first = api.servers[0]?.url;
    throw new TelenorError(
      'input',
      first
        ? `“${api.title}” only declares the relative server “${first}”, so there is no host to send its requests to.`
        : `“${api.title}” declares no server, so there is no host to send its requests to.`,
      { hint: 'Add an absolute server URL to the spec, or mark it as a Telenor API with `x-telenor: {region: no}` (or `se`).' },
    );
  }
  const { region } = decision;
  const envName = ENVIRONMENT_NAMES[environment];
  const setting = baseUrlSetting(environment, region);
  const base = baseUrls[region];
  if (!base) {
    throw new TelenorError('input', `No ${REGION_LABELS[region]} base URL is set for the ${envName} environment, so “${api.title}” has nowhere to send requests.`, {
      hint:
        region === 'se'
          ? `Telenor Sweden's base URLs come with your agreement: set “${setting}” in Settings, or switch to the Sandbox environment.`
          : `Set “${setting}” in Settings, or switch to the Sandbox environment.`,
    });
  }
  if (!isHttpUrl(base)) {
    throw new TelenorError('input', `The ${REGION_LABELS[region]} base URL of the ${envName} environment (“${base}”) is not an http(s) URL.`, {
      hint: environment === 'sandbox' ? `Correct “${setting}” in Settings, or clear it to use the embedded sandbox.` : `Correct “${setting}” in Settings.`,
    });
  }
  return rebaseServer(base, api);
}
