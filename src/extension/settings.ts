import * as vscode from 'vscode';
import type { EnvironmentId } from '../core/auth/types';

export type Region = 'se' | 'no';
export type RegionUrls = Partial<Record<Region, string>>;

export interface AuthOverride {
  grant?: 'se-client-credentials' | 'no-client-credentials' | 'no-password' | 'no-authorization-code';
  region?: Region;
  service?: string;
  scope?: string;
}

/** A typed snapshot of everything the extension reads from settings. */
export interface SettingsSnapshot {
  environment: EnvironmentId;
  sandboxUrl: string;
  environments: Partial<Record<'test' | 'production', RegionUrls>>;
  specsInclude: string[];
  specsExclude: string;
  showBuiltin: boolean;
  authOverrides: Record<string, AuthOverride>;
  callbackPort: number;
  timeoutMs: number;
  maxDisplayBytes: number;
  allowInsecureHttp: boolean;
  historyMax: number;
  hoverEnabled: boolean;
  /** VS Code's own `http.proxy` / `http.proxyStrictSSL`, honoured for token and API calls alike. */
  proxy: string;
  proxyStrictSSL: boolean;
}

const ENVIRONMENTS: readonly EnvironmentId[] = ['sandbox', 'test', 'production'];

function isEnvironment(v: unknown): v is EnvironmentId {
  return typeof v === 'string' && (ENVIRONMENTS as readonly string[]).includes(v);
}

function plainObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function regionUrls(v: unknown): RegionUrls {
  const o = plainObject(v);
  const out: RegionUrls = {};
  for (const r of ['se', 'no'] as const) {
    const u = o[r];
    if (typeof u === 'string' && u.trim()) out[r] = u.trim().replace(/\/+$/, '');
  }
  return out;
}

/**
 * Reads `telenor.*` (and `http.proxy*`) into a validated snapshot. Settings are user input: anything of
 * the wrong shape falls back to the default instead of throwing somewhere deep in a request.
 */
export function readSettings(config: Pick<typeof vscode.workspace, 'getConfiguration'> = vscode.workspace): SettingsSnapshot {
  const t = config.getConfiguration('telenor');
  const http = config.getConfiguration('http');
  const env = t.get<unknown>('environment');
  const envs = plainObject(t.get<unknown>('environments'));
  const overrides = plainObject(t.get<unknown>('auth.overrides'));
  const num = (key: string, fallback: number, min: number): number => {
    const v = t.get<unknown>(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
  };
  const include = t.get<unknown>('specs.include');
  return {
    environment: isEnvironment(env) ? env : 'sandbox',
    sandboxUrl: (t.get<string>('sandbox.url') ?? '').trim().replace(/\/+$/, ''),
    environments: { test: regionUrls(envs['test']), production: regionUrls(envs['production']) },
    specsInclude: Array.isArray(include) ? include.filter((g): g is string => typeof g === 'string' && g.length > 0) : [],
    specsExclude: t.get<string>('specs.exclude') ?? '**/node_modules/**',
    showBuiltin: t.get<boolean>('specs.showBuiltin') !== false,
    authOverrides: Object.fromEntries(
      Object.entries(overrides).map(([k, v]) => [k, plainObject(v) as AuthOverride]),
    ),
    callbackPort: Math.min(65535, Math.floor(num('auth.callbackPort', 0, 0))),
    timeoutMs: num('request.timeoutSeconds', 30, 1) * 1000,
    maxDisplayBytes: num('request.maxDisplayBytes', 2 * 1024 * 1024, 1024),
    allowInsecureHttp: t.get<boolean>('request.allowInsecureHttp') === true,
    historyMax: Math.floor(num('history.maxEntries', 30, 0)),
    hoverEnabled: t.get<boolean>('hover.enabled') !== false,
    proxy: (http.get<string>('proxy') ?? '').trim(),
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL') !== false,
  };
}

/** Default base URLs per environment. Sweden's are not public: they come with the agreement (settings). */
export const DEFAULT_BASE_URLS: Record<'test' | 'production', RegionUrls> = {
  test: { no: 'https://test-api.telenor.no' },
  production: { no: 'https://api.telenor.no' },
};

export const ENVIRONMENT_LABELS: Record<EnvironmentId, string> = {
  sandbox: 'Sandbox',
  test: 'Test',
  production: 'Production',
};

/**
 * Live settings: a snapshot re-read when `telenor.*` or `http.*` changes. Features read `current` when
 * they act (never cache values of their own) and listen to `onDidChange` only to refresh what they show.
 */
export class Settings implements vscode.Disposable {
  private snapshot: SettingsSnapshot;
  private readonly emitter = new vscode.EventEmitter<SettingsSnapshot>();
  private readonly listener: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.snapshot = readSettings();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('telenor') || e.affectsConfiguration('http')) {
        this.snapshot = readSettings();
        this.emitter.fire(this.snapshot);
      }
    });
  }

  get current(): SettingsSnapshot {
    return this.snapshot;
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
