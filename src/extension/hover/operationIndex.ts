/**
 * The hover's lookup structure: every loaded API's path templates bucketed by one literal segment, so a
 * hover only runs the template matcher (`findOperationsForUrl`, the same one the rest of the extension
 * uses) over the few operations that could fit. Built once per change of the loaded specs or of the
 * environments' hosts, never per hover. Pure: no vscode.
 */
import { findOperationsForUrl, type UrlMatch } from '../../core/spec/match';
import type { ApiIndex, HttpMethod, OperationInfo } from '../../core/spec/types';
import { DYNAMIC_SEGMENT, type UrlCandidate } from './urlToken';

export interface OperationHit {
  api: ApiIndex;
  match: UrlMatch;
}

interface ApiBuckets {
  api: ApiIndex;
  /** Decoded literal segment → operations that contain it (each operation is filed under one segment). */
  bySegment: Map<string, OperationInfo[]>;
  /** Templates without any literal segment (`/{id}`): candidates for every path. */
  wildcard: OperationInfo[];
  hosts: Set<string>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function literalSegments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '' && !s.includes('{'))
    .map(decode);
}

export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?$/;

export class OperationIndex {
  private readonly apis: ApiBuckets[];
  /** Hosts of every environment (from settings) and every spec's servers, with and without port. */
  readonly knownHosts: ReadonlySet<string>;

  /** `environmentUrls`: base URLs of the environments (test, production, an external sandbox…). */
  constructor(apis: readonly ApiIndex[], environmentUrls: readonly string[] = []) {
    const known = new Set<string>();
    const addHost = (h: string | undefined): void => {
      if (h === undefined) return;
      known.add(h);
      known.add(h.replace(/:\d+$/, ''));
    };
    for (const url of environmentUrls) addHost(hostOf(url));
    this.apis = apis.map((api) => {
      const bySegment = new Map<string, OperationInfo[]>();
      const wildcard: OperationInfo[] = [];
      const hosts = new Set<string>();
      for (const s of api.servers) addHost(hostOf(s.url));
      for (const op of Object.values(api.operations)) {
        for (const s of op.servers ?? []) addHost(hostOf(s.url));
        // The longest literal segment is the most selective key; any one is enough, because a path that
        // fits a template contains every literal segment of it.
        const key = literalSegments(op.path).sort((a, b) => b.length - a.length)[0];
        if (key === undefined) {
          wildcard.push(op);
          continue;
        }
        const list = bySegment.get(key);
        if (list) list.push(op);
        else bySegment.set(key, [op]);
      }
      for (const s of api.servers) {
        const h = hostOf(s.url);
        if (h) hosts.add(h);
      }
      return { api, bySegment, wildcard, hosts };
    });
    this.knownHosts = known;
  }

  get isEmpty(): boolean {
    return this.apis.every((a) => a.bySegment.size === 0 && a.wildcard.length === 0);
  }

  /** Absolute URLs count only on a host we know (an environment's, a spec server's, or this machine). */
  isKnownHost(host: string): boolean {
    return LOOPBACK.test(host) || this.knownHosts.has(host) || this.knownHosts.has(host.replace(/:\d+$/, ''));
  }

  /**
   * Operations the candidate could be a call to, best first. A `method` hint narrows the list only when
   * something is left, so a wrong guess never hides the operation. Templates made only of parameters
   * (`/{id}`) fit any one-segment path, so they count only for a full URL on a known host.
   */
  find(candidate: Pick<UrlCandidate, 'target' | 'host'>, method?: HttpMethod): OperationHit[] {
    if (candidate.host !== undefined && !this.isKnownHost(candidate.host)) return [];
    const segments = new Set(
      candidate.target
        .replace(/^https?:\/\/[^/]+/i, '')
        .split('/')
        .filter((s) => s !== '' && s !== DYNAMIC_SEGMENT)
        .map(decode),
    );
    const scored: Array<OperationHit & { hostMatch: boolean; rank: number; order: number }> = [];
    this.apis.forEach((entry, order) => {
      const candidates = new Set<OperationInfo>(candidate.host !== undefined ? entry.wildcard : []);
      for (const s of segments) for (const op of entry.bySegment.get(s) ?? []) candidates.add(op);
      if (candidates.size === 0) return;
      const operations: Record<string, OperationInfo> = {};
      for (const op of candidates) operations[op.id] = op;
      const hostMatch = candidate.host !== undefined && entry.hosts.has(candidate.host);
      findOperationsForUrl({ ...entry.api, operations }, candidate.target).forEach((match, rank) => {
        scored.push({ api: entry.api, match, hostMatch, rank, order });
      });
    });
    const hinted = method === undefined ? [] : scored.filter((s) => s.match.operation.method === method);
    const kept = hinted.length > 0 ? hinted : scored;
    // Within one API the matcher's order stands (host, base path, literal segments); APIs interleave by it.
    kept.sort((a, b) => Number(b.hostMatch) - Number(a.hostMatch) || a.rank - b.rank || a.order - b.order);
    return kept.map(({ api, match }) => ({ api, match }));
  }
}
