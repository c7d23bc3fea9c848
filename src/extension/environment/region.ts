/**
 * Which Telenor region an API belongs to, and where its requests go in an environment. Pure (no vscode):
 * the environment service and the tree both use it, and it is unit tested in plain Node.
 *
 * A spec names production hosts (or a `{baseUrl}` placeholder for Sweden); the environment decides the
 * host. So only the spec's server *path* is kept and put on the environment's base URL for the region.
 */
import { rebaseUrl } from '../../core/auth/profiles';
import { detectRegion, REGION_LABELS } from '../../core/auth/region';
import type { EnvironmentId } from '../../core/auth/types';
import { TelenorError } from '../../core/errors';
import { effectiveServers } from '../../core/spec/match';
import type { ApiSummary, OperationInfo, ServerInfo } from '../../core/spec/types';
import type { Region, RegionUrls } from '../settings';

export { detectRegion, REGION_LABELS, type RegionDecision, type RegionSource } from '../../core/auth/region';

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
 * `base` plus the path of the first server: a server `https://api.telenor.no/some-base` becomes
 * `<base>/some-base`, on whatever host (and path prefix) the environment uses. No trailing slash.
 */
export function rebaseServer(base: string, servers: readonly ServerInfo[]): string {
  return trimSlash(rebaseUrl(base, servers[0]?.url ?? '/'));
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
  /** The operation being sent, when there is one: its own servers win over the document's. */
  operation?: Pick<OperationInfo, 'servers'>;
}

/**
 * Where requests for `api` (and `operation`, when given) go. Telenor APIs: the environment's base URL for
 * the region plus the server's path. Other APIs: their own first absolute server, whatever the environment.
 * Throws a TelenorError of kind `input` whose hint names the setting to fix.
 */
export function resolveServerUrl({ api, environment, baseUrls, overrideRegion, operation }: ServerUrlInput): string {
  const decision = detectRegion(api, overrideRegion);
  const servers = effectiveServers(api, operation);
  if (!decision) {
    const absolute = servers.find((s) => isHttpUrl(s.url)) ?? api.servers.find((s) => isHttpUrl(s.url));
    if (absolute) return trimSlash(absolute.url);
    const first = servers[0]?.url;
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
  return rebaseServer(base, servers);
}
