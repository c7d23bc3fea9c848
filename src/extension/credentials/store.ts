import * as vscode from 'vscode';
import type { CredentialKind, CredentialSet, EnvironmentId } from '../../core/auth/types';
import type { IDisposable } from '../../core/util/lifecycle';
import type { Redactor } from '../../core/util/redact';
import type { CommandTable } from '../commands';
import type { ActiveApi, EnvironmentService } from '../contracts';
import type { Log } from '../log';
import type { Settings } from '../settings';
import { CredentialCommands } from './commands';
import {
  allSlots,
  parseSecretKey,
  parseStored,
  secretKey,
  secretValues,
  serialize,
  withValue,
  type CredentialSlot,
  type CredentialValue,
  type Region,
} from './model';

export interface CredentialStoreDeps {
  secrets: vscode.SecretStorage;
  redactor: Redactor;
  log: Log;
  /** For the commands: the active environment and its sandbox URL (demo credentials). */
  environments?: EnvironmentService;
  /** For the commands: preselect the region of the API the person is working with. */
  activeApi?: ActiveApi;
  settings?: Settings;
}

/** Which slot changed; never the value. */
export type CredentialChange = CredentialSlot;

/**
 * Credentials in VS Code SecretStorage and nowhere else: one key per environment + region + kind
 * (`telenor.credentials/v1/sandbox/no/client`), a versioned JSON value. Settings, Mementos and the log
 * never see them; every secret read or written is registered with the shared Redactor so that a value
 * echoed back by a server is masked wherever it turns up.
 *
 * SecretStorage is shared by every window of this VS Code: `secrets.onDidChange` keeps this window's
 * cache and listeners in step when another window stores or clears something.
 */
function sameValue(kind: CredentialKind, a: CredentialValue<CredentialKind> | undefined, b: CredentialValue<CredentialKind> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return serialize(kind, a) === serialize(kind, b);
}

export class CredentialStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CredentialChange>();
  /** Fires when a slot's value is stored, replaced or cleared, in this window or another one. */
  readonly onDidChange = this.emitter.event;
  /** Parsed values by key; `null` = known to be empty. Dropped on every change notification. */
  private readonly cache = new Map<string, CredentialValue<CredentialKind> | null>();
  /** Redactor registrations per key, released when the value changes or is cleared. */
  private readonly registrations = new Map<string, IDisposable[]>();
  private readonly listener: vscode.Disposable;
  private readonly commandsImpl: CredentialCommands | undefined;
  private disposed = false;

  constructor(readonly deps: CredentialStoreDeps) {
    this.listener = deps.secrets.onDidChange((e) => void this.onSecretChanged(e.key));
    if (deps.environments && deps.settings) {
      this.commandsImpl = new CredentialCommands({
        store: this,
        environments: deps.environments,
        settings: deps.settings,
        ...(deps.activeApi ? { activeApi: deps.activeApi } : {}),
        log: deps.log,
      });
    }
  }

  /**
   * SecretStorage says a key changed: in another window, or this one (then `set`/`clear` already fired).
   * Re-read it and tell listeners only when the value really differs, so a late echo of our own write
   * cannot make the auth controller forget a token obtained in between.
   */
  private async onSecretChanged(key: string): Promise<void> {
    const slot = parseSecretKey(key);
    if (!slot) return;
    const before = this.cache.has(key) ? (this.cache.get(key) ?? undefined) : 'unknown';
    this.cache.delete(key);
    let after: CredentialValue<CredentialKind> | undefined;
    try {
      after = await this.read(slot);
    } catch {
      after = undefined;
    }
    if (before !== 'unknown' && sameValue(slot.kind, before, after)) return;
    if (!this.disposed) this.emitter.fire(slot);
  }

  commands(): CommandTable {
    return this.commandsImpl?.commands() ?? {};
  }

  /** Every stored kind for an environment and region (only the kinds that exist there). */
  async get(environment: EnvironmentId, region: Region): Promise<CredentialSet> {
    let set: CredentialSet = {};
    const kinds: CredentialKind[] = region === 'se' ? ['client', 'jwt'] : ['client', 'machineUser'];
    for (const kind of kinds) {
      const value = await this.read({ environment, region, kind });
      if (value) set = withValue(set, kind, value);
    }
    return set;
  }

  /** One slot's value, or undefined. */
  async read<K extends CredentialKind>(slot: CredentialSlot & { kind: K }): Promise<CredentialValue<K> | undefined> {
    const key = secretKey(slot);
    if (this.cache.has(key)) return (this.cache.get(key) ?? undefined) as CredentialValue<K> | undefined;
    let text: string | undefined;
    try {
      text = await this.deps.secrets.get(key);
    } catch (e) {
      // The keychain can be locked or unavailable (Linux without a secret service): say so without values.
      this.deps.log.error(`Reading stored credentials (${slot.environment}/${slot.region}/${slot.kind}) from SecretStorage failed:`, e);
      throw e;
    }
    const value = parseStored(slot.kind, text);
    if (text !== undefined && value === undefined) {
      this.deps.log.warn(`Stored credentials for ${slot.environment}/${slot.region}/${slot.kind} are unreadable (another version?); ignored.`);
    }
    if (value) this.protect(key, slot.kind, value);
    this.cache.set(key, value ?? null);
    return value;
  }

  async set<K extends CredentialKind>(slot: CredentialSlot & { kind: K }, value: CredentialValue<K>): Promise<void> {
    const key = secretKey(slot);
    // Register before the value goes anywhere, so nothing after this point can print it unmasked.
    this.release(key);
    this.protect(key, slot.kind, value);
    await this.deps.secrets.store(key, serialize(slot.kind, value));
    this.cache.set(key, value);
    this.emitter.fire(slot);
  }

  async clear(slot: CredentialSlot): Promise<void> {
    const key = secretKey(slot);
    await this.deps.secrets.delete(key);
    this.cache.set(key, null);
    this.release(key);
    this.emitter.fire(slot);
  }

  /** Which slots hold something (for menus and context keys). Never the values. */
  async list(filter: Partial<Omit<CredentialSlot, 'kind'>> = {}): Promise<CredentialSlot[]> {
    const stored: CredentialSlot[] = [];
    for (const slot of allSlots()) {
      if (filter.environment && slot.environment !== filter.environment) continue;
      if (filter.region && slot.region !== filter.region) continue;
      if (await this.read(slot).catch(() => undefined)) stored.push(slot);
    }
    return stored;
  }

  private protect(key: string, kind: CredentialKind, value: CredentialValue<CredentialKind>): void {
    if (this.disposed) return;
    const regs = this.registrations.get(key) ?? [];
    for (const secret of secretValues(kind, value)) regs.push(this.deps.redactor.register(secret, 'password'));
    this.registrations.set(key, regs);
  }

  private release(key: string): void {
    for (const r of this.registrations.get(key) ?? []) void r.dispose();
    this.registrations.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    this.listener.dispose();
    this.emitter.dispose();
    this.commandsImpl?.dispose();
    // Values stay registered with the Redactor: it lives as long as the extension, and a secret that was
    // once in memory must not become printable during shutdown.
    this.registrations.clear();
    this.cache.clear();
  }
}
