/**
 * In-host benchmark (targets 2 and 4 inside a real VS Code): the harness runs it as the extension-tests
 * entry (`runInHost --tests out/bench/host`), VS Code calls `run()` in the extension host, and the figures
 * go to a JSON file that bench/run.ts reads. Set by run.ts (code-server passes its environment on):
 *
 *   TAE_BENCH_HOST_OUT   where to write the figures
 *   TAE_BENCH_HOST_SPEC  the spec to load (GitHub's 13 MB description)
 *   TAE_BENCH_HOST_RUNS  load + validate runs (default 3)
 *
 * Everything goes through the extension's own SpecCatalog, on the extension host's main thread, alongside
 * whatever the workbench asks of the host meanwhile — the situation the "never stalls" target is about.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

import * as vscode from 'vscode';

import type { Services } from '../../src/extension/services';
import { LoopDelay, RESOLUTION_MS, idleDelay, type LoopDelayFigures } from '../lib/eventLoop';
import { MB, MainSampler } from '../lib/memory';
import { interleave, median } from '../lib/stats';

const EXTENSION_ID = 'telenor-devtools.telenor-api-explorer';

export interface HostFigures {
  vscodeVersion: string;
  node: string;
  /** `new Services(context)` as timed by activate(); undefined when the extension does not expose it. */
  activationMs: number | undefined;
  spec: string;
  operations: number;
  parseMs: number[];
  summaryMs: number[];
  indexMs: number[];
  busy: LoopDelayFigures[];
  idle: LoopDelayFigures[];
  validateMs: number[];
  problems: number;
  resolutionMs: number;
  memory: { beforeRssMb: number; peakRssMb: number; peakHeapMb: number; afterRssMb: number; afterHeapMb: number };
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this through bench/run.ts (npm run bench)`);
  return v;
}

export async function run(): Promise<void> {
  const out = env('TAE_BENCH_HOST_OUT');
  const spec = env('TAE_BENCH_HOST_SPEC');
  const runs = Number(process.env['TAE_BENCH_HOST_RUNS'] ?? '3');
  const ext = vscode.extensions.getExtension<Services & { activationMs?: number }>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  const services = await ext.activate();
  const catalog = services.catalog;
  await catalog.warmUp();

  const before = process.memoryUsage();
  const sampler = new MainSampler().start(20);
  let apiId: string | undefined;
  let operations = 0;
  const summaryMs: number[] = [];
  const timings = await interleave(
    {
      rounds: 5,
      warmups: 1,
      between: async () => {
        if (apiId !== undefined) await catalog.unload(apiId);
        apiId = undefined;
      },
    },
    async () => {
      const t0 = performance.now();
      JSON.parse((await readFile(spec)).toString('utf8'));
      return performance.now() - t0;
    },
    async () => {
      const t0 = performance.now();
      let summaryAt = Number.NaN;
      const result = await catalog.load({ kind: 'file', path: spec }, { onSummary: () => (summaryAt = performance.now()) });
      if (!result.ok) throw new Error(`the spec did not load: ${result.problems[0]?.message ?? ''}`);
      apiId = result.api.id;
      operations = Object.keys(result.api.operations).length;
      summaryMs.push(summaryAt - t0);
      return performance.now() - t0;
    },
  );

  const busy: LoopDelayFigures[] = [];
  const idle: LoopDelayFigures[] = [];
  const validateMs: number[] = [];
  let problems = 0;
  for (let i = 0; i < runs; i++) {
    const loop = new LoopDelay().start();
    const t0 = performance.now();
    const result = await catalog.load({ kind: 'file', path: spec });
    if (!result.ok) throw new Error(`the spec did not load: ${result.problems[0]?.message ?? ''}`);
    const v0 = performance.now();
    problems = (await catalog.validate(result.api.id)).length;
    validateMs.push(performance.now() - v0);
    const elapsed = performance.now() - t0;
    busy.push(loop.stop());
    await catalog.unload(result.api.id);
    idle.push(await idleDelay(elapsed));
  }
  const peak = sampler.stop();
  const after = process.memoryUsage();

  const figures: HostFigures = {
    vscodeVersion: vscode.version,
    node: process.version,
    activationMs: services.activationMs,
    spec,
    operations,
    parseMs: timings.baseline,
    // The interleave's warm-up round pushed a summary too; keep the measured rounds only.
    summaryMs: summaryMs.slice(summaryMs.length - timings.candidate.length),
    indexMs: timings.candidate,
    busy,
    idle,
    validateMs,
    problems,
    resolutionMs: RESOLUTION_MS,
    memory: {
      beforeRssMb: before.rss / MB,
      peakRssMb: peak.rssMb,
      peakHeapMb: peak.heapUsedMb,
      afterRssMb: after.rss / MB,
      afterHeapMb: after.heapUsed / MB,
    },
  };
  writeFileSync(out, JSON.stringify(figures, null, 2));
  console.log(`[bench/host] wrote ${out}: index median ${median(timings.candidate).toFixed(0)} ms, loop max ${median(busy.map((b) => b.maxMs)).toFixed(1)} ms`);
}
