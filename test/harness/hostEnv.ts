/**
 * The environment the in-host suite (test/vscode) can read, in one place for both runners (code-server and
 * @vscode/test-electron). Document new variables in test/vscode/index.ts too.
 */
export interface HostEnvOptions {
  root: string;
  /** Writable folder the tests may fill; removed after the run. */
  scratch: string;
  /** Kept after the run (logs, artefacts worth looking at). */
  results: string;
  workspace: string;
  grep?: string | undefined;
  /** `remote-web`: code-server (remote window, Web UI). `desktop`: a local Electron window. */
  host: 'remote-web' | 'desktop';
  /** Exact `vscode.version` the tests should see, when known. */
  vscodeVersion?: string | undefined;
  /** Node major version of the extension host, when known. */
  nodeMajor?: string | undefined;
}

export function hostEnv(o: HostEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    TAE_REPO_ROOT: o.root,
    TAE_SCRATCH_DIR: o.scratch,
    TAE_RESULTS_DIR: o.results,
    TAE_WORKSPACE: o.workspace,
    TAE_EXPECT_HOST: o.host,
  };
  if (o.grep) env['TAE_TEST_GREP'] = o.grep;
  if (o.vscodeVersion) env['TAE_EXPECT_VSCODE'] = o.vscodeVersion;
  if (o.nodeMajor) env['TAE_EXPECT_NODE_MAJOR'] = o.nodeMajor;
  return env;
}
