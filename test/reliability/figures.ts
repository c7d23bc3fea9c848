/**
 * Figures of the reliability suites (cases tried and passed, and what each suite counted), printed as one
 * line per suite and kept in test-results/reliability/<suite>.json for test/reliability/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../fixtures/specs/helpers';

export function recordFigures(suite: string, figures: Record<string, unknown>): void {
  const record = { suite, at: new Date().toISOString(), node: process.version, ...figures };
  const dir = join(repoRoot, 'test-results', 'reliability');
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${suite}.json`), JSON.stringify(record, null, 2) + '\n');
  } catch {
    // Figures are a report, not a test: a read-only checkout must not fail the suite.
  }
  console.log(`      reliability ${suite}: ${JSON.stringify(figures)}`);
}

/** Counts cases for a suite: `tried` when a case starts, `passed` when it ends without a failed assertion. */
export class CaseCounter {
  tried = 0;
  passed = 0;
  readonly failed: string[] = [];

  /** Runs one named case, counting it. */
  async run<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.tried++;
    try {
      const out = await body();
      this.passed++;
      return out;
    } catch (e) {
      this.failed.push(name);
      throw e;
    }
  }
}
