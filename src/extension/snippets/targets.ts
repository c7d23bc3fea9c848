/**
 * Which snippet flavour fits a file: its language id (and, for JavaScript, whether it already uses
 * undici) decides; files with no matching flavour get a quick pick. Pure: no vscode.
 */
import type { SnippetTargetId } from '../../core/snippets';

/** The engine's targets plus our own REST Client (`.http`) formatter. */
export type InsertTargetId = SnippetTargetId | 'rest-client';

export const REST_CLIENT_TARGET = { id: 'rest-client', label: 'REST Client (.http)', language: 'http' } as const;

const BY_LANGUAGE: Readonly<Record<string, InsertTargetId>> = {
  typescript: 'js-fetch',
  typescriptreact: 'js-fetch',
  javascript: 'js-fetch',
  javascriptreact: 'js-fetch',
  python: 'python-requests',
  shellscript: 'curl',
  java: 'java-nethttp',
  csharp: 'csharp-httpclient',
  go: 'go',
  http: 'rest-client',
  powershell: 'powershell',
  kotlin: 'kotlin-okhttp',
  php: 'php-guzzle',
  ruby: 'ruby',
  swift: 'swift',
};

const JS_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);

/** `import … from 'undici'`, `import('undici')` or `require('undici')` (also `undici/…` subpaths). */
const UNDICI_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]undici(?:\/[^'"]*)?['"]/m;

export function importsUndici(documentText: string): boolean {
  return UNDICI_IMPORT.test(documentText);
}

/**
 * The target for a document, or undefined when the person should choose. `fileName` catches `.http` and
 * `.rest` files that no installed extension gives the `http` language.
 */
export function targetForDocument(languageId: string, fileName: string, documentText: string): InsertTargetId | undefined {
  if (/\.(?:http|rest)$/i.test(fileName)) return 'rest-client';
  if (JS_LANGUAGES.has(languageId) && importsUndici(documentText)) return 'node-undici';
  return BY_LANGUAGE[languageId];
}

/**
 * Reads a `language` argument: a target id (`python-requests`, `rest-client`) or a VS Code language id
 * (`python`). Undefined when it names neither.
 */
export function targetFromArgument(language: string, knownTargets: readonly string[]): InsertTargetId | undefined {
  if (language === REST_CLIENT_TARGET.id || knownTargets.includes(language)) return language as InsertTargetId;
  return BY_LANGUAGE[language];
}
