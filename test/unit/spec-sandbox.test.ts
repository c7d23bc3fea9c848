// The sandbox's own specs (src/sandbox/specs) are built-in tree entries: each must load, index and
// validate with zero errors, from disk and as the sandbox serves them.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SpecService } from '../../src/core/spec/service';
import type { SpecProblem } from '../../src/core/spec/types';
import { BUILTIN_SPECS, startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { repoRoot } from '../fixtures/specs/helpers';

const specsDir = join(repoRoot, 'src', 'sandbox', 'specs');

function errors(problems: readonly SpecProblem[]): string[] {
  return problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

describe('sandbox specs load cleanly', function () {
  this.timeout(30_000);
  const service = new SpecService();
  let sandbox: RunningSandbox;

  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await service.dispose();
    await sandbox.close();
  });

  it('lists every file of the specs folder as a built-in spec', () => {
    const files = readdirSync(specsDir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
    assert.ok(files.length > 0, 'the sandbox ships specs');
    assert.deepEqual(files, BUILTIN_SPECS.map((s) => s.file).sort());
  });

  for (const spec of BUILTIN_SPECS) {
    describe(spec.file, () => {
      it('loads from disk with no problems, operations under tags, and validates without errors', async () => {
        const result = await service.load({ kind: 'builtin', path: join(specsDir, spec.file), name: spec.file });
        assert.ok(result.ok, JSON.stringify(result.problems, null, 2));
        assert.deepEqual(result.problems, [], 'not even a warning');
        assert.equal(result.api.title, spec.title);
        assert.ok(result.api.operationCount > 0);
        assert.equal(result.api.tags.reduce((n, t) => n + t.operationIds.length, 0) >= result.api.operationCount, true);
        assert.ok(Object.keys(result.api.securitySchemes).length > 0, 'declares how to authenticate');
        assert.deepEqual(errors(await service.validate(result.api.id)), []);
      });

      it('loads from the running sandbox over HTTP', async () => {
        const result = await service.load({ kind: 'url', url: `${sandbox.url}/specs/${spec.file}` });
        assert.ok(result.ok, JSON.stringify(result.problems, null, 2));
        assert.deepEqual(errors(result.problems), []);
        assert.equal(result.api.title, spec.title);
      });
    });
  }
});
