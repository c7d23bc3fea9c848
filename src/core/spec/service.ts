/**
 * What the spec worker does, as a plain class: holds the loaded documents by API id and answers load,
 * validate, example and schema requests. The worker entry (worker.ts) only wires it to `parentPort`, so
 * tests and tools can also use it in-process.
 */
import type { Dispatcher } from 'undici';
import { TelenorError } from '../errors';
import type { TransportOptions } from '../http/transport';
import { bodyExample, parameterExamples, type ExampleOptions } from './examples';
import { apiIdForSource, originOf } from './ids';
import { buildIndex, type IndexHooks } from './indexer';
import { loadSpecDocument, type SpecLoadOptions } from './load';
import type { SpecFormat } from './parse';
import type { JsonObject } from './pointer';
import { finishProblems } from './problems';
import { resolveSchemaForDisplay } from './schema';
import type { BodyExample, LoadResult, ResolvedSchema, SpecProblem, SpecSource, SpecVersion } from './types';
import { validateDocument } from './validate';
import { warmUpEngine } from './warmup';

/** The network settings a worker can receive (plain data: functions cannot cross the thread boundary). */
export type SpecTransportSettings = Pick<TransportOptions, 'proxy' | 'noProxy' | 'strictSSL' | 'extraCaCertsPath' | 'connectTimeoutMs' | 'env'>;

export interface SpecServiceOptions {
  load?: Omit<SpecLoadOptions, 'dispatcher' | 'getDispatcher'>;
  /** Proxy / CA settings for downloading specs; a plain Agent without them. */
  transport?: SpecTransportSettings;
  examples?: ExampleOptions;
}

interface LoadedSpec {
  source: SpecSource;
  origin: string;
  doc: JsonObject;
  text: string;
  format: SpecFormat;
  specVersion: SpecVersion;
  validation?: Promise<SpecProblem[]>;
}

export class SpecService {
  private readonly specs = new Map<string, LoadedSpec>();
  private warmedUp = false;
  private dispatcher: Promise<Dispatcher> | undefined;

  constructor(private readonly options: SpecServiceOptions = {}) {}

  /** Compiles the hot load path once (see warmup.ts); later calls do nothing. */
  warmUp(): void {
    if (this.warmedUp) return;
    this.warmedUp = true;
    warmUpEngine();
  }

  has(apiId: string): boolean {
    return this.specs.has(apiId);
  }

  /**
   * Made on first download: undici (and TLS contexts) cost ~70 ms to load, which file-only work never pays.
   * Always through createDispatcher, so that without settings the environment's proxy variables and
   * NODE_EXTRA_CA_CERTS still apply to spec downloads, as they do to token requests and API calls.
   */
  private network(): Promise<Dispatcher> {
    const transport = this.options.transport ?? {};
    this.dispatcher ??= import('../http/transport').then((m) => m.createDispatcher(transport));
    return this.dispatcher;
  }

  private notLoaded(apiId: string): TelenorError {
    return new TelenorError('spec', `The spec ${apiId} is not loaded.`, { hint: 'Load the spec (refresh the tree) and try again.' });
  }

  private get(apiId: string): LoadedSpec {
    const spec = this.specs.get(apiId);
    if (!spec) throw this.notLoaded(apiId);
    return spec;
  }

  /** Reads, parses, bundles and indexes a spec; keeps the document for later requests. Never throws for spec problems. */
  async load(source: SpecSource, signal?: AbortSignal, hooks: IndexHooks = {}): Promise<LoadResult> {
    const id = apiIdForSource(source);
    const origin = originOf(source);
    const loadOptions: SpecLoadOptions = { ...this.options.load, getDispatcher: () => this.network() };
    const outcome = await loadSpecDocument(source, loadOptions, signal);
    if (!outcome.ok) return { ok: false, origin, source, problems: outcome.problems };
    const ctx = { id, source, origin, specVersion: outcome.specVersion, ...(outcome.base && /^https?:/i.test(outcome.base) ? { baseUrl: outcome.base } : {}) };
    const { api, problems } = buildIndex(outcome.doc, ctx, hooks);
    const all = finishProblems([...outcome.problems, ...problems], { origin, text: outcome.text, format: outcome.format });
    if (signal?.aborted) throw new TelenorError('cancelled', `Loading ${origin} was cancelled.`);
    this.specs.set(id, { source, origin, doc: outcome.doc, text: outcome.text, format: outcome.format, specVersion: outcome.specVersion });
    return { ok: true, api, problems: all };
  }

  /** swagger-parser validation of a loaded spec, computed once per load. */
  validate(apiId: string): Promise<SpecProblem[]> {
    const spec = this.specs.get(apiId);
    if (!spec) return Promise.reject(this.notLoaded(apiId));
    spec.validation ??= validateDocument(spec.doc, { origin: spec.origin, text: spec.text, format: spec.format });
    return spec.validation;
  }

  async example(apiId: string, operationId: string, mediaType?: string): Promise<BodyExample> {
    const spec = this.get(apiId);
    return bodyExample(spec.doc, spec.specVersion, operationId, mediaType, this.options.examples);
  }

  async parameterExamples(apiId: string, operationId: string): Promise<Record<string, unknown>> {
    const spec = this.get(apiId);
    return parameterExamples(spec.doc, spec.specVersion, operationId);
  }

  resolveSchema(apiId: string, pointer: string, depth?: number): ResolvedSchema {
    const spec = this.get(apiId);
    const resolved = resolveSchemaForDisplay(spec.doc, pointer, depth);
    if (!resolved) {
      throw new TelenorError('spec', `${spec.origin} has nothing at ${pointer}.`, { hint: 'The spec changed since the tree was drawn: refresh it.' });
    }
    return resolved;
  }

  unload(apiId: string): boolean {
    return this.specs.delete(apiId);
  }

  async dispose(): Promise<void> {
    this.specs.clear();
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d) await d.then((x) => x.close()).catch(() => undefined);
  }
}
