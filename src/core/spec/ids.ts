/**
 * Stable API ids and display names, derived from where a spec comes from (never from its title, which
 * changes between versions and is not unique).
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { SpecSource } from './types';

/**
 * A URL fit for messages and logs: no user info, no query or fragment (either may carry a token).
 * Falls back to a placeholder when the text is not a URL at all.
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Short name of a source for messages: a file's base name, a URL without secrets, a built-in's name. */
export function originOf(source: SpecSource): string {
  switch (source.kind) {
    case 'file':
      return basename(source.path) || source.path;
    case 'builtin':
      return source.name;
    case 'url':
      return displayUrl(source.url);
    case 'text':
      return source.origin;
  }
}

/**
 * The API id: `file:<absolute path>`, `builtin:<name>`, `url:<url>`, `text:<origin>`. A URL's query is
 * replaced by a short hash so ids can be logged without leaking a token, while two queries stay distinct.
 */
export function apiIdForSource(source: SpecSource): string {
  switch (source.kind) {
    case 'file':
      return `file:${resolve(source.path)}`;
    case 'builtin':
      return `builtin:${source.name}`;
    case 'url': {
      let u: URL;
      try {
        u = new URL(source.url);
      } catch {
        return `url:${createHash('sha256').update(source.url).digest('hex').slice(0, 16)}`;
      }
      const query = u.search ? `?${createHash('sha256').update(u.search).digest('hex').slice(0, 12)}` : '';
      return `url:${u.protocol}//${u.host}${u.pathname}${query}`;
    }
    case 'text':
      return `text:${source.origin}`;
  }
}
