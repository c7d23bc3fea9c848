/**
 * Parsed document → ApiIndex (summary + operations), for Swagger 2.0 and OpenAPI 3.0/3.1 alike.
 *
 * Works on the document as parsed: local `$ref`s are followed lazily, by pointer, only for the pieces an
 * operation needs (path items, parameters, request bodies, responses, security schemes). Schemas are never
 * expanded — an operation only records where its schemas live — so circular schemas cost nothing and a
 * 13 MB spec indexes in a few tens of milliseconds. Bad pieces are skipped and reported by pointer.
 */
import type {
  ApiIndex,
  ApiSummary,
  HttpMethod,
  MediaTypeInfo,
  OperationInfo,
  ParameterInfo,
  RequestBodyInfo,
  ResponseInfo,
  SecurityRequirement,
  SecuritySchemeInfo,
  ServerInfo,
  SpecProblem,
  SpecProblemCode,
  SpecSource,
  SpecVersion,
  TagInfo,
} from './types';
import {
  childPointer,
  extensionsOf,
  isObject,
  parsePointer,
  previewJson,
  refOf,
  resolveRef,
  smallOrUndefined,
  toPointer,
  type JsonObject,
  type Resolution,
} from './pointer';

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The tag that collects operations that name none. */
export const DEFAULT_TAG = 'default';

export interface IndexContext {
  id: string;
  source: SpecSource;
  origin: string;
  specVersion: SpecVersion;
  /** Absolute http(s) URL the spec was read from: relative server URLs resolve against it. */
  baseUrl?: string;
}

export interface IndexHooks {
  /** The summary (tags, operation ids), as soon as the first pass has found the operations. */
  onSummary?: (summary: ApiSummary) => void;
  /** Each operation as soon as it is indexed, in document order (lets a worker stream them out). */
  onOperation?: (operation: OperationInfo) => void;
}

export interface IndexOutcome {
  api: ApiIndex;
  /** Messages are plain ("parameter has no `in`"); `finishProblems` in problems.ts adds source and place. */
  problems: SpecProblem[];
}

type Located<T> = { value: T; pointer: string };

/** An operation object found in pass 1. */
interface RawOperation {
  id: string;
  opPointer: string;
  path: string;
  method: HttpMethod;
  raw: JsonObject;
  item: Located<JsonObject>;
  tags: string[];
}
type OAuthFlow = { tokenUrl?: string; authorizationUrl?: string; refreshUrl?: string; scopes: Record<string, string> };

const PARAM_LOCATIONS = new Set(['path', 'query', 'header', 'cookie']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Copies the defined entries of `extra` onto `target` (exactOptionalPropertyTypes forbids `key: undefined`). */
function assignDefined<T extends object>(target: T, extra: { [K in keyof T]?: T[K] | undefined }): T {
  for (const key of Object.keys(extra) as (keyof T)[]) {
    const v = extra[key];
    if (v !== undefined) target[key] = v as T[keyof T];
  }
  return target;
}

/** Sets `target[key]` unless `value` is undefined; the per-field form of `assignDefined` for hot paths. */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** JSON type of a schema for a form control; 3.1 type arrays give their first non-null member. */
function schemaType(schema: JsonObject | undefined): string | undefined {
  if (!schema) return undefined;
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
  if (isObject(schema['properties'])) return 'object';
  if (schema['items'] !== undefined) return 'array';
  return undefined;
}

/**
 * The keywords a form control needs, from an OpenAPI 3 parameter's schema or a Swagger 2.0 parameter
 * (which carries them itself).
 */
function copyValueFields(param: ParameterInfo, s: JsonObject, type: string | undefined, itemsType: string | undefined, items: JsonObject | undefined): void {
  put(param, 'type', type);
  put(param, 'format', str(s['format']));
  // Raw values go through smallOrUndefined: an alias bomb here would blow up serializing the index.
  if (Array.isArray(s['enum'])) put(param, 'enum', smallOrUndefined(s['enum']));
  put(param, 'default', smallOrUndefined(s['default']));
  put(param, 'pattern', str(s['pattern']));
  put(param, 'minimum', num(s['minimum']));
  put(param, 'maximum', num(s['maximum']));
  if (items) {
    const info: NonNullable<ParameterInfo['items']> = {};
    put(info, 'type', itemsType);
    if (Array.isArray(items['enum'])) put(info, 'enum', smallOrUndefined(items['enum']));
    param.items = info;
  }
}

function normalizeServerUrl(url: string): string {
  return url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url;
}

class Indexer {
  private readonly problems: SpecProblem[] = [];
  private readonly reported = new Set<string>();
  private readonly is2: boolean;
  /** Resolved targets by `$ref` text: big specs refer to the same few hundred components thousands of times. */
  private readonly refCache = new Map<string, Resolution>();

  constructor(
    private readonly doc: JsonObject,
    private readonly ctx: IndexContext,
    private readonly hooks: IndexHooks = {},
  ) {
    this.is2 = ctx.specVersion === '2.0';
  }

  private report(code: SpecProblemCode, pointer: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    const key = `${pointer}\u0000${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push({ severity, code, pointer, message });
  }

  private resolve(value: unknown, pointer: string): Resolution {
    const ref = refOf(value);
    if (ref === undefined) return { ok: true, value, pointer };
    const hit = this.refCache.get(ref);
    if (hit) return hit;
    const r = resolveRef(this.doc, value, pointer);
    // Failures name the place of the `$ref`, which differs per use, so only successes are shared.
    if (r.ok) this.refCache.set(ref, r);
    return r;
  }

  /** Follows `$ref`s from `value` at `pointer`; reports and returns undefined when that fails or is not an object. */
  private object(value: unknown, pointer: string, what: string): Located<JsonObject> | undefined {
    const r = this.resolve(value, pointer);
    if (!r.ok) {
      this.reportRef(r, what);
      return undefined;
    }
    if (!isObject(r.value)) {
      const kind = Array.isArray(r.value) ? 'a list' : r.value === null ? 'null' : `a ${typeof r.value}`;
      this.report('structure', r.pointer, `${what} is ${kind}, not an object; skipped.`);
      return undefined;
    }
    return { value: r.value, pointer: r.pointer };
  }

  private reportRef(r: Extract<Resolution, { ok: false }>, what: string): void {
    const why =
      r.reason === 'dangling'
        ? `points to ${r.ref}, which does not exist`
        : r.reason === 'external'
          ? `points to another document (${r.ref}) that could not be included`
          : r.reason === 'circular'
            ? 'is a chain of $refs that never reaches a value'
            : `is not a valid JSON pointer (${r.ref})`;
    this.report('ref', r.pointer, `${what}: $ref ${why}; skipped.`);
  }

  /**
   * Two passes: the first finds the operations and their tags (enough for the tree's first level, handed to
   * `onSummary` right away), the second reads each operation's parameters, bodies and responses.
   */
  run(): IndexOutcome {
    const doc = this.doc;
    const info = isObject(doc['info']) ? doc['info'] : {};
    if (!isObject(doc['info'])) this.report('structure', '#/info', 'the spec has no `info` object (title, version).', 'warning');
    const rawVersion = info['version'];
    const securitySchemes = this.securitySchemes();
    const docSecurity = this.security(doc['security'], '#/security') ?? [];
    const found = this.collectOperations();
    const summary: ApiSummary = {
      id: this.ctx.id,
      source: this.ctx.source,
      origin: this.ctx.origin,
      title: str(info['title'])?.trim() || this.ctx.origin,
      version: typeof rawVersion === 'string' ? rawVersion : typeof rawVersion === 'number' ? String(rawVersion) : '',
      specVersion: this.ctx.specVersion,
      servers: this.is2 ? this.servers2() : this.servers3(doc['servers'], '#/servers') ?? [],
      securitySchemes,
      security: docSecurity,
      extensions: extensionsOf(doc),
      tags: this.tags(found),
      operationCount: found.length,
    };
    const description = str(info['description']);
    if (description !== undefined) summary.description = description;
    this.hooks.onSummary?.(summary);
    const operations = this.operations(found, docSecurity, securitySchemes);
    return { api: { ...summary, operations }, problems: this.problems };
  }

  // ------------------------------------------------------------------------------------ servers

  private resolveUrl(url: string): string {
    if (this.ctx.baseUrl === undefined || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
    try {
      return new URL(url, this.ctx.baseUrl).toString();
    } catch {
      return url;
    }
  }

  /** An optional list field: `undefined` when absent, reported and ignored when it is not a list. */
  private list(value: unknown, pointer: string, field: string): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return value;
    this.report('structure', pointer, `\`${field}\` is not a list; ignored.`);
    return undefined;
  }

  private servers3(value: unknown, pointer: string): ServerInfo[] | undefined {
    const list = this.list(value, pointer, 'servers');
    if (!list) return undefined;
    const out: ServerInfo[] = [];
    list.forEach((entry, i) => {
      const at = childPointer(pointer, i);
      if (!isObject(entry) || typeof entry['url'] !== 'string') {
        this.report('structure', at, 'server has no `url`; skipped.');
        return;
      }
      let url = entry['url'];
      const server: ServerInfo = { url };
      const variables = entry['variables'];
      if (isObject(variables)) {
        const vars: NonNullable<ServerInfo['variables']> = {};
        for (const [name, v] of Object.entries(variables)) {
          if (!isObject(v)) continue;
          const def = v['default'];
          const variable: { default: string; enum?: string[]; description?: string } = {
            default: typeof def === 'string' || typeof def === 'number' ? String(def) : '',
          };
          // Only scalar members: String() of a nested (possibly alias-bombed) array would expand it.
          if (Array.isArray(v['enum'])) variable.enum = v['enum'].filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
          const d = str(v['description']);
          if (d !== undefined) variable.description = d;
          vars[name] = variable;
          url = url.split(`{${name}}`).join(variable.default);
        }
        server.variables = vars;
      }
      server.url = normalizeServerUrl(this.resolveUrl(url));
      const d = str(entry['description']);
      if (d !== undefined) server.description = d;
      out.push(server);
    });
    if (pointer === '#/servers' && out.length === 0 && this.ctx.baseUrl !== undefined) {
      // OpenAPI's default server is `/`, which only means something next to the URL the spec came from.
      out.push({ url: normalizeServerUrl(this.resolveUrl('/')) });
    }
    return out;
  }

  private servers2(): ServerInfo[] {
    const doc = this.doc;
    let host = str(doc['host']);
    const basePath = str(doc['basePath']) ?? '';
    const base = this.ctx.baseUrl === undefined ? undefined : new URL(this.ctx.baseUrl);
    if (host === undefined && base) host = base.host;
    if (host === undefined) return basePath ? [{ url: normalizeServerUrl(basePath) }] : [];
    let schemes = Array.isArray(doc['schemes'])
      ? doc['schemes'].filter((s): s is string => s === 'http' || s === 'https')
      : [];
    if (schemes.length === 0) schemes = [base ? base.protocol.replace(':', '') : 'https'];
    const path = basePath && !basePath.startsWith('/') ? `/${basePath}` : basePath;
    return schemes.map((s) => ({ url: normalizeServerUrl(`${s}://${host}${path}`) }));
  }

  // ------------------------------------------------------------------------------------ security

  private securitySchemes(): Record<string, SecuritySchemeInfo> {
    const pointer = this.is2 ? '#/securityDefinitions' : '#/components/securitySchemes';
    const container = this.is2
      ? this.doc['securityDefinitions']
      : isObject(this.doc['components'])
        ? this.doc['components']['securitySchemes']
        : undefined;
    const out: Record<string, SecuritySchemeInfo> = {};
    if (container === undefined) return out;
    if (!isObject(container)) {
      this.report('structure', pointer, 'security schemes are not an object; ignored.');
      return out;
    }
    for (const [name, raw] of Object.entries(container)) {
      const at = this.object(raw, childPointer(pointer, name), `security scheme "${name}"`);
      if (!at) continue;
      const scheme = this.is2 ? this.scheme2(at) : this.scheme3(at);
      if (scheme) out[name] = scheme;
    }
    return out;
  }

  private scopes(value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (isObject(value)) for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' ? v : '';
    return out;
  }

  private baseScheme(s: JsonObject, type: SecuritySchemeInfo['type'], pointer: string): SecuritySchemeInfo {
    const scheme: SecuritySchemeInfo = { type };
    const ext = extensionsOf(s, pointer);
    return assignDefined(scheme, {
      description: str(s['description']),
      extensions: Object.keys(ext).length > 0 ? ext : undefined,
    });
  }

  private apiKey(s: JsonObject, scheme: SecuritySchemeInfo): SecuritySchemeInfo {
    const where = s['in'];
    return assignDefined(scheme, {
      name: str(s['name']),
      in: where === 'query' || where === 'header' || where === 'cookie' ? where : undefined,
    });
  }

  private scheme2({ value: s, pointer }: Located<JsonObject>): SecuritySchemeInfo | undefined {
    switch (s['type']) {
      case 'basic':
        return { ...this.baseScheme(s, 'http', pointer), scheme: 'basic' };
      case 'apiKey':
        return this.apiKey(s, this.baseScheme(s, 'apiKey', pointer));
      case 'oauth2': {
        const flow = s['flow'];
        const scopes = this.scopes(s['scopes']);
        const tokenUrl = str(s['tokenUrl']);
        const authorizationUrl = str(s['authorizationUrl']);
        const flows: NonNullable<SecuritySchemeInfo['flows']> = {};
        // Swagger 2.0 names → OpenAPI 3 names.
        if (flow === 'application') flows.clientCredentials = assignDefined<OAuthFlow>({ scopes }, { tokenUrl });
        else if (flow === 'password') flows.password = assignDefined<OAuthFlow>({ scopes }, { tokenUrl });
        else if (flow === 'accessCode') flows.authorizationCode = assignDefined<OAuthFlow>({ scopes }, { tokenUrl, authorizationUrl });
        else if (flow === 'implicit') flows.implicit = assignDefined<OAuthFlow>({ scopes }, { authorizationUrl });
        else this.report('structure', childPointer(pointer, 'flow'), `oauth2 scheme has an unknown flow ${previewJson(flow)}.`);
        return { ...this.baseScheme(s, 'oauth2', pointer), flows };
      }
      default:
        this.report('structure', childPointer(pointer, 'type'), `security scheme has an unknown type ${previewJson(s['type'])}; skipped.`);
        return undefined;
    }
  }

  private scheme3({ value: s, pointer }: Located<JsonObject>): SecuritySchemeInfo | undefined {
    const type = s['type'];
    switch (type) {
      case 'apiKey':
        return this.apiKey(s, this.baseScheme(s, 'apiKey', pointer));
      case 'http':
        return assignDefined(this.baseScheme(s, 'http', pointer), {
          scheme: str(s['scheme'])?.toLowerCase(),
          bearerFormat: str(s['bearerFormat']),
        });
      case 'openIdConnect':
        return assignDefined(this.baseScheme(s, 'openIdConnect', pointer), { openIdConnectUrl: str(s['openIdConnectUrl']) });
      case 'mutualTLS':
        return this.baseScheme(s, 'mutualTLS', pointer);
      case 'oauth2': {
        const flows: NonNullable<SecuritySchemeInfo['flows']> = {};
        const raw = isObject(s['flows']) ? s['flows'] : {};
        for (const name of ['clientCredentials', 'password', 'authorizationCode', 'implicit'] as const) {
          const f = raw[name];
          if (!isObject(f)) continue;
          flows[name] = assignDefined<OAuthFlow>(
            { scopes: this.scopes(f['scopes']) },
            { tokenUrl: str(f['tokenUrl']), authorizationUrl: str(f['authorizationUrl']), refreshUrl: str(f['refreshUrl']) },
          );
        }
        if (Object.keys(flows).length === 0) this.report('structure', childPointer(pointer, 'flows'), 'oauth2 scheme declares no flows.', 'warning');
        return { ...this.baseScheme(s, 'oauth2', pointer), flows };
      }
      default:
        this.report('structure', childPointer(pointer, 'type'), `security scheme has an unknown type ${previewJson(type)}; skipped.`);
        return undefined;
    }
  }

  /** A list of security requirements, or undefined when absent; malformed entries are skipped. */
  private security(value: unknown, pointer: string): SecurityRequirement[] | undefined {
    const list = this.list(value, pointer, 'security');
    if (!list) return undefined;
    const out: SecurityRequirement[] = [];
    list.forEach((entry, i) => {
      if (!isObject(entry)) {
        this.report('structure', childPointer(pointer, i), 'security requirement is not an object; skipped.');
        return;
      }
      const req: SecurityRequirement = {};
      for (const [name, scopes] of Object.entries(entry)) {
        req[name] = Array.isArray(scopes) ? scopes.filter((x): x is string => typeof x === 'string') : [];
      }
      out.push(req);
    });
    return out;
  }

  // ------------------------------------------------------------------------------------ paths

  /** Pass 1: every operation object under `paths`, with its tags; malformed path items and operations are skipped. */
  private collectOperations(): RawOperation[] {
    const out: RawOperation[] = [];
    const paths = this.doc['paths'];
    if (paths === undefined) {
      if (this.ctx.specVersion !== '3.1') this.report('structure', '#/paths', 'the spec has no `paths`.', 'warning');
      return out;
    }
    if (!isObject(paths)) {
      this.report('structure', '#/paths', '`paths` is not an object; no operations indexed.');
      return out;
    }
    for (const path of Object.keys(paths)) {
      if (path.startsWith('x-')) continue;
      const pathPointer = childPointer('#/paths', path);
      const item = this.object(paths[path], pathPointer, `path item "${path}"`);
      if (!item) continue;
      for (const method of HTTP_METHODS) {
        const raw = item.value[method];
        if (raw === undefined) continue;
        const opPointer = childPointer(item.pointer, method);
        if (!isObject(raw)) {
          this.report('structure', opPointer, `operation ${method.toUpperCase()} ${path} is not an object; skipped.`);
          continue;
        }
        out.push({ id: childPointer(pathPointer, method), opPointer, path, method, raw, item, tags: this.operationTags(raw, opPointer) });
      }
    }
    return out;
  }

  private operationTags(raw: JsonObject, opPointer: string): string[] {
    const tags: string[] = [];
    if (Array.isArray(raw['tags'])) {
      for (const t of raw['tags']) {
        if (typeof t === 'string' && t.trim() !== '') tags.push(t);
        else this.report('structure', childPointer(opPointer, 'tags'), 'a tag is not a non-empty string; ignored.', 'warning');
      }
    }
    if (tags.length === 0) tags.push(DEFAULT_TAG);
    return tags;
  }

  /** Pass 2: the full OperationInfo of each operation found in pass 1. */
  private operations(found: readonly RawOperation[], docSecurity: SecurityRequirement[], schemes: Record<string, SecuritySchemeInfo>): Record<string, OperationInfo> {
    const operations: Record<string, OperationInfo> = {};
    const seenOperationIds = new Map<string, string>();
    const unknownSchemes = new Set<string>();
    // Operations of one path item are adjacent: its parameters and servers are read once for all of them.
    let item: JsonObject | undefined;
    let pathParams = new Map<string, Located<JsonObject>>();
    let pathServers: ServerInfo[] | undefined;
    for (const f of found) {
      if (f.item.value !== item) {
        item = f.item.value;
        pathParams = this.parameterList(item['parameters'], childPointer(f.item.pointer, 'parameters'));
        pathServers = this.is2 ? undefined : this.servers3(item['servers'], childPointer(f.item.pointer, 'servers'));
      }
      const op = this.operation(f, pathParams, docSecurity);
      if (!op.servers && pathServers && pathServers.length > 0) op.servers = pathServers;
      if (op.operationId !== undefined) {
        const first = seenOperationIds.get(op.operationId);
        if (first) this.report('validation', childPointer(f.opPointer, 'operationId'), `operationId "${op.operationId}" is also used by ${first}.`, 'warning');
        else seenOperationIds.set(op.operationId, `${f.method.toUpperCase()} ${f.path}`);
      }
      for (const req of op.security) {
        for (const name of Object.keys(req)) {
          if (!(name in schemes) && !unknownSchemes.has(name)) {
            unknownSchemes.add(name);
            this.report('ref', childPointer(f.opPointer, 'security'), `security requirement names "${name}", which no security scheme defines.`, 'warning');
          }
        }
      }
      operations[f.id] = op;
      this.hooks.onOperation?.(op);
    }
    return operations;
  }

  /** Resolved, well-formed parameters of one list, keyed by `in:name` in list order. */
  private parameterList(value: unknown, pointer: string): Map<string, Located<JsonObject>> {
    const out = new Map<string, Located<JsonObject>>();
    const list = this.list(value, pointer, 'parameters');
    if (!list) return out;
    list.forEach((entry, i) => {
      const at = childPointer(pointer, i);
      const p = this.object(entry, at, 'parameter');
      if (!p) return;
      const name = p.value['name'];
      const where = p.value['in'];
      if (typeof name !== 'string' || name === '') {
        this.report('structure', p.pointer, 'parameter has no `name`; skipped.');
        return;
      }
      const allowed = this.is2 ? where === 'body' || where === 'formData' || PARAM_LOCATIONS.has(where as string) : PARAM_LOCATIONS.has(where as string);
      if (typeof where !== 'string' || !allowed) {
        const what = where === undefined ? 'has no `in`' : `has an unknown \`in\`: ${previewJson(where)}`;
        this.report('structure', p.pointer, `parameter "${name}" ${what}; skipped.`);
        return;
      }
      out.set(`${where}:${name}`, p);
    });
    return out;
  }

  private operation(f: RawOperation, pathParams: Map<string, Located<JsonObject>>, docSecurity: SecurityRequirement[]): OperationInfo {
    const { raw, opPointer } = f;
    // Operation-level parameters override path-level ones with the same name and location.
    const own = this.parameterList(raw['parameters'], childPointer(opPointer, 'parameters'));
    const merged = new Map<string, Located<JsonObject>>();
    for (const [key, p] of pathParams) merged.set(key, own.get(key) ?? p);
    for (const [key, p] of own) if (!merged.has(key)) merged.set(key, p);

    const parameters: ParameterInfo[] = [];
    const formFields: Located<JsonObject>[] = [];
    let bodyParam: Located<JsonObject> | undefined;
    for (const p of merged.values()) {
      const where = p.value['in'];
      if (where === 'body') bodyParam = p;
      else if (where === 'formData') formFields.push(p);
      else parameters.push(this.is2 ? this.parameter2(p.value) : this.parameter3(p));
    }

    const security = this.security(raw['security'], childPointer(opPointer, 'security')) ?? docSecurity;
    const op: OperationInfo = {
      id: f.id,
      method: f.method,
      path: f.path,
      tags: f.tags,
      deprecated: raw['deprecated'] === true,
      parameters,
      responses: this.responses(raw, opPointer),
      security,
    };
    put(op, 'operationId', str(raw['operationId']));
    put(op, 'summary', str(raw['summary']) ?? str(f.item.value['summary']));
    put(op, 'description', str(raw['description']) ?? str(f.item.value['description']));
    const requestBody = this.is2 ? this.requestBody2(raw, bodyParam, formFields) : this.requestBody3(raw, opPointer);
    if (requestBody) op.requestBody = requestBody;
    if (!this.is2) {
      const servers = this.servers3(raw['servers'], childPointer(opPointer, 'servers'));
      if (servers && servers.length > 0) op.servers = servers;
    }
    return op;
  }

  // ------------------------------------------------------------------------------------ parameters

  private schemaAt(value: unknown, pointer: string): Located<JsonObject> | undefined {
    if (value === undefined) return undefined;
    return this.object(value, pointer, 'schema');
  }

  private parameter3(p: Located<JsonObject>): ParameterInfo {
    const raw = p.value;
    const where = raw['in'] as ParameterInfo['in'];
    let schema = this.schemaAt(raw['schema'], childPointer(p.pointer, 'schema'));
    if (!schema && isObject(raw['content'])) {
      const [mediaType, media] = Object.entries(raw['content'])[0] ?? [];
      if (mediaType !== undefined && isObject(media)) {
        schema = this.schemaAt(media['schema'], childPointer(p.pointer, 'content', mediaType, 'schema'));
      }
    }
    const s = schema?.value;
    const param: ParameterInfo = {
      name: raw['name'] as string,
      in: where,
      required: where === 'path' ? true : raw['required'] === true,
    };
    put(param, 'description', str(raw['description']));
    if (raw['deprecated'] === true) param.deprecated = true;
    let example: unknown = raw['example'];
    if (example === undefined && isObject(raw['examples'])) {
      const first = Object.entries(raw['examples'])[0];
      if (first) {
        const ex = this.resolve(first[1], childPointer(p.pointer, 'examples', first[0]));
        if (ex.ok && isObject(ex.value)) example = ex.value['value'];
      }
    }
    if (s) {
      if (example === undefined) example = s['example'] ?? (Array.isArray(s['examples']) ? s['examples'][0] : undefined);
      const items = s['items'] !== undefined ? this.schemaAt(s['items'], childPointer(schema?.pointer ?? p.pointer, 'items'))?.value : undefined;
      copyValueFields(param, s, schemaType(s), items && schemaType(items), items);
    }
    put(param, 'example', smallOrUndefined(example));
    put(param, 'style', str(raw['style']));
    if (typeof raw['explode'] === 'boolean') param.explode = raw['explode'];
    return param;
  }

  private parameter2(raw: JsonObject): ParameterInfo {
    const where = raw['in'] as ParameterInfo['in'];
    const param: ParameterInfo = {
      name: raw['name'] as string,
      in: where,
      required: where === 'path' ? true : raw['required'] === true,
    };
    // Swagger 2.0 collectionFormat → the OpenAPI 3 style/explode that serializes the same way.
    const format = str(raw['collectionFormat']) ?? (raw['type'] === 'array' ? 'csv' : undefined);
    let style: string | undefined;
    let explode: boolean | undefined;
    if (format === 'csv') {
      style = where === 'query' || where === 'cookie' ? 'form' : 'simple';
      explode = false;
    } else if (format === 'multi') {
      style = 'form';
      explode = true;
    } else if (format === 'ssv') style = 'spaceDelimited';
    else if (format === 'pipes') style = 'pipeDelimited';
    else if (format === 'tsv') style = 'tabDelimited';
    put(param, 'description', str(raw['description']));
    const items = isObject(raw['items']) ? raw['items'] : undefined;
    copyValueFields(param, raw, str(raw['type']), items && str(items['type']), items);
    put(param, 'example', smallOrUndefined(raw['x-example']));
    put(param, 'style', style);
    put(param, 'explode', explode);
    return param;
  }

  // ------------------------------------------------------------------------------------ bodies

  /** Where a schema lives: the target of a pure local `$ref` (checked), else its inline location. */
  private schemaPointer(schema: unknown, pointer: string): string | undefined {
    if (schema === undefined) return undefined;
    if (refOf(schema) !== undefined) {
      const r = this.resolve(schema, pointer);
      if (!r.ok) {
        this.reportRef(r, 'schema');
        return undefined;
      }
      return r.pointer;
    }
    return isObject(schema) || typeof schema === 'boolean' ? pointer : undefined;
  }

  private requestBody3(raw: JsonObject, opPointer: string): RequestBodyInfo | undefined {
    if (raw['requestBody'] === undefined) return undefined;
    const rb = this.object(raw['requestBody'], childPointer(opPointer, 'requestBody'), 'request body');
    if (!rb) return undefined;
    const contents: MediaTypeInfo[] = [];
    const content = rb.value['content'];
    if (isObject(content)) {
      for (const [mediaType, media] of Object.entries(content)) {
        const at = childPointer(rb.pointer, 'content', mediaType);
        if (!isObject(media)) {
          this.report('structure', at, `media type "${mediaType}" is not an object; skipped.`);
          continue;
        }
        const schema = media['schema'];
        const info: MediaTypeInfo = {
          mediaType,
          hasExample:
            media['example'] !== undefined ||
            (isObject(media['examples']) && Object.keys(media['examples']).length > 0) ||
            (isObject(schema) && schema['example'] !== undefined),
        };
        const schemaRef = this.schemaPointer(schema, childPointer(at, 'schema'));
        if (schemaRef !== undefined) info.schemaRef = schemaRef;
        contents.push(info);
      }
    } else {
      this.report('structure', childPointer(rb.pointer, 'content'), 'request body has no `content`.', 'warning');
    }
    return assignDefined<RequestBodyInfo>({ required: rb.value['required'] === true, contents }, { description: str(rb.value['description']) });
  }

  private mediaTypes2(raw: JsonObject, field: 'consumes' | 'produces'): string[] | undefined {
    const own = raw[field];
    const list = Array.isArray(own) ? own : this.doc[field];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : undefined;
  }

  private requestBody2(raw: JsonObject, body: Located<JsonObject> | undefined, form: Located<JsonObject>[]): RequestBodyInfo | undefined {
    const consumes = this.mediaTypes2(raw, 'consumes');
    if (body) {
      const schemaRef = this.schemaPointer(body.value['schema'], childPointer(body.pointer, 'schema'));
      const schema = body.value['schema'];
      const hasExample = isObject(schema) && schema['example'] !== undefined;
      const types = consumes && consumes.length > 0 ? consumes : ['application/json'];
      return assignDefined<RequestBodyInfo>(
        {
          required: body.value['required'] === true,
          contents: types.map((mediaType) => assignDefined<MediaTypeInfo>({ mediaType, hasExample }, { schemaRef })),
        },
        { description: str(body.value['description']) },
      );
    }
    if (form.length === 0) return undefined;
    const schema = formDataSchema(form.map((f) => f.value));
    const formTypes = (consumes ?? []).filter((t) => /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(t));
    const hasFile = form.some((f) => f.value['type'] === 'file');
    const types = formTypes.length > 0 ? formTypes : [hasFile ? 'multipart/form-data' : 'application/x-www-form-urlencoded'];
    return {
      required: form.some((f) => f.value['required'] === true),
      contents: types.map((mediaType) => ({ mediaType, hasExample: false, schema })),
    };
  }

  private responses(raw: JsonObject, opPointer: string): ResponseInfo[] {
    const out: ResponseInfo[] = [];
    const responses = raw['responses'];
    if (responses === undefined) return out;
    const pointer = childPointer(opPointer, 'responses');
    if (!isObject(responses)) {
      this.report('structure', pointer, '`responses` is not an object; ignored.');
      return out;
    }
    const produces = this.is2 ? this.mediaTypes2(raw, 'produces') ?? ['application/json'] : [];
    for (const [status, value] of Object.entries(responses)) {
      if (status.startsWith('x-')) continue;
      const r = this.object(value, childPointer(pointer, status), `response ${status}`);
      if (!r) continue;
      const mediaTypes = this.is2
        ? r.value['schema'] !== undefined
          ? produces
          : []
        : isObject(r.value['content'])
          ? Object.keys(r.value['content'])
          : [];
      const response: ResponseInfo = { status, mediaTypes };
      put(response, 'description', str(r.value['description']));
      out.push(response);
    }
    return out;
  }

  // ------------------------------------------------------------------------------------ tags

  private tags(operations: readonly RawOperation[]): TagInfo[] {
    const byName = new Map<string, TagInfo>();
    const declared = this.doc['tags'];
    if (Array.isArray(declared)) {
      declared.forEach((t, i) => {
        if (!isObject(t) || typeof t['name'] !== 'string') {
          this.report('structure', toPointer(['tags', i]), 'tag has no `name`; skipped.', 'warning');
          return;
        }
        if (byName.has(t['name'])) return;
        byName.set(t['name'], assignDefined<TagInfo>({ name: t['name'], operationIds: [] }, { description: str(t['description']) }));
      });
    }
    for (const op of operations) {
      for (const name of op.tags) {
        let tag = byName.get(name);
        if (!tag) {
          tag = { name, operationIds: [] };
          byName.set(name, tag);
        }
        if (tag.operationIds[tag.operationIds.length - 1] !== op.id) tag.operationIds.push(op.id);
      }
    }
    // Declared tags without operations would be empty tree branches.
    return [...byName.values()].filter((t) => t.operationIds.length > 0);
  }
}

/** Swagger 2.0 `formData` parameters as one object schema (a property per field), for forms and examples. */
export function formDataSchema(fields: readonly JsonObject[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const f of fields) {
    const name = f['name'] as string;
    const prop: Record<string, unknown> = {};
    for (const key of ['type', 'format', 'description', 'enum', 'default', 'pattern', 'minimum', 'maximum', 'items', 'x-example']) {
      const value = smallOrUndefined(f[key]);
      if (value !== undefined) prop[key === 'x-example' ? 'example' : key] = value;
    }
    if (prop['type'] === 'file') {
      prop['type'] = 'string';
      prop['format'] = 'binary';
    }
    properties[name] = prop;
    if (f['required'] === true) required.push(name);
  }
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

/** Builds the index of a parsed, version-checked document. Never throws on bad pieces; reports them. */
export function buildIndex(doc: JsonObject, ctx: IndexContext, hooks: IndexHooks = {}): IndexOutcome {
  return new Indexer(doc, ctx, hooks).run();
}

export interface FoundOperation {
  /** The operation object as written (not dereferenced). */
  operation: JsonObject;
  /** Where the operation object really lives (differs from the id when its path item is a `$ref`). */
  pointer: string;
  pathItem: JsonObject;
  pathItemPointer: string;
  path: string;
  method: HttpMethod;
}

/** Finds the operation with index id `#/paths/<path>/<method>`, following a path item `$ref`. */
export function findOperation(doc: JsonObject, operationId: string): FoundOperation | undefined {
  const segments = parsePointer(operationId);
  if (!segments || segments.length !== 3 || segments[0] !== 'paths') return undefined;
  const [, path, method] = segments as [string, string, string];
  if (!(HTTP_METHODS as readonly string[]).includes(method)) return undefined;
  const paths = doc['paths'];
  if (!isObject(paths)) return undefined;
  const item = resolveRef(doc, paths[path], childPointer('#/paths', path));
  if (!item.ok || !isObject(item.value)) return undefined;
  const operation = item.value[method];
  if (!isObject(operation)) return undefined;
  return {
    operation,
    pointer: childPointer(item.pointer, method),
    pathItem: item.value,
    pathItemPointer: item.pointer,
    path,
    method: method as HttpMethod,
  };
}
