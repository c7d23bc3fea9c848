/**
 * Concrete URL or path → the operations whose path template it fits, for the hover and "open in panel"
 * features: `/v2/accounts/123?x=1` or `https://api.telenor.no/corporate-accounts/v2/accounts` against
 * `/v2/accounts/{id}`. Pure and cheap (no caches): a hover asks once per position.
 */
import type { ApiIndex, ApiSummary, HttpMethod, OperationInfo, ServerInfo } from './types';

/**
 * The servers an operation's requests use: its own (operation- or path-level, OpenAPI 3) when it declares
 * any, else the document's. Where a request goes and which URLs a hover recognises both follow this.
 */
export function effectiveServers(api: Pick<ApiSummary, 'servers'>, operation?: Pick<OperationInfo, 'servers'>): readonly ServerInfo[] {
  return operation?.servers && operation.servers.length > 0 ? operation.servers : api.servers;
}

export interface UrlMatch {
  operation: OperationInfo;
  /** Path parameter values taken from the URL (percent-decoded). */
  pathParams: Record<string, string>;
  /** The server base path that was stripped before matching (`''` when none). */
  basePath: string;
}

interface Candidate extends UrlMatch {
  hostMatch: boolean;
  literalSegments: number;
  literalChars: number;
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.split('/').slice(1);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches one path (after the base path) against one template. */
function matchTemplate(template: string, pathSegments: readonly string[]): { params: Record<string, string>; literalSegments: number; literalChars: number } | undefined {
  const templateSegments = splitPath(template.startsWith('/') ? template : `/${template}`);
  if (templateSegments.length !== pathSegments.length) return undefined;
  const params: Record<string, string> = {};
  let literalSegments = 0;
  let literalChars = 0;
  for (let i = 0; i < templateSegments.length; i++) {
    const t = templateSegments[i] as string;
    const p = pathSegments[i] as string;
    if (!t.includes('{')) {
      if (safeDecode(t) !== safeDecode(p)) return undefined;
      literalSegments++;
      literalChars += t.length;
      continue;
    }
    // A segment may mix text and parameters: `{id}.json`, `v{version}`.
    const names: string[] = [];
    const source = t.replace(/\{([^}]*)\}|([^{]+)/g, (_m, name: string | undefined, text: string | undefined) => {
      if (name !== undefined) {
        names.push(name);
        return '([^/]+?)';
      }
      literalChars += (text ?? '').length;
      return escapeRegExp(text ?? '');
    });
    const m = new RegExp(`^${source}$`).exec(p);
    if (!m) return undefined;
    names.forEach((name, k) => {
      params[name] = safeDecode(m[k + 1] ?? '');
    });
  }
  return { params, literalSegments, literalChars };
}

function pathAndHost(urlOrPath: string): { path: string; host?: string } {
  const text = urlOrPath.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const u = new URL(text);
      return { path: u.pathname || '/', host: u.host.toLowerCase() };
    } catch {
      // fall through: treat as a path
    }
  }
  const path = text.replace(/[?#].*$/s, '');
  return { path: path.startsWith('/') ? path : `/${path}` };
}

function serverBase(url: string): { basePath: string; host?: string } {
  try {
    const u = new URL(url);
    return { basePath: u.pathname.replace(/\/+$/, ''), host: u.host.toLowerCase() };
  } catch {
    // A relative server URL (`/v2`) is only a base path.
    return { basePath: url.replace(/[?#].*$/s, '').replace(/\/+$/, '') };
  }
}

/**
 * Operations of `index` that `urlOrPath` could be a call to, most specific first: matches whose host equals
 * the server's host first, then more literal segments (`/accounts/me` before `/accounts/{id}`), then
 * more literal characters. Server base paths are stripped (the spec's and each operation's own servers);
 * the path is also tried as is. `method` narrows to one HTTP method.
 */
export function findOperationsForUrl(index: ApiIndex, urlOrPath: string, method?: HttpMethod): UrlMatch[] {
  const { path, host } = pathAndHost(urlOrPath);
  const segmentsCache = new Map<string, string[]>();
  const best = new Map<string, Candidate>();
  for (const operation of Object.values(index.operations)) {
    if (method !== undefined && operation.method !== method) continue;
    const bases = effectiveServers(index, operation).map((s) => serverBase(s.url));
    bases.push({ basePath: '' });
    for (const base of bases) {
      if (base.basePath !== '' && path !== base.basePath && !path.startsWith(`${base.basePath}/`)) continue;
      const rest = path.slice(base.basePath.length) || '/';
      let segments = segmentsCache.get(rest);
      if (!segments) {
        segments = splitPath(rest);
        segmentsCache.set(rest, segments);
      }
      const m = matchTemplate(operation.path, segments);
      if (!m) continue;
      const candidate: Candidate = {
        operation,
        pathParams: m.params,
        basePath: base.basePath,
        hostMatch: host !== undefined && base.host === host,
        literalSegments: m.literalSegments,
        literalChars: m.literalChars,
      };
      const previous = best.get(operation.id);
      if (!previous || compare(candidate, previous) < 0) best.set(operation.id, candidate);
    }
  }
  return [...best.values()].sort(compare).map(({ operation, pathParams, basePath }) => ({ operation, pathParams, basePath }));
}

function compare(a: Candidate, b: Candidate): number {
  if (a.hostMatch !== b.hostMatch) return a.hostMatch ? -1 : 1;
  // Stripping a real base path is a stronger fit than matching the whole URL path against a template.
  if ((a.basePath !== '') !== (b.basePath !== '')) return a.basePath !== '' ? -1 : 1;
  if (a.literalSegments !== b.literalSegments) return b.literalSegments - a.literalSegments;
  if (a.literalChars !== b.literalChars) return b.literalChars - a.literalChars;
  return a.operation.path.length - b.operation.path.length;
}
