/**
 * Recent calls per operation, kept in `globalState` (a Memento) so they survive restarts — and therefore
 * holding no secret: credential headers, cookies, secret-named or secret-looking values and bodies with
 * credential fields are dropped (their names are listed in `dropped`, so the person knows to re-enter them).
 * Pure: the Memento and the Redactor come in as small interfaces.
 */
import { emptyForm, type HistoryEntryView } from '../../protocol';
import { isSecretName, looksLikeItHoldsSecrets, withoutSecretQuery } from './form';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The parts of the Redactor history needs (the shared Redactor satisfies it). */
export interface SecretScanner {
  containsSecret(text: string): boolean;
  redact(text: string): string;
  redactHeader(name: string, value: string): string;
}

export const HISTORY_KEY = 'telenor.history.v1';
/** Bodies larger than this are not kept: globalState is read at every start-up. */
export const MAX_HISTORY_BODY_CHARS = 16 * 1024;

/** One call as it happened, secrets and all (only `historyEntry` sees it). */
export type CallRecord = Omit<HistoryEntryView, 'dropped'>;

/** A history entry for one call with every secret (or secret-looking) input left out. */
export function historyEntry(call: CallRecord, redactor: SecretScanner, secretNames: readonly string[] = []): HistoryEntryView {
  const dropped: string[] = [];
  const form = emptyForm(call.form.mediaType);
  const secretValue = (v: string): boolean => redactor.containsSecret(v);

  for (const [k, v] of Object.entries(call.form.path)) {
    if (secretValue(v)) dropped.push(`path ${k}`);
    else form.path[k] = v;
  }
  for (const [k, v] of Object.entries(call.form.query)) {
    if (v === '') continue;
    const pair = `${k}=${v}`;
    if (isSecretName(k, secretNames) || secretValue(v) || redactor.redact(pair) !== pair) dropped.push(`query ${k}`);
    else form.query[k] = v;
  }
  for (const [k, v] of Object.entries(call.form.headers)) {
    if (v === '') continue;
    if (isSecretName(k, secretNames) || secretValue(v) || redactor.redactHeader(k, v) !== v) dropped.push(`header ${k}`);
    else form.headers[k] = v;
  }
  for (const [k, v] of Object.entries(call.form.cookies)) if (v !== '') dropped.push(`cookie ${k}`);

  const body = call.form.body;
  if (body !== '') {
    if (body.length > MAX_HISTORY_BODY_CHARS) dropped.push('body (too large to keep)');
    else if (secretValue(body) || looksLikeItHoldsSecrets(body) || redactor.redact(body) !== body) dropped.push('body');
    else form.body = body;
  }

  const entry: HistoryEntryView = { id: call.id, at: call.at, method: call.method, url: redactor.redact(withoutSecretQuery(call.url, secretNames)), form, dropped };
  if (call.status !== undefined) entry.status = call.status;
  if (call.errorKind !== undefined) entry.errorKind = call.errorKind;
  if (call.durationMs !== undefined) entry.durationMs = Math.round(call.durationMs);
  return entry;
}

type Stored = Record<string, HistoryEntryView[]>;

export function historyKey(apiId: string, operationId: string): string {
  return `${apiId}\n${operationId}`;
}

/** Per-operation lists, newest first, capped at the setting's count. */
export class HistoryStore {
  constructor(
    private readonly memento: MementoLike,
    /** Called after a list changed (with its key), or with undefined after everything was cleared. */
    private readonly onChange: (key: string | undefined) => void = () => undefined,
  ) {}

  private all(): Stored {
    const raw = this.memento.get<unknown>(HISTORY_KEY);
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Stored) : {};
  }

  list(key: string): HistoryEntryView[] {
    const list = this.all()[key];
    return Array.isArray(list) ? list : [];
  }

  /** Keys with at least one entry. */
  keys(): string[] {
    return Object.entries(this.all())
      .filter(([, v]) => Array.isArray(v) && v.length > 0)
      .map(([k]) => k);
  }

  async add(key: string, entry: HistoryEntryView, max: number): Promise<void> {
    if (max <= 0) return;
    const all = this.all();
    all[key] = [entry, ...(all[key] ?? [])].slice(0, max);
    await this.memento.update(HISTORY_KEY, all);
    this.onChange(key);
  }

  /** Clears one operation's list (returns how many entries went), or every list without a key. */
  async clear(key?: string): Promise<number> {
    const all = this.all();
    if (key === undefined) {
      const n = Object.values(all).reduce((sum, l) => sum + (Array.isArray(l) ? l.length : 0), 0);
      await this.memento.update(HISTORY_KEY, undefined);
      this.onChange(undefined);
      return n;
    }
    const n = all[key]?.length ?? 0;
    delete all[key];
    await this.memento.update(HISTORY_KEY, all);
    this.onChange(key);
    return n;
  }
}
