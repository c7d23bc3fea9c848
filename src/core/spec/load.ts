/**
 * Reading a spec from wherever it lives (file, http(s) URL, given text), parsing it, and — only when it
 * refers to other documents — bundling those into one document so the indexer sees a single tree.
 *
 * Downloads go through undici with a time limit, a byte cap, a bounded number of redirects (followed by hand
 * so each hop is checked) and no trust in the content type: servers label YAML as text/plain,
 * application/octet-stream or worse, so the bytes decide.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { TelenorError, isTelenorError } from '../errors';
import { checkTransportPolicy } from '../http/policy';
import { TLS_TRUST_CODES, TLS_TRUST_HINT } from '../http/tlsTrust';
import { displayUrl, originOf } from './ids';
import { decodeSpecBytes, parseSpec, parseText, problem, type SpecFormat } from './parse';
import { isObject, type JsonObject } from './pointer';
import type { SpecProblem, SpecSource, SpecVersion } from './types';

export interface SpecLoadOptions {
  /** Largest document accepted (the spec and each document it refers to), in bytes. Default 256 MiB. */
  maxBytes?: number;
  /** Time limit per download (connect, headers and the whole body). Default 30 s. */
  timeoutMs?: number;
  /** Redirects followed per download. Default 5. */
  maxRedirects?: number;
  /** Other documents a spec may pull in through `$ref`s. Default 200. */
  maxExternalDocuments?: number;
  /** Seam for proxies and extra CAs; without one, each download uses a private Agent and closes it afterwards. */
  dispatcher?: Dispatcher;
  /** Like `dispatcher`, made on first use (a spec read from a file may never download anything). */
  getDispatcher?: () => Promise<Dispatcher>;
  /**
   * Plain http to hosts other than this machine (the `telenor.request.allowInsecureHttp` setting). Default
   * false, as for every other request: a spec fetched in clear text can be swapped on the way, and with it
   * the server and token URLs that credentials are later sent to.
   */
  allowInsecureHttp?: boolean;
}

export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_EXTERNAL_DOCUMENTS = 200;

export type ReadOutcome = { ok: true; text: string; base?: string } | { ok: false; problem: SpecProblem };

export type SpecLoadOutcome =
  | {
      ok: true;
      doc: JsonObject;
      /** The text of the root document (for line/column mapping); absent parts came from other documents. */
      text: string;
      format: SpecFormat;
      specVersion: SpecVersion;
      /** The spec's own location (absolute path or URL), when it has one. */
      base?: string;
      /** True when other documents were merged in, so pointers past the root text have no line/column. */
      bundled: boolean;
      problems: SpecProblem[];
    }
  | { ok: false; problems: SpecProblem[] };

function cancelled(origin: string): TelenorError {
  return new TelenorError('cancelled', `Loading ${origin} was cancelled.`);
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

function tooLarge(origin: string, limit: number): SpecProblem {
  return problem('too-large', `${origin}: larger than the ${sizeText(limit)} limit for a spec.`, {
    hint: 'Use a smaller spec (split it, or drop the dereferenced copy), or raise the size limit.',
  });
}

/** Reads a local file as spec text. Never throws for file-system problems; they become problems. */
export async function readSpecFile(path: string, origin: string, options: SpecLoadOptions = {}): Promise<ReadOutcome> {
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      return { ok: false, problem: problem('read', `${origin}: is a folder, not a spec file.`, { hint: 'Pick the .json or .yaml file itself.' }) };
    }
    if (info.size > limit) return { ok: false, problem: tooLarge(origin, limit) };
    const bytes = await readFile(path);
    const decoded = decodeSpecBytes(bytes, origin);
    return decoded.ok ? { ok: true, text: decoded.text, base: resolvePath(path) } : decoded;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { ok: false, problem: problem('not-found', `${origin}: file not found.`, { hint: 'Check the path; the file may have been moved or deleted.' }) };
    }
    return {
      ok: false,
      problem: problem('read', `${origin}: could not be read (${typeof code === 'string' ? code : 'error'}).`, {
        hint: 'Check that the file is readable by VS Code.',
      }),
    };
  }
}

/**
 * Downloads spec text over http(s). Problems for every way a server can fail us; only the caller's
 * cancellation is thrown (a `cancelled` TelenorError), since it is not a property of the spec.
 */
export async function fetchSpecText(url: string, options: SpecLoadOptions = {}, signal?: AbortSignal): Promise<ReadOutcome> {
  const origin = displayUrl(url);
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  // undici takes ~70 ms to load: a worker that only reads files never pays for it.
  const { Agent, request } = await import('undici');
  let shared = options.dispatcher;
  if (shared === undefined && options.getDispatcher) {
    try {
      shared = await options.getDispatcher();
    } catch (e) {
      // Bad proxy or CA settings: every download would fail the same way, so say which setting.
      return {
        ok: false,
        problem: problem('network', `${origin}: could not be downloaded (${isTelenorError(e) ? e.message : 'network settings'})`, {
          hint: isTelenorError(e) && e.hint ? e.hint : 'Check the proxy and certificate settings.',
        }),
      };
    }
  }
  const own = shared === undefined ? new Agent({ keepAliveTimeout: 1000 }) : undefined;
  const dispatcher = shared ?? (own as Dispatcher);
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    return { ok: false, problem: problem('policy', `"${origin}" is not a valid URL.`, { hint: 'Enter an absolute http:// or https:// URL.' }) };
  }
  try {
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        return {
          ok: false,
          problem: problem('policy', `${origin}: only http and https URLs can be loaded (got ${current.protocol}).`, {
            hint: 'Use an http:// or https:// URL, or open the file from disk.',
          }),
        };
      }
      // The same transport policy as API calls, on the first URL and on every redirect.
      try {
        checkTransportPolicy(current, options);
      } catch (e) {
        const refused = isTelenorError(e) ? e : undefined;
        return {
          ok: false,
          problem: problem('policy', `${origin}: ${hop > 0 ? 'it redirected, and then: ' : ''}${refused?.message ?? 'refused by the transport policy.'}`, {
            hint: refused?.hint ?? 'Use an https:// URL.',
          }),
        };
      }
      const res = await request(current, {
        method: 'GET',
        dispatcher,
        signal: combined,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        headers: { accept: 'application/json, application/yaml, application/x-yaml, text/yaml, text/plain;q=0.9, */*;q=0.8' },
      });
      const status = res.statusCode;
      if (status >= 300 && status < 400 && typeof res.headers['location'] === 'string') {
        await res.body.dump();
        if (hop >= maxRedirects) {
          return {
            ok: false,
            problem: problem('http-status', `${origin}: more than ${maxRedirects} redirects.`, { hint: 'Use the final URL of the spec directly.' }),
          };
        }
        current = new URL(res.headers['location'], current);
        continue;
      }
      if (status >= 400 || status < 200) {
        await res.body.dump().catch(() => undefined);
        const code = status === 404 || status === 410 ? 'not-found' : 'http-status';
        const hint =
          status === 401 || status === 403
            ? 'The server wants credentials for this URL: download the spec and open the file instead.'
            : 'Check the URL; open it in a browser to see what the server returns.';
        return { ok: false, problem: problem(code, `${origin}: the server answered HTTP ${status}.`, { hint }) };
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        res.body.destroy();
        return { ok: false, problem: tooLarge(origin, limit) };
      }
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        total += buf.length;
        if (total > limit) {
          res.body.destroy();
          return { ok: false, problem: tooLarge(origin, limit) };
        }
        chunks.push(buf);
      }
      const decoded = decodeSpecBytes(Buffer.concat(chunks, total), origin);
      return decoded.ok ? { ok: true, text: decoded.text, base: current.toString() } : decoded;
    }
  } catch (e) {
    if (signal?.aborted) throw cancelled(origin);
    if (timeout.aborted || isTimeoutError(e)) {
      return {
        ok: false,
        problem: problem('timeout', `${origin}: no complete answer within ${Math.round(timeoutMs / 1000)} s.`, {
          hint: 'Check the URL and your network (or proxy); try again later.',
        }),
      };
    }
    const code = errorCode(e);
    return {
      ok: false,
      problem: problem('network', `${origin}: could not be downloaded (${code}).`, {
        // An untrusted certificate is fixed by a setting, not by checking the network: name it.
        hint: TLS_TRUST_CODES.has(code) ? TLS_TRUST_HINT : 'Check the URL, your network connection and proxy settings.',
      }),
    };
  } finally {
    if (own) void own.close().catch(() => undefined);
  }
}

function isTimeoutError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  const name = (e as { name?: unknown } | null)?.name;
  return (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}

function errorCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return e instanceof Error ? e.name : 'error';
}

/** Reads the text of any source. `base` is what relative `$ref`s resolve against. */
export async function readSource(source: SpecSource, options: SpecLoadOptions = {}, signal?: AbortSignal): Promise<ReadOutcome> {
  const origin = originOf(source);
  switch (source.kind) {
    case 'file':
    case 'builtin':
      return readSpecFile(source.path, origin, options);
    case 'url':
      return fetchSpecText(source.url, options, signal);
    case 'text': {
      const base = /^https?:\/\//i.test(source.origin) || isAbsolute(source.origin) ? source.origin : undefined;
      return base === undefined ? { ok: true, text: source.text } : { ok: true, text: source.text, base };
    }
  }
}

// ------------------------------------------------------------------------------------ external refs

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Whether the text has a `$ref` whose value does not start with `#`. A scan of the text is far cheaper
 * than walking a 13 MB document (and a hand loop over `indexOf` hits runs 3× faster than the equivalent
 * regular expression there); a false positive only costs a bundle pass that finds nothing to do.
 * Handles JSON (`"$ref": "x"`), YAML plain and quoted values, and YAML block scalars (`$ref: >-` with the
 * value on the next line).
 */
export function hasExternalRefs(text: string): boolean {
  for (let i = text.indexOf('$ref'); i !== -1; i = text.indexOf('$ref', i + 4)) {
    let j = i + 4;
    let c = text.charCodeAt(j);
    if (c === 0x22 || c === 0x27) c = text.charCodeAt(++j); // closing quote of a quoted key
    while (isSpace(c)) c = text.charCodeAt(++j);
    if (c !== 0x3a) continue; // not followed by ':'
    c = text.charCodeAt(++j);
    while (c === 0x20 || c === 0x09) c = text.charCodeAt(++j);
    if (c === 0x3e || c === 0x7c) {
      // Block scalar header (`>-`, `|2`…), then the value on a later line.
      c = text.charCodeAt(++j);
      while (c === 0x2d || c === 0x2b || (c >= 0x30 && c <= 0x39)) c = text.charCodeAt(++j);
      while (isSpace(c)) c = text.charCodeAt(++j);
    } else if (c === 0x22 || c === 0x27) {
      c = text.charCodeAt(++j);
    }
    if (Number.isNaN(c) || c === 0x23 || isSpace(c) || c === 0x22 || c === 0x27) continue; // `#…`, empty, end
    // An object or list value is a schema *property named* `$ref` (Kubernetes' JSONSchemaProps has one),
    // not a reference: treating it as external would run a needless bundle pass over the whole spec.
    if (c === 0x7b || c === 0x5b) continue;
    return true;
  }
  return false;
}

interface RefFile {
  url: string;
  data?: string | Buffer;
}

/**
 * Merges the documents `doc` refers to into it (swagger-parser's `bundle`), reading them with our own
 * file/URL readers, limits and parser. A spec loaded from a URL may only refer to other URLs, never to
 * files on this machine. Unreadable documents become problems; their `$ref`s stay and are reported as
 * unresolved by the indexer.
 */
export async function bundleExternalRefs(
  doc: JsonObject,
  base: string,
  options: SpecLoadOptions = {},
  signal?: AbortSignal,
): Promise<{ doc: JsonObject; problems: SpecProblem[] }> {
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const fromUrl = /^https?:\/\//i.test(base);
  const maxDocs = options.maxExternalDocuments ?? DEFAULT_MAX_EXTERNAL_DOCUMENTS;
  const problems: SpecProblem[] = [];
  let documents = 0;
  // A problem in another document is listed under this spec: say so, or "missing.yaml: file not found"
  // appears under petstore.yaml without saying how the two are related.
  const viaRef = (p: SpecProblem): SpecProblem => ({ ...p, message: `${displayName(base)}: a $ref could not be followed: ${p.message}` });
  const refFailure = (what: string, p: SpecProblem): Error => {
    problems.push(p);
    return new Error(what);
  };

  const read = async (file: RefFile): Promise<string> => {
    if (signal?.aborted) throw cancelled(base);
    if (++documents > maxDocs) {
      throw refFailure(
        'too many documents',
        problem('too-large', `${displayName(base)}: refers to more than ${maxDocs} other documents; the rest were not read.`, {
          hint: 'Bundle the spec into one file, or raise the limit.',
        }),
      );
    }
    const target = file.url;
    if (/^https?:\/\//i.test(target)) {
      const got = await fetchSpecText(target, options, signal);
      if (!got.ok) throw refFailure(got.problem.message, viaRef(got.problem));
      return got.text;
    }
    if (fromUrl) {
      throw refFailure(
        'file ref from URL',
        problem('policy', `${displayName(base)}: a $ref points to a local file (${displayName(target)}), which a spec from the web may not read.`, {
          hint: 'Make the $ref an http(s) URL, or download the spec and its files and open them from disk.',
        }),
      );
    }
    const path = target.startsWith('file:') ? fileURLToPath(target) : decodeURI(target);
    const got = await readSpecFile(path, displayName(path), options);
    if (!got.ok) throw refFailure(got.problem.message, viaRef(got.problem));
    return got.text;
  };

  const parse = (file: RefFile): unknown => {
    const data = typeof file.data === 'string' ? file.data : (file.data?.toString('utf8') ?? '');
    const parsed = parseText(data, displayName(file.url));
    if (!parsed.ok) throw refFailure(parsed.problem.message, viaRef(parsed.problem));
    return parsed.value;
  };

  const parser = new SwaggerParser();
  const absoluteBase = fromUrl ? base : resolvePath(base);
  try {
    // swagger-parser's own typings describe only its documented options; the plugin keys are accepted by
    // the underlying json-schema-ref-parser.
    const bundled = (await parser.bundle(absoluteBase, doc as never, {
      continueOnError: true,
      resolve: {
        external: true,
        file: false,
        http: false,
        telenor: { order: 1, canRead: true, read },
      },
      parse: {
        json: false,
        yaml: false,
        text: false,
        binary: false,
        telenor: { order: 1, canParse: true, allowEmpty: false, parse },
      },
    } as never)) as unknown;
    if (signal?.aborted) throw cancelled(base);
    return { doc: isObject(bundled) ? bundled : doc, problems };
  } catch (e) {
    if (signal?.aborted) throw cancelled(base);
    const partial = (parser as unknown as { schema?: unknown }).schema;
    if (problems.length === 0) {
      problems.push(
        // The library's message may quote a URL: its query (a token?) is cut before it reaches a message.
        problem('ref', `${displayName(base)}: the documents its $refs point to could not be merged (${(e instanceof Error ? (e.message.split('\n')[0] ?? '') : 'error').replace(/\?[^\s'"]*/g, '')}).`, {
          hint: 'Check the $refs that point to other files.',
        }),
      );
    }
    return { doc: isObject(partial) ? partial : doc, problems };
  }
}

function displayName(location: string): string {
  if (/^https?:\/\//i.test(location)) return displayUrl(location);
  const path = location.startsWith('file:') ? safeFileUrlToPath(location) : location;
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

function safeFileUrlToPath(u: string): string {
  try {
    return fileURLToPath(u);
  } catch {
    return u;
  }
}

/**
 * Source → parsed (and, if needed, bundled) document. Every failure is a problem naming the source and,
 * for syntax errors, the line and column. Throws only a `cancelled` TelenorError.
 */
export async function loadSpecDocument(source: SpecSource, options: SpecLoadOptions = {}, signal?: AbortSignal): Promise<SpecLoadOutcome> {
  const origin = originOf(source);
  const read = await readSource(source, options, signal);
  if (signal?.aborted) throw cancelled(origin);
  if (!read.ok) return { ok: false, problems: [read.problem] };
  const parsed = parseSpec(read.text, origin);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  let doc = parsed.doc;
  const problems = [...parsed.problems];
  let bundled = false;
  if (hasExternalRefs(read.text)) {
    if (read.base === undefined) {
      problems.push({
        severity: 'warning',
        code: 'ref',
        message: `${origin}: has $refs to other files, but text without a location cannot resolve them.`,
        hint: 'Open the spec from its file or URL so the files next to it can be found.',
      });
    } else {
      const result = await bundleExternalRefs(doc, read.base, options, signal);
      bundled = true;
      doc = result.doc;
      problems.push(...result.problems);
    }
  }
  const out: SpecLoadOutcome = { ok: true, doc, text: read.text, format: parsed.format, specVersion: parsed.specVersion, bundled, problems };
  if (read.base !== undefined) out.base = read.base;
  return out;
}
