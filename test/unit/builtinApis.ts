// The sandbox's built-in specs, loaded in-process (pure Node) for the hover and snippet tests: real Telenor
// paths, servers, security and examples instead of hand-written indexes.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { SpecService } from '../../src/core/spec/service';
import type { ApiIndex } from '../../src/core/spec/types';
import { BUILTIN_SPECS } from '../../src/sandbox/index';
import { repoRoot } from '../fixtures/specs/helpers';

/**
 * Registers `before`/`after` hooks in the calling `describe` and returns the map they fill: every built-in
 * API by title, loaded before the suite's own hooks run.
 */
export function builtinApis(): Map<string, ApiIndex> {
  const service = new SpecService();
  const apis = new Map<string, ApiIndex>();
  before(async function () {
    this.timeout(30_000);
    for (const spec of BUILTIN_SPECS) {
      const result = await service.load({ kind: 'builtin', path: join(repoRoot, 'src', 'sandbox', 'specs', spec.file), name: spec.file });
      assert.ok(result.ok, `${spec.file}: ${JSON.stringify(result.problems)}`);
      apis.set(result.api.title, result.api);
    }
  });
  after(() => service.dispose());
  return apis;
}
