// Reliability suite 1 — bad specs (issue 5, item 3). Real specs (the sandbox's and the fixtures) are
// mutated (test/reliability/specMutations.ts) and every case is loaded twice: through the real SpecCatalog
// worker (dist/specWorker.js: build first) and in-process through SpecService (parse → bundle → index),
// whose result is serialized as the worker would. The property: the host never crashes, no load hangs
// (each settles within the catalog's time limits), and each result is an index or `ok: false` with at
// least one problem, every problem naming the source and carrying a place (line, pointer) or a code.
//
// CI runs 500 cases; `npm run test:fuzz` runs 10,000 (TAE_FUZZ_RUNS picks the count, TAE_FUZZ_SEED and
// TAE_FUZZ_PATH replay a failure; the failing case's bytes are also written to test-results/reliability/).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { SpecCatalog, type SpecCatalogChange } from '../../src/core/spec/catalog';
import { SpecService } from '../../src/core/spec/service';
import { aliasExpansion, MAX_ALIAS_EXPANSION, parseText } from '../../src/core/spec/parse';
import { previewJson } from '../../src/core/spec/pointer';
import type { LoadResult } from '../../src/core/spec/types';
import { repoRoot } from '../fixtures/specs/helpers';
import { fuzzCase, loadSeeds, type FuzzCase } from '../reliability/specMutations';
import { violations } from '../reliability/checks';
import { recordFigures } from '../reliability/figures';

const RUNS = Number(process.env['TAE_FUZZ_RUNS'] ?? '500');
const SEED = process.env['TAE_FUZZ_SEED'] === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env['TAE_FUZZ_SEED']);
const PATH = process.env['TAE_FUZZ_PATH'];
/** Go on after a failing case and list every failure at the end (for long runs), instead of stopping at the first. */
const KEEP_GOING = process.env['TAE_FUZZ_KEEP_GOING'] === '1';
/** Short limits, so a hang shows as a failed case in seconds rather than as a stuck CI job. */
const TIMEOUTS = { loadMs: 15_000, otherMs: 5_000, validateMs: 15_000 };
const STALL_GRACE_MS = 2_000;
/** Settling later than the time limit plus this is a hang the catalog failed to stop. */
const MARGIN_MS = 3_000;
/** An in-process load has no time limit of its own; anything this slow would freeze the extension host. */
const IN_PROCESS_LIMIT_MS = 10_000;

describe('reliability: bad specs fuzz (worker and in-process)', function () {
  // Mocha's limit is a backstop only; each case asserts its own settle time.
  this.timeout(Math.max(120_000, RUNS * 2_000));
  const workerPath = join(repoRoot, 'dist', 'specWorker.js');
  const seeds = loadSeeds(repoRoot);
  const restarts: Array<SpecCatalogChange & { type: 'workerRestarted' }> = [];
  let dir: string;
  let catalog: SpecCatalog;
  let service: SpecService;
  const figures = { tried: 0, passed: 0, indexed: 0, failedLoads: 0, workerRestarts: 0, codes: {} as Record<string, number>, slowestMs: 0 };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tae-fuzz-'));
    catalog = new SpecCatalog({ workerPath, timeouts: TIMEOUTS, stallGraceMs: STALL_GRACE_MS });
    catalog.onDidChange((c) => {
      if (c.type === 'workerRestarted') restarts.push(c);
    });
    service = new SpecService();
  });
  after(async () => {
    catalog.dispose();
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
    figures.workerRestarts = restarts.length;
    recordFigures('fuzz', { runs: RUNS, seed: SEED, ...figures });
  });

  async function check(c: FuzzCase, n: number): Promise<void> {
    const fileName = `${n}-${c.fileName}`;
    const path = join(dir, fileName);
    writeFileSync(path, c.bytes);
    const verbose = process.env['TAE_FUZZ_VERBOSE'] === '1';
    if (verbose) console.log(`      case ${n}: ${c.label} (${c.bytes.length} bytes)`);
    const started = performance.now();
    try {
      // In-process: what the worker runs, on this thread, plus the serialization it does before posting.
      const t0 = performance.now();
      const local = await service.load({ kind: 'file', path });
      const json = JSON.stringify(local);
      const localMs = performance.now() - t0;
      assert.ok(localMs < IN_PROCESS_LIMIT_MS, `in-process load took ${Math.round(localMs)} ms`);
      assert.ok(json.length < 64 * 1024 * 1024 + c.bytes.length * 4, `the index is ${json.length} chars for ${c.bytes.length} bytes of spec`);
      assert.deepEqual(violations(local, fileName), [], 'in-process');
      service.unload(`file:${path}`);

      // Through the worker, as the extension does.
      const t1 = performance.now();
      const viaWorker = await catalog.load({ kind: 'file', path });
      const workerMs = performance.now() - t1;
      figures.slowestMs = Math.max(figures.slowestMs, Math.round(workerMs));
      assert.ok(workerMs < TIMEOUTS.loadMs + STALL_GRACE_MS + MARGIN_MS, `the worker load settled after ${Math.round(workerMs)} ms`);
      assert.deepEqual(violations(viaWorker, fileName), [], 'worker');
      assert.equal(viaWorker.ok, local.ok, 'worker and in-process agree on whether the spec loads');
      if (viaWorker.ok) figures.indexed++;
      else {
        figures.failedLoads++;
        const code = viaWorker.problems[0]?.code ?? 'none';
        figures.codes[code] = (figures.codes[code] ?? 0) + 1;
      }
      await catalog.unload(`file:${path}`);
      if (verbose) {
        const first = viaWorker.ok ? 'indexed' : `${viaWorker.problems[0]?.code}: ${viaWorker.problems[0]?.message.slice(0, 160)}`;
        console.log(`        ${Math.round(performance.now() - started)} ms (worker ${Math.round(workerMs)} ms) → ${first}`);
      }
    } catch (e) {
      // Keep the case for replay: its bytes, and how to run it again.
      const keep = join(repoRoot, 'test-results', 'reliability');
      mkdirSync(keep, { recursive: true });
      writeFileSync(join(keep, `fuzz-failure-${SEED}-${fileName}`), c.bytes);
      throw new Error(`${c.label}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      rmSync(path, { force: true });
    }
  }

  it(`${RUNS} mutated specs: never a crash or a hang; an index or located problems (seed ${SEED})`, async () => {
    assert.ok(seeds.length >= 10, `only ${seeds.length} seed specs found`);
    let n = 0;
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(fuzzCase(seeds), async (c) => {
        figures.tried++;
        try {
          await check(c, n++);
        } catch (e) {
          if (!KEEP_GOING) throw e;
          failures.push(`case ${n - 1}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 600));
          console.log(`      FAILED ${failures[failures.length - 1]}`);
          return;
        }
        figures.passed++;
      }),
      {
        numRuns: RUNS,
        seed: SEED,
        ...(PATH === undefined ? {} : { path: PATH }),
        // Shrinking a 10,000-level case is slow; the seed and path replay it exactly (TAE_FUZZ_SHRINK=1 to shrink).
        endOnFailure: process.env['TAE_FUZZ_SHRINK'] !== '1',
      },
    );
    assert.deepEqual(failures, []);
    assert.equal(figures.passed, RUNS);
  });
});

/** Nine aliases of nine aliases…, `levels` deep: 9^levels values once written out. */
function aliasBomb(levels: number): string {
  let s = 'x-bomb:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i <= levels; i++) s += `  l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]\n`;
  return s;
}

// The cases the fuzz found, pinned so they stay fixed whatever seed CI draws.
describe('reliability: bad specs the fuzz found', () => {
  const service = new SpecService();
  after(() => service.dispose());
  const load = (text: string, origin: string): Promise<LoadResult> => service.load({ kind: 'text', text, origin });
  const timed = async (text: string, origin: string): Promise<{ result: LoadResult; ms: number; json: number }> => {
    const t0 = performance.now();
    const result = await load(text, origin);
    const json = JSON.stringify(result).length;
    return { result, ms: performance.now() - t0, json };
  };

  it('an alias bomb as the version is refused at once, not written out to quote it', async () => {
    const { result, ms } = await timed(`${aliasBomb(9)}openapi: *l9\ninfo: {title: T, version: "1"}\npaths: {}\n`, 'bomb-version.yaml');
    assert.equal(result.ok, false);
    assert.ok(ms < 2_000, `${Math.round(ms)} ms`);
    assert.deepEqual(violations(result, 'bomb-version.yaml'), []);
    assert.match(result.problems[0]?.message ?? '', /alias/);
  });

  it('an alias bomb in a parameter example, an enum or a $ref never reaches the index or the bundler', async () => {
    for (const [where, yaml] of [
      ['param-example', 'paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, example: *l9, schema: {type: string}}\n      responses: {"200": {description: ok}}\n'],
      ['enum', 'paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string, enum: *l9}}\n      responses: {"200": {description: ok}}\n'],
      ['ref', 'paths:\n  /a:\n    get:\n      responses: {"200": {$ref: *l9}}\n'],
    ] as const) {
      const origin = `bomb-${where}.yaml`;
      const { result, ms, json } = await timed(`openapi: 3.0.3\ninfo: {title: T, version: "1"}\n${aliasBomb(8)}${yaml}`, origin);
      assert.ok(ms < 2_000, `${where}: ${Math.round(ms)} ms`);
      assert.ok(json < 100_000, `${where}: the result is ${json} chars`);
      assert.deepEqual(violations(result, origin), [], where);
    }
  });

  it('a few aliases for shared snippets still load (and small values are still copied into the index)', async () => {
    const text = 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\nx-shared: &ids [a, b, c]\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string, enum: *ids, default: a}}\n      responses: {"200": {description: ok}}\n';
    const { result } = await timed(text, 'aliases.yaml');
    assert.ok(result.ok, JSON.stringify(result.problems));
    const op = Object.values(result.api.operations)[0];
    assert.deepEqual(op?.parameters[0]?.enum, ['a', 'b', 'c']);
    assert.equal(op?.parameters[0]?.default, 'a');
  });

  it('aliasExpansion: zero without aliases, the added values with them, one pass for a bomb', () => {
    assert.equal(aliasExpansion({ a: [1, 2, { b: 3 }], c: 'x' }), 0);
    const shared = parseText('a: &a {x: 1, y: [1, 2]}\nb: *a\nc: *a\n', 'a.yaml');
    assert.ok(shared.ok);
    assert.equal(aliasExpansion(shared.value), 10);
    const t0 = performance.now();
    const five = parseText(aliasBomb(5), 'b.yaml');
    assert.ok(five.ok, '9^5 values are below the limit');
    assert.ok(aliasExpansion(five.value) > 500_000);
    const bomb = parseText(aliasBomb(12), 'b.yaml');
    assert.equal(bomb.ok, false);
    assert.ok(performance.now() - t0 < 1_000);
    assert.ok(MAX_ALIAS_EXPANSION >= 1_000_000);
  });

  it('previewJson shows at most the asked characters, whatever the value', () => {
    assert.equal(previewJson({ a: [1, 'two', null, true] }, 100), '{"a":[1,"two",null,true]}');
    assert.equal(previewJson('x'.repeat(10_000_000), 10), '"xxxxxxxxx…');
    const deep: unknown[] = [];
    let cur = deep;
    for (let i = 0; i < 100_000; i++) {
      const next: unknown[] = [];
      cur.push(next, next);
      cur = next;
    }
    assert.equal(previewJson(deep, 8), '[[[[[[[[…');
    assert.equal(previewJson(undefined), 'undefined');
  });

  it('a $ref to a missing file is listed under the spec that holds it, naming both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tae-ref-'));
    try {
      const path = join(dir, 'petstore.yaml');
      writeFileSync(path, 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths:\n  /a:\n    get:\n      responses: {"200": {$ref: "gone.yaml#/R"}}\n');
      const result = await service.load({ kind: 'file', path });
      assert.ok(result.ok);
      const missing = result.problems.find((p) => p.code === 'not-found');
      assert.ok(missing, JSON.stringify(result.problems));
      assert.match(missing.message, /^petstore\.yaml: a \$ref could not be followed: gone\.yaml: file not found\.$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
