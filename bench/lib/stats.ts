/**
 * Timing helpers shared by the suites. The machine is shared (2 cores, other people's test runs), so a
 * single timing means little: every comparison runs baseline and candidate interleaved, alternating which
 * goes first, discards warm-up rounds, and reports medians. Load that arrives mid-run then hits both sides
 * roughly equally instead of whichever happened to run second.
 */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Asks V8 for a full collection when the process runs with --expose-gc (the suites' child processes do). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

export interface InterleaveOptions {
  /** Rounds measured (each runs baseline and candidate once). */
  rounds: number;
  /** Rounds run first and thrown away: JIT, caches, the worker's first spec. */
  warmups: number;
  /** Between samples: e.g. unload a spec so the next load starts from the same state. */
  between?: () => Promise<void> | void;
}

export interface Paired<B, C> {
  baseline: B[];
  candidate: C[];
}

/**
 * Runs `baseline` and `candidate` alternately (A B, B A, A B …) with a GC before each sample. The callbacks
 * return what they measured, so one sample may carry several figures (a load's summary and index times).
 */
export async function interleave<B, C>(options: InterleaveOptions, baseline: () => Promise<B>, candidate: () => Promise<C>): Promise<Paired<B, C>> {
  const out: Paired<B, C> = { baseline: [], candidate: [] };
  for (let round = 0; round < options.warmups + options.rounds; round++) {
    const keep = round >= options.warmups;
    const sides: Array<() => Promise<void>> = [
      async () => {
        collectGarbage();
        const b = await baseline();
        if (keep) out.baseline.push(b);
        await options.between?.();
      },
      async () => {
        collectGarbage();
        const c = await candidate();
        if (keep) out.candidate.push(c);
        await options.between?.();
      },
    ];
    if (round % 2 === 1) sides.reverse();
    for (const side of sides) await side();
  }
  return out;
}

/** Milliseconds `fn` takes. */
export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Mean time per call (ms) of `iterations` sequential calls. For sub-microsecond work the per-call figure is
 * only meaningful as an average over many calls; the median is then taken across batches.
 */
export async function perCall(iterations: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - t0) / iterations;
}
