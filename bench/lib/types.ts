/**
 * What suites report and how the orchestrator judges it. A suite only measures; `judge()` decides ok/missed
 * in one place so the table, the JSON and the README use the same rule.
 */

export type Unit = 'ms' | 'µs' | 'KB' | 'MB' | 'count';

export type Budget =
  /** measured / baseline ≤ max; both measured in the same run. */
  | { kind: 'ratio'; max: number }
  /** measured ≤ max (in the row's unit). The baseline, when given, is context (e.g. the idle noise floor). */
  | { kind: 'limit'; max: number }
  /** measured must equal value exactly (e.g. one token request). */
  | { kind: 'equals'; value: number }
  /** No budget: figures worth having next to the others. */
  | { kind: 'report' }
  /** Cannot be measured yet; `reason` says what it waits for. */
  | { kind: 'pending'; reason: string };

export interface Row {
  /** Stable key, `<target number>.<what>[.<input>]`, for comparing runs. */
  id: string;
  /** What is measured, as the table shows it. */
  target: string;
  unit: Unit;
  measured?: number;
  baseline?: number;
  /** What the baseline is (shown in the README and JSON). */
  baselineIs?: string;
  budget: Budget;
  note?: string;
  /** Raw samples and extra figures (memory, per-run values) for the JSON file. */
  detail?: Record<string, unknown>;
}

export interface JudgedRow extends Row {
  ratio?: number;
  /** undefined when there is nothing to judge (report, pending). */
  ok?: boolean;
}

export function judge(row: Row): JudgedRow {
  const out: JudgedRow = { ...row };
  const { measured, baseline, budget } = row;
  if (measured !== undefined && baseline !== undefined && baseline > 0) out.ratio = measured / baseline;
  if (measured === undefined) return out;
  switch (budget.kind) {
    case 'ratio':
      if (out.ratio !== undefined) out.ok = out.ratio <= budget.max;
      break;
    case 'limit':
      out.ok = measured <= budget.max;
      break;
    case 'equals':
      out.ok = measured === budget.value;
      break;
    default:
      break;
  }
  return out;
}

export interface SpecInput {
  /** Short key used in row ids: `github`, `k8s-swagger2`… */
  key: string;
  /** For the table: `GitHub 13 MB`. */
  label: string;
  path: string;
  format: 'json' | 'yaml';
  /** Which targets it feeds. */
  role: 'big' | 'deref' | 'yaml' | 'swagger2' | 'circular' | 'small';
  bytes: number;
  /** Where it came from (package@version and the file inside it, or "generated"). */
  origin: string;
}

/** Handed to a suite's child process as JSON. */
export interface SuiteConfig {
  quick: boolean;
  repoRoot: string;
  inputs: SpecInput[];
}
