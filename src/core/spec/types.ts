/**
 * The spec catalog's data model: what the worker sends back after reading a spec. It is a small summary
 * (no schemas inlined), so crossing the thread boundary and rendering the first tree level stay cheap.
 * Full schemas, examples and validation problems are fetched on demand.
 */

export type SpecVersion = '2.0' | '3.0' | '3.1';
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/** Where a spec comes from. `builtin` specs ship with the extension (the sandbox's APIs). */
export type SpecSource =
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'builtin'; path: string; name: string }
  /** Spec text handed over directly (an unsaved editor, a test). `origin` names it in messages. */
  | { kind: 'text'; text: string; origin: string };

export interface ServerInfo {
  /**
   * Without a trailing slash. Relative (`/v1`) when the spec says so and was not loaded from a URL (a spec
   * loaded from a URL has relative servers resolved against that URL, and `/` when it declares none).
   * Swagger 2.0 `host` + `basePath` + `schemes` give one entry per scheme.
   */
  url: string;
  description?: string;
  /** OpenAPI 3 server variables, already defaulted when building `url`. */
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>;
}

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  description?: string;
  deprecated?: boolean;
  /** JSON type for the form control: string, integer, number, boolean, array, object. */
  type?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  /** For arrays: the item type and how they are serialized. */
  items?: { type?: string; enum?: unknown[] };
  style?: string;
  explode?: boolean;
  /** Pattern, min/max etc. kept for validation hints in the form. */
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export interface MediaTypeInfo {
  mediaType: string;
  /** JSON pointer to the schema inside the spec (`#/components/schemas/Foo` or the inline location). */
  schemaRef?: string;
  hasExample: boolean;
  /**
   * A small schema built by the indexer when the spec has no schema to point at: Swagger 2.0 `formData`
   * parameters become one `type: object` schema with a property per field. Absent whenever `schemaRef` is set.
   */
  schema?: Record<string, unknown>;
}

export interface RequestBodyInfo {
  required: boolean;
  description?: string;
  contents: MediaTypeInfo[];
}

export interface ResponseInfo {
  status: string;
  description?: string;
  mediaTypes: string[];
}

/** One alternative of a security requirement: every scheme listed must be satisfied together. */
export type SecurityRequirement = Record<string, string[]>;

export interface SecuritySchemeInfo {
  /**
   * OpenAPI 3 scheme types. Swagger 2.0 `basic` is mapped to `http` + `scheme: 'basic'` like every other 2.0
   * construct; the `'basic'` member is kept only so older callers still compile.
   */
  type: 'oauth2' | 'apiKey' | 'http' | 'openIdConnect' | 'mutualTLS' | 'basic';
  description?: string;
  /** apiKey */
  name?: string;
  in?: 'query' | 'header' | 'cookie';
  /** http */
  scheme?: string;
  bearerFormat?: string;
  /** oauth2: one entry per flow the spec declares (Swagger 2.0 flows are mapped to OpenAPI 3 names). */
  flows?: Partial<
    Record<
      'clientCredentials' | 'password' | 'authorizationCode' | 'implicit',
      { tokenUrl?: string; authorizationUrl?: string; refreshUrl?: string; scopes: Record<string, string> }
    >
  >;
  openIdConnectUrl?: string;
  /** Vendor extensions on the scheme (x-…), kept for Telenor presets. */
  extensions?: Record<string, unknown>;
}

export interface OperationInfo {
  /** Stable id: the JSON pointer of the operation, e.g. `#/paths/~1oauth~1v2~1token/post`. */
  id: string;
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterInfo[];
  requestBody?: RequestBodyInfo;
  responses: ResponseInfo[];
  /** The effective security (operation-level, else document-level). Empty array = explicitly none. */
  security: SecurityRequirement[];
  /** Operation- or path-level servers, when they override the document's. */
  servers?: ServerInfo[];
}

export interface TagInfo {
  name: string;
  description?: string;
  /** Operation ids in document order. */
  operationIds: string[];
}

/** What kind of problem a `SpecProblem` is: branch on this, never on the message. */
export type SpecProblemCode =
  /** The text is not valid JSON/YAML. */
  | 'syntax'
  /** The file looks binary (NUL bytes), or is not text in a known encoding. */
  | 'binary'
  /** Parsed, but not an object with `swagger: "2.0"` or `openapi: 3.0.x/3.1.x`. */
  | 'version'
  /** The file or URL does not exist (ENOENT, HTTP 404/410). */
  | 'not-found'
  /** The server answered with another HTTP error status. */
  | 'http-status'
  /** DNS, refused connection, TLS… */
  | 'network'
  /** No (complete) answer within the time limit. */
  | 'timeout'
  /** Larger than the configured size cap. */
  | 'too-large'
  /** The spec's location is refused by policy (a URL spec referring to a local file, an unknown scheme). */
  | 'policy'
  /** Could not read the file for another reason (permissions, a directory…). */
  | 'read'
  /** A `$ref` that points nowhere, outside the document without being bundled, or only to itself. */
  | 'ref'
  /** A part of the document has the wrong shape and was skipped by the indexer. */
  | 'structure'
  /** Reported by the OpenAPI/Swagger schema or spec validation (swagger-parser). */
  | 'validation'
  /** The spec worker ran out of memory or crashed while handling this spec. */
  | 'crash'
  /** A bug on our side while handling this spec. */
  | 'internal';

/**
 * A problem found while parsing or validating. `pointer` is a JSON pointer (`#/paths/~1a/get`); `line` and
 * `column` are 1-based positions in the source text, when they could be mapped. `message` already names the
 * source and place ("petstore.yaml line 12, column 3: …"); `hint` says what to do about it.
 */
export interface SpecProblem {
  severity: 'error' | 'warning';
  message: string;
  pointer?: string;
  line?: number;
  column?: number;
  code?: SpecProblemCode;
  hint?: string;
}

export interface ApiSummary {
  /** Stable id of the API: derived from the source (path or URL), not from the title. */
  id: string;
  source: SpecSource;
  /** Display name (the source's file name or URL) for messages. */
  origin: string;
  title: string;
  version: string;
  specVersion: SpecVersion;
  description?: string;
  servers: ServerInfo[];
  securitySchemes: Record<string, SecuritySchemeInfo>;
  /** Document-level security requirement. */
  security: SecurityRequirement[];
  /**
   * Document-level vendor extensions (x-…), used by auth presets (e.g. `x-telenor-auth`). A very large
   * value (GitHub's `x-webhooks`) is replaced by `{ "$ref": "#/x-name", "x-unresolved": "size" }`; fetch it
   * with `SpecCatalog.resolveSchema` if needed.
   */
  extensions: Record<string, unknown>;
  /**
   * Tags in document order (declared ones first, then the others as first used); operations without tags
   * go to a synthetic `default` tag; declared tags without operations are left out. OpenAPI 3.1
   * `webhooks` are requests the API makes, not ones you send, so they are not operations here.
   */
  tags: TagInfo[];
  operationCount: number;
}

/** The whole index of one spec: the summary plus every operation, keyed by id. */
export interface ApiIndex extends ApiSummary {
  operations: Record<string, OperationInfo>;
}

/** An example request body for one operation and media type (see `SpecCatalog.example`). */
export interface BodyExample {
  mediaType: string;
  /** The example value (object, array, string…); `undefined` when the operation has no body to describe. */
  value: unknown;
  /** Ready to put in the request editor: JSON pretty-printed, form bodies URL-encoded, text as is. */
  text: string;
  /** Where it came from: an explicit `example`, the first of `examples`, generated from the schema, or nothing. */
  source: 'example' | 'examples' | 'schema' | 'none';
  /** True when the schema was cut (depth or size limit, circular) to keep the example small. */
  truncated: boolean;
}

/** A schema with its `$ref`s inlined up to a depth, for display (see `SpecCatalog.resolveSchema`). */
export interface ResolvedSchema {
  /** Where the schema lives after following `$ref`s. */
  pointer: string;
  /**
   * The schema. Where the depth or size limit or a cycle stopped inlining, a node is left as
   * `{ "$ref": "#/…", "x-unresolved": "depth" | "cycle" | "size" }` so the UI can fetch it on demand.
   */
  schema: unknown;
  truncated: boolean;
}

/** What a load produces: either an index (maybe with problems) or a failure that names file and place. */
export type LoadResult =
  | { ok: true; api: ApiIndex; problems: SpecProblem[] }
  | { ok: false; origin: string; source: SpecSource; problems: SpecProblem[] };
