/**
 * Messages between SpecCatalog (host) and the spec worker. Plain data only; imported by both sides, so it
 * must stay free of runtime dependencies (the host bundle loads it at activation).
 */
import type { ErrorKind } from '../errors';
import type { SpecServiceOptions } from './service';
import type { SpecSource } from './types';

export type WorkerRequest =
  | { type: 'load'; source: SpecSource }
  | { type: 'validate'; apiId: string }
  | { type: 'example'; apiId: string; operationId: string; mediaType?: string }
  | { type: 'parameterExamples'; apiId: string; operationId: string }
  | { type: 'resolveSchema'; apiId: string; pointer: string; depth?: number }
  | { type: 'unload'; apiId: string }
  /** Starts the worker ahead of the first load; the first ping also warms up the indexer (warmup.ts). */
  | { type: 'ping' };

export type ToWorker = { kind: 'request'; id: number; request: WorkerRequest } | { kind: 'cancel'; id: number };

export interface SerializedError {
  kind: ErrorKind;
  message: string;
  hint: string;
  /** The request named an API this worker does not hold (it restarted since): load it again, then retry. */
  notLoaded?: boolean;
}

/*
 * Results travel as JSON strings rather than structured clones. Measured with GitHub's spec (1,223
 * operations, 2.1 MB of index JSON): a structured clone costs ~14 ms end to end, a string + JSON.parse
 * ~16 ms — a draw — but strings can be cut into slices, so the host parses the index in many short tasks
 * instead of one long one (the host's event loop must never stall).
 */
export type FromWorker =
  /** Load only, before the result: the summary (tags, no operations) so the tree's first level can render. */
  | { kind: 'summary'; id: number; json: string }
  /**
   * Load only, before the result: a slice of the operations (a JSON array of OperationInfo), ~128 KB each,
   * sent while the indexer is still working.
   */
  | { kind: 'chunk'; id: number; json: string }
  /** The result, as JSON. For a load its `api.operations` is empty: the operations came in the chunks. */
  | { kind: 'response'; id: number; ok: true; json: string }
  | { kind: 'response'; id: number; ok: false; error: SerializedError };

/** `workerData` of the spec worker. */
export interface SpecWorkerData {
  options?: SpecServiceOptions;
}
