/**
 * Host side of the spec engine: owns the spec worker and talks to it with request ids, per-request time
 * limits and cancellation. Pure Node (no vscode), light (no parser libraries: they live in the worker), so
 * the extension can create it at activation.
 *
 * Failure model:
 * - A spec that crashes the worker (out of memory: the worker runs with `resourceLimits`) takes only the
 *   worker down. The catalog starts a new one, replays the requests that were in flight one at a time (so
 *   the spec that crashes it again is identified and only that one fails), and reloads other specs into the
 *   new worker on their next request.
 * - A worker stuck in synchronous work (no answer, not even to a cancel, within the grace period after a
 *   time-out) is terminated and replaced the same way.
 */
import { existsSync } from 'node:fs';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { TelenorError, isTelenorError } from '../errors';
import { Disposable, Emitter, type Event } from '../util/lifecycle';
import { apiIdForSource, originOf } from './ids';
import type { FromWorker, SerializedError, SpecWorkerData, ToWorker, WorkerRequest } from './protocol';
import type { SpecServiceOptions } from './service';
import type { ApiIndex, ApiSummary, BodyExample, LoadResult, OperationInfo, ResolvedSchema, SpecProblem, SpecSource } from './types';

export { findOperationsForUrl, type UrlMatch } from './match';

export interface SpecCatalogTimeouts {
  /** Reading, parsing and indexing one spec. Default 120 s. */
  loadMs?: number;
  /** swagger-parser validation of one spec. Default 180 s. */
  validateMs?: number;
  /** Examples, schemas, unload. Default 20 s. */
  otherMs?: number;
}

export interface SpecCatalogOptions {
  /** Absolute path of dist/specWorker.js. */
  workerPath: string;
  timeouts?: SpecCatalogTimeouts;
  /** After a time-out or cancel, how long a silent worker may stay before it is replaced. Default 5 s. */
  stallGraceMs?: number;
  /** Heap limits of the worker. Default: 2 GB old space (GitHub's 73 MB dereferenced spec loads within 512 MB). */
  resourceLimits?: ResourceLimits;
  /** Passed to the worker: download limits, proxy/CA settings, example limits. */
  service?: SpecServiceOptions;
  /** Seam: how a worker is started. */
  createWorker?: (path: string, options: { workerData: SpecWorkerData; resourceLimits: ResourceLimits }) => Worker;
}

export type SpecCatalogChange =
  /** The first tree level of a spec being loaded is known (tags and operation ids); `loaded` follows. */
  | { type: 'summary'; apiId: string; summary: ApiSummary }
  /** A spec was loaded (or reloaded): `result` is its new index, or why it failed. */
  | { type: 'loaded'; apiId: string; result: LoadResult }
  | { type: 'unloaded'; apiId: string }
  /** Validation of a spec finished. */
  | { type: 'validated'; apiId: string; problems: SpecProblem[] }
  /** The worker stopped (crash, out of memory, stuck) and will be replaced on the next request. */
  | { type: 'workerRestarted'; reason: 'crash' | 'out-of-memory' | 'unresponsive' };

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the catalog's time limit for this request. */
  timeoutMs?: number;
}

export interface LoadOptions extends RequestOptions {
  /** Called once the tags and operation ids are known, before parameters and bodies are indexed. */
  onSummary?: (summary: ApiSummary) => void;
}

const DEFAULT_TIMEOUTS: Required<SpecCatalogTimeouts> = { loadMs: 120_000, validateMs: 180_000, otherMs: 20_000 };
const DEFAULT_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 2048, stackSizeMb: 8 };

/** Thrown inside the catalog when the worker does not hold an API (it was restarted): reload, then retry. */
class NotLoaded extends Error {}

interface Pending {
  id: number;
  message: ToWorker & { kind: 'request' };
  onSummary?: (summary: ApiSummary) => void;
  /** Operations received in chunks ahead of a load's result. */
  operations: OperationInfo[];
  /** Set once posted to the current worker. */
  sent: boolean;
  /** Worker crashes this request was in flight for. */
  crashes: number;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
}

/** Every way a request can end other than a result, decided by the catalog (not the worker). */
type EndReason = 'timeout' | 'crash' | 'out-of-memory' | 'unresponsive' | 'disposed';
type LostReason = 'crash' | 'out-of-memory' | 'unresponsive';

class RequestEnded extends Error {
  constructor(readonly reason: EndReason) {
    super(reason);
  }
}

export class SpecCatalog extends Disposable {
  private readonly changeEmitter = this.register(new Emitter<SpecCatalogChange>());
  readonly onDidChange: Event<SpecCatalogChange> = this.changeEmitter.event;

  private readonly timeouts: Required<SpecCatalogTimeouts>;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests waiting to be posted (all of them while replaying after a crash). */
  private readonly outbox: Pending[] = [];
  /** After a crash: post one request at a time until the outbox is empty. */
  private serial = false;
  private lastHeardAt = 0;
  private readonly results = new Map<string, LoadResult>();
  /** Which worker generation holds each loaded API; a newer generation must load it again. */
  private readonly loadedIn = new Map<string, number>();
  private generation = 0;
  private readonly reloading = new Map<string, Promise<void>>();
  /** Download settings handed to the next worker (see `reconfigure`). */
  private service: SpecServiceOptions | undefined;
  /** Settings changed while requests were running: replace the worker once it is idle. */
  private retireWhenIdle = false;

  constructor(private readonly options: SpecCatalogOptions) {
    super();
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.service = options.service;
    this.register({ dispose: () => this.shutdown() });
  }

  // ---------------------------------------------------------------------------------- public API

  /**
   * New download settings (proxy, extra CA, plain-http policy) for what is loaded from now on. A worker
   * receives its settings when it starts, so the current one is retired as soon as it is idle; loaded APIs
   * are loaded again into the next worker on their next use (the index the host holds stays valid).
   */
  reconfigure(service: SpecServiceOptions | undefined): void {
    this.service = service;
    if (!this.worker) return;
    if (this.pending.size === 0) this.retireWorker();
    else this.retireWhenIdle = true;
  }

  /**
   * Loads (or reloads) a spec. Resolves with the index, or with the problems that stopped it (syntax error
   * with line and column, 404, time-out, out of memory…). Rejects only when cancelled or disposed.
   */
  async load(source: SpecSource, options: LoadOptions = {}): Promise<LoadResult> {
    const apiId = apiIdForSource(source);
    const onSummary = (summary: ApiSummary): void => {
      options.onSummary?.(summary);
      this.changeEmitter.fire({ type: 'summary', apiId, summary });
    };
    const result = await this.loadInWorker(source, { ...options, onSummary });
    this.results.set(apiId, result);
    if (result.ok) this.loadedIn.set(apiId, this.generation);
    else this.loadedIn.delete(apiId);
    this.changeEmitter.fire({ type: 'loaded', apiId, result });
    return result;
  }

  /**
   * Validation problems of a loaded spec (empty when valid), with pointers and line/column. Never rejects
   * for the spec's sake: a time-out or crash comes back as a problem. Rejects when cancelled or disposed,
   * or when `apiId` was never loaded.
   */
  async validate(apiId: string, options: RequestOptions = {}): Promise<SpecProblem[]> {
    const origin = this.originOf(apiId);
    let problems: SpecProblem[];
    try {
      problems = await this.callApi<SpecProblem[]>(apiId, { type: 'validate', apiId }, this.timeouts.validateMs, options);
    } catch (e) {
      if (!(e instanceof RequestEnded) || e.reason === 'disposed') throw this.publicError(e, origin);
      problems = [endedProblem(e.reason, origin, 'validating')];
    }
    this.changeEmitter.fire({ type: 'validated', apiId, problems });
    return problems;
  }

  /** An example request body for an operation (id from the index) and media type (default: the first JSON one). */
  example(apiId: string, operationId: string, mediaType?: string, options: RequestOptions = {}): Promise<BodyExample> {
    const request: WorkerRequest = mediaType === undefined ? { type: 'example', apiId, operationId } : { type: 'example', apiId, operationId, mediaType };
    return this.interactive(apiId, request, options);
  }

  /** Example values for an operation's parameters, keyed `in:name`. */
  parameterExamples(apiId: string, operationId: string, options: RequestOptions = {}): Promise<Record<string, unknown>> {
    return this.interactive(apiId, { type: 'parameterExamples', apiId, operationId }, options);
  }

  /** The schema at `pointer` with `$ref`s inlined `depth` levels deep (default 3, at most 12), size-limited. */
  resolveSchema(apiId: string, pointer: string, depth?: number, options: RequestOptions = {}): Promise<ResolvedSchema> {
    const request: WorkerRequest = depth === undefined ? { type: 'resolveSchema', apiId, pointer } : { type: 'resolveSchema', apiId, pointer, depth };
    return this.interactive(apiId, request, options);
  }

  /**
   * Starts the worker and waits until it answers, so the first load does not pay for thread start-up and
   * module loading. Call it when the tree becomes visible (or before measuring).
   */
  async warmUp(options: RequestOptions = {}): Promise<void> {
    try {
      await this.request({ type: 'ping' }, this.timeouts.otherMs, options);
    } catch (e) {
      throw this.publicError(e, 'spec worker');
    }
  }

  /** Forgets a spec here and in the worker. */
  async unload(apiId: string): Promise<void> {
    const known = this.results.delete(apiId);
    const inWorker = this.loadedIn.get(apiId) === this.generation;
    this.loadedIn.delete(apiId);
    if (inWorker && this.worker) {
      await this.request({ type: 'unload', apiId }, this.timeouts.otherMs, {}).catch(() => undefined);
    }
    if (known) this.changeEmitter.fire({ type: 'unloaded', apiId });
  }

  /** The last load result of an API (ok or failed). */
  get(apiId: string): LoadResult | undefined {
    return this.results.get(apiId);
  }

  /** The indexes of all successfully loaded APIs, in load order. */
  apis(): ApiIndex[] {
    const out: ApiIndex[] = [];
    for (const r of this.results.values()) if (r.ok) out.push(r.api);
    return out;
  }

  /** Every load result, failed ones included (the tree shows those as error nodes). */
  allResults(): LoadResult[] {
    return [...this.results.values()];
  }

  // ---------------------------------------------------------------------------------- internals

  private originOf(apiId: string): string {
    const r = this.results.get(apiId);
    if (!r) return apiId;
    return r.ok ? r.api.origin : r.origin;
  }

  private sourceOf(apiId: string): SpecSource | undefined {
    const r = this.results.get(apiId);
    return r ? (r.ok ? r.api.source : r.source) : undefined;
  }

  private async loadInWorker(source: SpecSource, options: LoadOptions): Promise<LoadResult> {
    try {
      return await this.request<LoadResult>({ type: 'load', source }, this.timeouts.loadMs, options);
    } catch (e) {
      if (!(e instanceof RequestEnded) || e.reason === 'disposed') throw this.publicError(e, originOf(source));
      return { ok: false, origin: originOf(source), source, problems: [endedProblem(e.reason, originOf(source), 'loading')] };
    }
  }

  private async interactive<T>(apiId: string, request: WorkerRequest, options: RequestOptions): Promise<T> {
    try {
      return await this.callApi<T>(apiId, request, this.timeouts.otherMs, options);
    } catch (e) {
      throw this.publicError(e, this.originOf(apiId));
    }
  }

  /** A request about a loaded API; reloads it into a fresh worker first when needed. */
  private async callApi<T>(apiId: string, request: WorkerRequest, timeoutMs: number, options: RequestOptions): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.ensureLoaded(apiId, options);
      try {
        return await this.request<T>(request, timeoutMs, options);
      } catch (e) {
        // The worker was replaced between our check and the request: load again once.
        if (e instanceof NotLoaded && attempt === 0) {
          this.loadedIn.delete(apiId);
          continue;
        }
        throw e;
      }
    }
  }

  private async ensureLoaded(apiId: string, options: RequestOptions): Promise<void> {
    if (this.loadedIn.get(apiId) === this.generation) return;
    const source = this.sourceOf(apiId);
    const last = this.results.get(apiId);
    if (!source || !last?.ok) {
      throw new TelenorError('spec', last ? `${this.originOf(apiId)} did not load, so it has no operations to use.` : `No spec with id ${apiId} is loaded.`, {
        hint: last ? 'Fix the problems shown for the spec; it reloads when the file changes.' : 'Load the spec first.',
      });
    }
    let running = this.reloading.get(apiId);
    if (!running) {
      running = this.load(source, options).then(
        (result) => {
          if (!result.ok) throw new TelenorError('spec', `${result.origin} no longer loads.`, { hint: result.problems[0]?.hint ?? 'Fix the spec and try again.' });
        },
      );
      const cleanup = (): void => {
        this.reloading.delete(apiId);
      };
      running.then(cleanup, cleanup);
      this.reloading.set(apiId, running);
    }
    await running;
  }

  private publicError(e: unknown, origin: string): unknown {
    if (isTelenorError(e)) return e;
    if (e instanceof RequestEnded) {
      if (e.reason === 'timeout') return new TelenorError('timeout', `${origin}: the spec worker did not answer in time.`, { hint: 'Try again; very large specs take longer.' });
      if (e.reason === 'disposed') return new TelenorError('cancelled', 'The spec catalog was closed.');
      return new TelenorError('spec', `${origin}: the spec worker stopped (${e.reason}) while handling this spec.`, {
        hint: 'The spec may be too large or too deeply nested; try a smaller copy.',
      });
    }
    if (e instanceof NotLoaded) return new TelenorError('spec', `${origin} is not loaded.`, { hint: 'Refresh the tree.' });
    return new TelenorError('internal', `${origin}: ${e instanceof Error ? e.message : String(e)}`, { hint: 'This is a bug; please report it.', cause: e });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    if (!existsSync(this.options.workerPath)) {
      throw new TelenorError('internal', `The spec worker (${this.options.workerPath}) is missing.`, {
        hint: 'Reinstall the extension (or run `node esbuild.mjs` in a development checkout).',
      });
    }
    const create =
      this.options.createWorker ?? ((path, opts) => new Worker(path, { workerData: opts.workerData, resourceLimits: opts.resourceLimits }));
    const workerData: SpecWorkerData = this.service ? { options: this.service } : {};
    const worker = create(this.options.workerPath, { workerData, resourceLimits: { ...DEFAULT_LIMITS, ...this.options.resourceLimits } });
    this.worker = worker;
    this.generation++;
    let outOfMemory = false;
    worker.on('message', (m: FromWorker) => this.onMessage(worker, m));
    worker.on('error', (e: unknown) => {
      if ((e as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') outOfMemory = true;
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.onWorkerLost(outOfMemory ? 'out-of-memory' : 'crash');
    });
    return worker;
  }

  private onMessage(worker: Worker, m: FromWorker): void {
    if (worker !== this.worker) return;
    this.lastHeardAt = performance.now();
    const p = this.pending.get(m.id);
    if (!p) {
      this.pump();
      return;
    }
    // Each message is its own task on this thread, so parsing piece by piece never blocks it for long.
    if (m.kind === 'summary') {
      try {
        p.onSummary?.(JSON.parse(m.json) as ApiSummary);
      } catch {
        // A listener's failure must not break the load.
      }
      return;
    }
    if (m.kind === 'chunk') {
      for (const op of JSON.parse(m.json) as OperationInfo[]) p.operations.push(op);
      return;
    }
    this.finish(p);
    if (m.ok) {
      const value = JSON.parse(m.json) as unknown;
      if (p.message.request.type === 'load' && isOkLoad(value)) {
        for (const op of p.operations) value.api.operations[op.id] = op;
      }
      p.resolve(value);
    } else if (m.error.notLoaded) p.reject(new NotLoaded(m.error.message));
    else p.reject(revive(m.error));
    this.pump();
  }

  private finish(p: Pending): void {
    this.pending.delete(p.id);
    p.cleanup();
    if (this.retireWhenIdle && this.pending.size === 0) this.retireWorker();
    this.updateRef();
  }

  /** Stops the worker on purpose (not a crash: nothing is replayed, nothing is reported). */
  private retireWorker(): void {
    this.retireWhenIdle = false;
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.generation++;
    void worker.terminate().catch(() => undefined);
  }

  /** Keeps the process alive only while there is work in flight. */
  private updateRef(): void {
    if (!this.worker) return;
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private inFlight(): number {
    let n = 0;
    for (const p of this.pending.values()) if (p.sent) n++;
    return n;
  }

  /** Posts waiting requests: all of them normally, one at a time while replaying after a crash. */
  private pump(): void {
    if (this.isDisposed) return;
    while (this.outbox.length > 0 && (!this.serial || this.inFlight() === 0)) {
      const p = this.outbox.shift() as Pending;
      if (!this.pending.has(p.id)) continue;
      let worker: Worker;
      try {
        worker = this.ensureWorker();
      } catch (e) {
        this.finish(p);
        p.reject(e);
        continue;
      }
      p.sent = true;
      worker.postMessage(p.message);
      if (this.serial) break;
    }
    if (this.serial && this.outbox.length === 0 && this.inFlight() === 0) this.serial = false;
    this.updateRef();
  }

  private request<T>(request: WorkerRequest, timeoutMs: number, options: LoadOptions): Promise<T> {
    if (this.isDisposed) return Promise.reject(new RequestEnded('disposed'));
    if (options.signal?.aborted) return Promise.reject(cancelledError());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const limit = options.timeoutMs ?? timeoutMs;
      const abandon = (error: unknown): void => {
        if (!this.pending.has(id)) return;
        const wasSent = p.sent;
        this.finish(p);
        reject(error);
        if (wasSent && this.worker) {
          this.worker.postMessage({ kind: 'cancel', id } satisfies ToWorker);
          this.watchForStall();
        }
        this.pump();
      };
      const timer = setTimeout(() => abandon(new RequestEnded('timeout')), limit);
      const onAbort = (): void => abandon(cancelledError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const p: Pending = {
        id,
        message: { kind: 'request', id, request },
        operations: [],
        sent: false,
        crashes: 0,
        resolve: (value) => resolve(value as T),
        reject,
        cleanup: () => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        },
      };
      if (options.onSummary) p.onSummary = options.onSummary;
      this.pending.set(id, p);
      this.outbox.push(p);
      this.pump();
    });
  }

  /** After a cancel: a worker that stays silent for the grace period is stuck in synchronous work. */
  private watchForStall(): void {
    const worker = this.worker;
    if (!worker) return;
    const since = performance.now();
    const timer = setTimeout(() => {
      if (this.worker === worker && this.lastHeardAt < since) this.dropWorker(worker, 'unresponsive');
    }, this.options.stallGraceMs ?? 5000);
    timer.unref();
  }

  private dropWorker(worker: Worker, reason: LostReason): void {
    if (this.worker !== worker) return;
    this.onWorkerLost(reason);
    void worker.terminate().catch(() => undefined);
  }

  /**
   * The worker is gone. After a crash, requests that were in flight alone, or for the second time, are the
   * likely cause and fail; the others go back to the outbox to be replayed one at a time. An unresponsive
   * worker's culprit already timed out, so everything else in flight is replayed.
   */
  private onWorkerLost(reason: LostReason): void {
    this.worker = undefined;
    this.generation++;
    const inflight = [...this.pending.values()].filter((p) => p.sent);
    const replay: Pending[] = [];
    for (const p of inflight) {
      p.sent = false;
      p.operations = [];
      if (reason !== 'unresponsive') p.crashes++;
      if (reason !== 'unresponsive' && (inflight.length === 1 || p.crashes >= 2)) {
        this.finish(p);
        p.reject(new RequestEnded(reason));
      } else {
        replay.push(p);
      }
    }
    this.changeEmitter.fire({ type: 'workerRestarted', reason });
    if (this.isDisposed) return;
    this.outbox.unshift(...replay);
    if (replay.length > 0) this.serial = true;
    this.pump();
  }

  private shutdown(): void {
    for (const p of [...this.pending.values()]) {
      this.finish(p);
      p.reject(new RequestEnded('disposed'));
    }
    this.outbox.length = 0;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate().catch(() => undefined);
  }
}

function isOkLoad(value: unknown): value is Extract<LoadResult, { ok: true }> {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === true;
}

function cancelledError(): TelenorError {
  return new TelenorError('cancelled', 'The spec request was cancelled.');
}

function revive(e: SerializedError): TelenorError {
  return new TelenorError(e.kind, e.message, { hint: e.hint });
}

function endedProblem(reason: EndReason, origin: string, doing: string): SpecProblem {
  if (reason === 'timeout') {
    return {
      severity: 'error',
      code: 'timeout',
      message: `${origin}: ${doing} did not finish within the time limit.`,
      hint: 'Very large specs take long; try again, or use a smaller copy of the spec.',
    };
  }
  return {
    severity: 'error',
    code: 'crash',
    message:
      reason === 'out-of-memory'
        ? `${origin}: the spec worker ran out of memory while ${doing} this spec and was restarted; other specs are not affected.`
        : reason === 'unresponsive'
          ? `${origin}: the spec worker stopped responding while ${doing} this spec and was restarted; other specs are not affected.`
          : `${origin}: the spec worker stopped while ${doing} this spec and was restarted; other specs are not affected.`,
    hint: 'The spec may be too large or hostile (deeply nested, self-referencing); try a smaller or bundled copy.',
  };
}

/** A failed load result as a TelenorError, for callers that prefer to throw. */
export function loadFailureError(result: Extract<LoadResult, { ok: false }>): TelenorError {
  const first = result.problems.find((p) => p.severity === 'error') ?? result.problems[0];
  return new TelenorError('spec', first?.message ?? `${result.origin} could not be loaded.`, { hint: first?.hint ?? 'Fix the spec and try again.' });
}
