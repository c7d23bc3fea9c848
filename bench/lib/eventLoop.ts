/**
 * Event-loop delay of the current thread, as `perf_hooks.monitorEventLoopDelay` sees it: a timer every
 * `resolution` ms whose lateness is recorded. The maximum is the longest the thread was unable to run a
 * callback — for the extension host, how long a keystroke or a tree click would have waited.
 *
 * A long delay has two possible causes: the thread was busy (our code, or anything else on that thread), or
 * it was runnable but the OS gave the core to someone else (a loaded machine). On Linux the thread's own CPU
 * time tells them apart, so each long gap is recorded with the CPU the thread used during it.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

/** 5 ms: finer than the 10 ms the target asks for, coarse enough not to load a busy machine. */
export const RESOLUTION_MS = 5;

/** Gaps longer than this are recorded one by one. */
const GAP_MS = 20;

export interface Gap {
  /** Wall time between two ticks that should have been RESOLUTION_MS apart. */
  gapMs: number;
  /** CPU time this thread used meanwhile (Linux only; 10 ms granularity). */
  cpuMs?: number;
}

export interface LoopDelayFigures {
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  /** The longest gaps, longest first (at most 5). */
  gaps: Gap[];
}

/**
 * CPU time (ms) used so far by the main thread, from /proc (its thread id is the process id); undefined
 * where there is no /proc. Call it on the main thread only: that is the thread whose time it reads.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3 (state); utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux Node supports.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

export class LoopDelay {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private timer: NodeJS.Timeout | undefined;
  private readonly gaps: Gap[] = [];

  start(): this {
    this.histogram.reset();
    this.histogram.enable();
    let last = performance.now();
    let lastCpu = mainThreadCpuMs();
    const tick = (): void => {
      const now = performance.now();
      const cpu = mainThreadCpuMs();
      const gapMs = now - last;
      if (gapMs > GAP_MS) {
        this.gaps.push(cpu === undefined || lastCpu === undefined ? { gapMs } : { gapMs, cpuMs: cpu - lastCpu });
        this.gaps.sort((a, b) => b.gapMs - a.gapMs);
        this.gaps.length = Math.min(this.gaps.length, 5);
      }
      last = now;
      lastCpu = cpu;
      this.timer = setTimeout(tick, RESOLUTION_MS);
    };
    this.timer = setTimeout(tick, RESOLUTION_MS);
    return this;
  }

  stop(): LoopDelayFigures {
    this.histogram.disable();
    if (this.timer) clearTimeout(this.timer);
    const ms = (ns: number): number => (Number.isFinite(ns) ? ns / 1e6 : 0);
    return { maxMs: ms(this.histogram.max), p99Ms: ms(this.histogram.percentile(99)), meanMs: ms(this.histogram.mean), gaps: [...this.gaps] };
  }
}

/** The delay of an idle period of `ms`: the noise floor of this machine at this moment. */
export async function idleDelay(ms: number): Promise<LoopDelayFigures> {
  const d = new LoopDelay().start();
  await new Promise((r) => setTimeout(r, ms));
  return d.stop();
}

/** "138 ms gap, 10 ms of it on this thread's CPU" for the longest gap of a run, or '' without one. */
export function describeLongestGap(runs: readonly LoopDelayFigures[]): string {
  const all = runs.flatMap((r) => r.gaps).sort((a, b) => b.gapMs - a.gapMs);
  const g = all[0];
  if (!g) return '';
  return g.cpuMs === undefined ? `longest gap ${g.gapMs.toFixed(0)} ms` : `longest gap ${g.gapMs.toFixed(0)} ms, ${g.cpuMs.toFixed(0)} ms of it on the thread's CPU`;
}
