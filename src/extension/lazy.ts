import { join } from 'node:path';
import type { Engine } from '../core/engine';
import type * as SandboxModule from '../sandbox/index';

/**
 * Loads the heavy bundles by path the first time they are needed, so `activate()` only pays for the
 * small extension bundle. esbuild leaves a `require` of a computed path alone, which is what keeps these
 * files out of dist/extension.js.
 */
export class LazyModules {
  private engine: Engine | undefined;
  private sandbox: typeof SandboxModule | undefined;

  /** `distDir` is the folder holding engine.js and sandbox.js (the extension's `dist/`). */
  constructor(private readonly distDir: string) {}

  /** Synchronous on purpose: after the first call it is a property read, and the first call costs ~50 ms. */
  loadEngine(): Engine {
    this.engine ??= this.requireByPath<Engine>('engine.js');
    return this.engine;
  }

  loadSandbox(): typeof SandboxModule {
    this.sandbox ??= this.requireByPath<typeof SandboxModule>('sandbox.js');
    return this.sandbox;
  }

  get isEngineLoaded(): boolean {
    return this.engine !== undefined;
  }

  private requireByPath<T>(file: string): T {
    const path = join(this.distDir, file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point is a run-time path
    return require(path) as T;
  }
}
