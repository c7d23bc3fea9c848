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

/** A problem found while parsing or validating. `pointer` is a JSON pointer; line/column when known. */
export interface SpecProblem {
  severity: 'error' | 'warning';
  message: string;
  pointer?: string;
  line?: number;
  column?: number;
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
  /** Document-level vendor extensions (x-…), used by auth presets (e.g. `x-telenor-auth`). */
  extensions: Record<string, unknown>;
  /** Tags in document order; operations without tags go to a synthetic `default` tag. */
  tags: TagInfo[];
  operationCount: number;
}

/** The whole index of one spec: the summary plus every operation, keyed by id. */
export interface ApiIndex extends ApiSummary {
  operations: Record<string, OperationInfo>;
}

/** What a load produces: either an index (maybe with problems) or a failure that names file and place. */
export type LoadResult =
  | { ok: true; api: ApiIndex; problems: SpecProblem[] }
  | { ok: false; origin: string; source: SpecSource; problems: SpecProblem[] };
