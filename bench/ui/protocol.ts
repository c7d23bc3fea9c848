/**
 * What the UI benchmark (bench/suites/ui.ts, in Node) asks of its agent inside the extension host
 * (bench/ui/agent/index.ts), and what comes back. A fixed list of named operations, not code to evaluate:
 * the agent runs the extension's own commands with arguments, which the browser cannot do.
 */

export type AgentCall =
  | { op: 'info' }
  /** `telenor.addSpecFile` with a path; answers the API key once the spec has loaded. */
  | { op: 'addSpecFile'; path: string }
  /** `telenor.removeSpec` with the key. */
  | { op: 'removeSpec'; key: string }
  /** Waits until every queued spec validation has finished (so one round's validation cannot spill into the next). */
  | { op: 'validated' }
  | { op: 'api'; key: string }
  | { op: 'findOperation'; key: string; method: string; path: string }
  /** `telenor.openRequest` with a target and values: opens the panel, or fills the open one. */
  | { op: 'openRequest'; apiId: string; operationId: string; values?: { path?: Record<string, string> } }
  /** Ends the agent's run(): the last call. */
  | { op: 'quit' };

export interface AgentInfo {
  vscodeVersion: string;
  node: string;
}

export interface ApiFacts {
  title: string;
  operationCount: number;
  /** In the tree's order. */
  tags: Array<{ name: string; count: number }>;
}

export type AgentReply = { ok: true; value: unknown } | { ok: false; error: string };

/** One queued call as the agent receives it. */
export interface AgentJob {
  id: number;
  call: AgentCall;
}
