/**
 * Memory figures: the process as a whole (RSS, which includes worker threads), the main thread's heap, and
 * the spec worker's heap through workerProbe.ts.
 */
import { MessageChannel, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';

import type { SpecWorkerData } from '../../src/core/spec/protocol';
import type { HeapReport, ProbeData } from './workerProbe';

export const MB = 1024 * 1024;

export interface MainPeak {
  rssMb: number;
  heapUsedMb: number;
  /** Buffers and other memory outside the JS heap (a response body lives here). */
  externalMb: number;
}

/**
 * Samples process.memoryUsage() every `intervalMs` on the main thread. Work on this thread delays the
 * samples, so for the process-wide peak also read `peakRssMb()` (the kernel's high-water mark).
 */
export class MainSampler {
  private timer: NodeJS.Timeout | undefined;
  readonly peak: MainPeak = { rssMb: 0, heapUsedMb: 0, externalMb: 0 };

  start(intervalMs = 10): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  stop(): MainPeak {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return { ...this.peak };
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.peak.rssMb = Math.max(this.peak.rssMb, m.rss / MB);
    this.peak.heapUsedMb = Math.max(this.peak.heapUsedMb, m.heapUsed / MB);
    this.peak.externalMb = Math.max(this.peak.externalMb, m.external / MB);
  }
}

/** The process's peak resident set size so far (MB), as the kernel counts it. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function heapUsedMb(): number {
  return process.memoryUsage().heapUsed / MB;
}

/** Follows the spec worker's heap. Pass `createWorker` to SpecCatalog. */
export class WorkerHeapProbe {
  private last: HeapReport | undefined;
  private peakUsed = 0;
  private waiters: Array<(r: HeapReport) => void> = [];
  private port: MessagePort | undefined;

  /** `probeScript`: out/bench/lib/workerProbe.js (bundles do not share a folder, so it is passed in). */
  constructor(private readonly probeScript: string) {}

  readonly createWorker = (path: string, options: { workerData: SpecWorkerData; resourceLimits: ResourceLimits }): Worker => {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (r: HeapReport) => {
      this.last = r;
      this.peakUsed = Math.max(this.peakUsed, r.usedBytes);
      for (const w of this.waiters.splice(0)) w(r);
    });
    port1.unref();
    this.port?.close();
    this.port = port1;
    const probe: ProbeData = { probePort: port2, realWorker: path };
    return new Worker(this.probeScript, { workerData: { ...options.workerData, ...probe }, transferList: [port2], resourceLimits: options.resourceLimits });
  };

  /** The worker's heap now (asks it, so the answer comes after whatever it was doing). */
  current(): Promise<HeapReport | undefined> {
    if (!this.port) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.last), 2000);
      this.waiters.push((r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.port?.postMessage('report');
    });
  }

  /** Highest heap use reported since the last reset (MB). */
  peakUsedMb(): number {
    return this.peakUsed / MB;
  }

  resetPeak(): void {
    this.peakUsed = this.last?.usedBytes ?? 0;
  }

  dispose(): void {
    this.port?.close();
    this.port = undefined;
  }
}
