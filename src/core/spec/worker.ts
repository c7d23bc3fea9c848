// Worker thread entry (dist/specWorker.js): parses and indexes specs off the extension host's main thread.
// SpecCatalog (catalog.ts) spawns it; the protocol is in protocol.ts and the work itself in service.ts.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { isTelenorError } from '../errors';
import type { FromWorker, SerializedError, SpecWorkerData, ToWorker, WorkerRequest } from './protocol';
import type { OperationInfo } from './types';
import { SpecService } from './service';

function serialize(e: unknown): SerializedError {
  if (isTelenorError(e)) return { kind: e.kind, message: e.message, hint: e.hint };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'internal', message: `The spec worker failed: ${message}`, hint: 'This is a bug; please report it with the spec that caused it.' };
}

function apiIdOf(request: WorkerRequest): string | undefined {
  return request.type === 'load' || request.type === 'ping' ? undefined : request.apiId;
}

/** Roughly how much JSON goes in one chunk of operations (~2–4 ms of JSON.parse on the host). */
const CHUNK_CHARS = 128 * 1024;

/**
 * Streams operations to the host while the indexer is still working, in slices of about CHUNK_CHARS: the
 * host parses one slice while the next is built, and no single parse on its thread takes long. Slices are
 * stringified whole (one string per slice, not one per operation); their size in operations adapts to the
 * average operation seen so far.
 */
class OperationStream {
  private batch: OperationInfo[] = [];
  private perSlice = 32;

  constructor(
    private readonly id: number,
    private readonly post: (m: FromWorker) => void,
  ) {}

  add(op: OperationInfo): void {
    this.batch.push(op);
    if (this.batch.length >= this.perSlice) this.flush();
  }

  flush(): void {
    if (this.batch.length === 0) return;
    const json = JSON.stringify(this.batch);
    this.post({ kind: 'chunk', id: this.id, json });
    const average = json.length / this.batch.length;
    this.perSlice = Math.max(1, Math.floor(CHUNK_CHARS / Math.max(1, average)));
    this.batch = [];
  }
}

async function handle(service: SpecService, id: number, request: WorkerRequest, signal: AbortSignal, post: (m: FromWorker) => void): Promise<void> {
  const reply = (result: unknown): void => post({ kind: 'response', id, ok: true, json: JSON.stringify(result ?? null) });
  switch (request.type) {
    case 'load': {
      const stream = new OperationStream(id, post);
      const result = await service.load(request.source, signal, {
        onSummary: (summary) => post({ kind: 'summary', id, json: JSON.stringify(summary) }),
        onOperation: (op) => stream.add(op),
      });
      stream.flush();
      // The operations already went out in chunks; the host puts them back into `api.operations`.
      return reply(result.ok ? { ...result, api: { ...result.api, operations: {} } } : result);
    }
    case 'validate':
      return reply(await service.validate(request.apiId));
    case 'example':
      return reply(await service.example(request.apiId, request.operationId, request.mediaType));
    case 'parameterExamples':
      return reply(await service.parameterExamples(request.apiId, request.operationId));
    case 'resolveSchema':
      return reply(service.resolveSchema(request.apiId, request.pointer, request.depth));
    case 'unload':
      return reply(service.unload(request.apiId));
    case 'ping':
      service.warmUp();
      return reply(true);
  }
}

/** Answers requests from `port` with `service` until the port closes. */
export function serveSpecWorker(port: MessagePort, service: SpecService): void {
  const running = new Map<number, AbortController>();
  const post = (message: FromWorker): void => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.kind === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const { id, request } = message;
    const apiId = apiIdOf(request);
    if (apiId !== undefined && request.type !== 'unload' && !service.has(apiId)) {
      post({ kind: 'response', id, ok: false, error: { kind: 'spec', message: `The spec ${apiId} is not loaded.`, hint: '', notLoaded: true } });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    handle(service, id, request, controller.signal, post)
      .catch((e: unknown) => post({ kind: 'response', id, ok: false, error: serialize(e) }))
      .finally(() => running.delete(id));
  });
  port.on('close', () => {
    for (const c of running.values()) c.abort();
    void service.dispose();
  });
}

if (parentPort) {
  const data = (workerData ?? {}) as SpecWorkerData;
  serveSpecWorker(parentPort, new SpecService(data.options ?? {}));
}
