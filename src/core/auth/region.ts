/**
 * Which Telenor region (Sweden or Norway) an API belongs to, read from its spec alone. Pure and cheap: the
 * environment service, the tree, the credentials flow and the hover all ask it, so they agree.
 */
import type { ApiSummary, SecuritySchemeInfo } from '../spec/types';
import type { Region } from './errors';
import { parseRegion, regionFromTokenUrl } from './profiles';

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
