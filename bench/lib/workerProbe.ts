/**
 * Worker entry used by the benchmarks in place of dist/specWorker.js: it runs the real spec worker in this
 * same thread and reports this thread's V8 heap on a port of its own. Node 20 has no
 * `Worker.getHeapStatistics()`, and the worker's heap is where a big spec lives, so this is how the bench
 * sees it without touching the engine. Reports are sent every 20 ms while the thread is free and on
 * request; synchronous work (a 73 MB JSON.parse) delays them, so the peak seen is a lower bound.
 */
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { workerData, type MessagePort } from 'node:worker_threads';

export interface ProbeData {
  probePort: MessagePort;
  /** Absolute path of the real worker bundle. */
  realWorker: string;
}

export interface HeapReport {
  usedBytes: number;
  totalBytes: number;
}

const data = workerData as Partial<ProbeData> | undefined;
if (data?.probePort && data.realWorker) {
  const port = data.probePort;
  const report = (): void => {
    const h = getHeapStatistics();
    port.postMessage({ usedBytes: h.used_heap_size, totalBytes: h.total_heap_size } satisfies HeapReport);
  };
  setInterval(report, 20).unref();
  port.on('message', report);
  // The port must not keep the thread alive on its own: the catalog decides when the worker ends.
  port.unref();
  createRequire(__filename)(data.realWorker);
}
