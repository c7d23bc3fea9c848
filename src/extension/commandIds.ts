// Pure (no vscode import): the manifest test reads this list in plain Node.

/**
 * Every command id the extension registers. Kept as data so the manifest test can check that each one is
 * declared in package.json (and vice versa), and so features register through one function.
 */
export const COMMAND_IDS = [
  'telenor.refresh',
  'telenor.addSpecFile',
  'telenor.addSpecUrl',
  'telenor.removeSpec',
  'telenor.filter',
  'telenor.clearFilter',
  'telenor.showSpecProblems',
  'telenor.switchEnvironment',
  'telenor.setCredentials',
  'telenor.useSandboxCredentials',
  'telenor.clearCredentials',
  'telenor.signIn',
  'telenor.signOut',
  'telenor.renewToken',
  'telenor.showTokenInspector',
  'telenor.openRequest',
  'telenor.send',
  'telenor.cancelRequest',
  'telenor.copyAsCurl',
  'telenor.copyAsCurlWithSecrets',
  'telenor.insertSnippet',
  'telenor.openResponseInEditor',
  'telenor.clearHistory',
  'telenor.startSandbox',
  'telenor.stopSandbox',
  'telenor.openDocs',
  'telenor.showLog',
  // Tree item context menu only (hidden from the palette: they need an item).
  'telenor.copyOperationPath',
  'telenor.openSpecAtOperation',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
