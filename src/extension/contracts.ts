/**
 * The interfaces the extension's features use to talk to each other. Each feature folder implements one
 * of them; `Services` (services.ts) constructs the implementations and passes them in. A feature never
 * reaches into another feature's folder — only through these.
 */
import type * as vscode from 'vscode';
import type { AuthProfile, EnvironmentId, TokenExchangeRecord, TokenSet } from '../core/auth/types';
import type { ProfileDecision } from '../core/auth/profiles';
import type { RegionDecision } from '../core/auth/region';
import type { AuthHeaderProvider, RequestValues } from '../core/http/types';
import type { SpecCatalog } from '../core/spec/catalog';
import type { ApiIndex, ApiSummary, OperationInfo, SpecProblem, SpecSource } from '../core/spec/types';
import type { RegionUrls } from './settings';
import type { Dispatcher } from 'undici';

// ---------------------------------------------------------------------------------------------- specs

export type SpecOrigin = 'builtin' | 'workspace' | 'file' | 'url';

/** One spec source and where its load stands. */
export interface SpecEntry {
  /** Stable key of the source (the API id once loaded is derived from the same source). */
  key: string;
  source: SpecSource;
  origin: SpecOrigin;
  /** The file name or URL, for messages. */
  label: string;
  state: 'loading' | 'loaded' | 'failed';
  /** Present once loaded (possibly with warnings in `problems`). */
  api?: ApiIndex;
  problems: SpecProblem[];
}

/** Owned by src/extension/specs: every spec source (built-in, workspace, added files and URLs). */
export interface SpecRegistry {
  readonly onDidChange: vscode.Event<void>;
  readonly catalog: SpecCatalog;
  entries(): readonly SpecEntry[];
  /** Loaded APIs only. */
  apis(): readonly ApiIndex[];
  api(apiId: string): ApiIndex | undefined;
  operation(apiId: string, operationId: string): OperationInfo | undefined;
  /** Resolves when every source known right now has finished loading (or failed). */
  whenSettled(): Promise<void>;
  /**
   * Resolves when the sources are listed (built-in, workspace search, added ones), before they finish
   * loading: entries still loading are in `entries()` with state `loading`.
   */
  whenListed(): Promise<void>;
}

// ----------------------------------------------------------------------------------------- environments

/** Owned by src/extension/environment: the active environment and the base URLs behind it. */
export interface EnvironmentService {
  readonly current: EnvironmentId;
  readonly onDidChange: vscode.Event<EnvironmentId>;
  /** Where requests go may have changed without a switch: base URLs, the sandbox URL or an auth override. */
  readonly onDidChangeTargets: vscode.Event<void>;
  switchTo(environment: EnvironmentId): Promise<void>;
  /** The API's Telenor region as requests use it: `telenor.auth.overrides` first, then the spec. */
  regionOf(api: ApiSummary): RegionDecision | undefined;
  /**
   * Base URLs per region. For the sandbox this starts the embedded sandbox when no external one is
   * configured, so callers await it right before they need it.
   */
  baseUrls(environment?: EnvironmentId): Promise<RegionUrls>;
  /**
   * Where requests for this API (and operation: its own servers win) go in the environment. Throws a
   * TelenorError ('input') with a hint naming the setting when the environment has no base URL for the
   * API's region.
   */
  serverUrl(api: ApiSummary, environment?: EnvironmentId, operation?: Pick<OperationInfo, 'servers'>): Promise<string>;
}

// ------------------------------------------------------------------------------------------------ auth

export interface TokenStatus {
  environment: EnvironmentId;
  profile: AuthProfile;
  /** Undefined when no token is held. */
  token?: Pick<TokenSet, 'expiresAt' | 'obtainedAt'> & { jwtExpiresAt?: number };
}

/** Owned by src/extension/auth: which grant an API needs, tokens for it, sign in and out. */
export interface AuthController {
  readonly onDidChangeToken: vscode.Event<void>;
  readonly onDidExchange: vscode.Event<TokenExchangeRecord>;
  /** The auth profile for the API in the environment (settings overrides applied). */
  profileFor(api: ApiSummary, environment?: EnvironmentId): Promise<ProfileDecision>;
  /** Auth headers for requests to the API; undefined when the API declares no security at all. */
  headerProvider(api: ApiSummary, environment?: EnvironmentId): Promise<AuthHeaderProvider | undefined>;
  /** What the UI shows about the API's token (sync: from the cache, never fetches). */
  tokenStatus(api: ApiSummary, environment?: EnvironmentId): TokenStatus | undefined;
  signIn(api: ApiSummary, environment?: EnvironmentId): Promise<void>;
  signOut(api: ApiSummary, environment?: EnvironmentId): Promise<void>;
  /**
   * The undici dispatcher the auth code sends through (proxy, extra CAs from settings), so API calls from
   * the request panel use the same network setup. Optional: without it the panel makes its own from settings.
   */
  dispatcher?(): Dispatcher | undefined;
}

// ------------------------------------------------------------------------------------- request panel

export interface OperationTarget {
  apiId: string;
  operationId: string;
  /** Values to pre-fill (from a hover on a concrete URL, or a history entry). */
  values?: Partial<Pick<RequestValues, 'path' | 'query' | 'headers' | 'body'>>;
}

/** Owned by src/extension/panel. */
export interface RequestPanels {
  open(target: OperationTarget): Promise<void>;
}

// ---------------------------------------------------------------------------------------- active API

/**
 * The API the person is working with right now (the focused request panel, else the last selected tree
 * item). The token status bar item follows it.
 */
export interface ActiveApi {
  readonly current: ApiSummary | undefined;
  readonly onDidChange: vscode.Event<ApiSummary | undefined>;
  set(api: ApiSummary | undefined): void;
}
