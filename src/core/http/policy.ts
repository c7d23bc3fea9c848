/**
 * Which URLs may be called at all: http(s) only, and plain http only to this machine unless the user allowed
 * it. Every path that sends bytes applies it — API calls and their redirects, token endpoints, spec
 * downloads and the documents their $refs point to. No imports beyond the error type, so the spec worker
 * can use it without loading undici.
 */
import { isIP } from 'node:net';
import { TelenorError } from '../errors';

/** The setting named in policy hints (contributed in package.json). */
export const ALLOW_INSECURE_HTTP_SETTING = 'telenor.request.allowInsecureHttp';

/** 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost` and `*.localhost` (RFC 6761 keeps those on this machine). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    // WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1; the high byte 7f is 127.
    const mapped = /^::ffff:(?:(127\.\d+\.\d+\.\d+)|(7f[0-9a-f]{2}):[0-9a-f]{1,4})$/.exec(host);
    return mapped !== null;
  }
  return false;
}

/**
 * Refuse what our policy forbids before any byte is sent: non-http(s) URLs, and plain http to anything but
 * this machine unless the user allowed it (tokens and secrets would cross the network in clear text).
 */
export function checkTransportPolicy(url: string | URL, options: { allowInsecureHttp?: boolean } = {}): URL {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch (e) {
    throw new TelenorError('input', `"${clip(String(url))}" is not an absolute URL.`, {
      hint: 'Check the server URL of the API or environment: it must start with https:// (or http:// for this machine).',
      cause: e,
    });
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol !== 'http:') {
    throw new TelenorError('policy', `Only http and https URLs can be called, not ${parsed.protocol}//${parsed.host}.`, {
      hint: 'Use an https:// URL.',
    });
  }
  if (isLoopbackHost(parsed.hostname) || options.allowInsecureHttp === true) return parsed;
  throw new TelenorError('policy', `Refused to send a request over plain http to ${parsed.host}.`, {
    hint:
      `Use https:// for ${parsed.host}. If this host really has no TLS, enable the "${ALLOW_INSECURE_HTTP_SETTING}" ` +
      'setting: tokens would then travel unencrypted.',
  });
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
