/**
 * Snippets come as standalone programs: imports on top (Go even with `package main`). Dropped into the
 * middle of an existing file those lines would not compile, or repeat what the file already imports. So,
 * for a file with content, import lines leave the snippet and the ones the file lacks go where its own
 * imports are. Pure: no vscode.
 */
import type { OperationInfo } from '../../core/spec/types';
import type { InsertTargetId } from './targets';

export interface ImportPlan {
  /** The code to insert at the cursor. */
  body: string;
  /** Import lines the file lacks: `text` goes at `line`, `character` (0-based). */
  insert?: { line: number; character: number; text: string };
}

interface Style {
  /** Takes the leading import lines off the code. */
  split(code: string): { imports: string[]; body: string };
  /** The file already has this import. */
  has(documentText: string, spec: string): boolean;
  /** Where new imports go and how each is written. */
  place(lines: readonly string[], missing: readonly string[]): { line: number; text: string };
}

/** Index of the last line matching, or -1. */
function lastIndex(lines: readonly string[], pattern: RegExp): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pattern.test(lines[i] as string)) return i;
  return -1;
}

/** Leading lines matching `pattern` (and the blank lines after them) become imports. */
function leading(code: string, pattern: RegExp): { imports: string[]; body: string } {
  const lines = code.split('\n');
  const imports: string[] = [];
  let i = 0;
  while (i < lines.length && pattern.test(lines[i] as string)) imports.push((lines[i++] as string).trim());
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  return { imports, body: lines.slice(i).join('\n') };
}

/**
 * The line after the last import statement starting with `start`. A statement that is not `complete` on its
 * first line (`import {`, `from x import (`) runs on until a line that `closes` it.
 */
function afterStatements(lines: readonly string[], start: RegExp, complete: RegExp, closes: RegExp, fallback: number): number {
  let after = -1;
  for (let i = 0; i < lines.length; i++) {
    if (!start.test(lines[i] as string)) continue;
    let j = i;
    if (!complete.test(lines[i] as string)) while (j < lines.length - 1 && !closes.test(lines[j + 1] as string)) j++;
    after = complete.test(lines[i] as string) ? i + 1 : Math.min(j + 2, lines.length);
    i = after - 1;
  }
  return after >= 0 ? after : fallback;
}

function afterLast(lines: readonly string[], pattern: RegExp, fallback: number): number {
  const last = lastIndex(lines, pattern);
  return last >= 0 ? last + 1 : fallback;
}

/** The text has `spec` as a line of its own (any run of spaces inside it matching any other), after `indent`. */
function hasLine(text: string, spec: string, indent: string): boolean {
  return new RegExp(`^${indent}${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}\\s*$`, 'm').test(text);
}

/** Line after a shebang (and, for Python, after a one-line module docstring). */
function topOfFile(lines: readonly string[], docstring: boolean): number {
  let line = lines[0]?.startsWith('#!') ? 1 : 0;
  if (docstring && /^\s*(?:"""|''').*(?:"""|''')\s*$/.test(lines[line] ?? '')) line++;
  return line;
}

const JS: Style = {
  split: (code) => leading(code, /^import\s.+from\s+['"][^'"]+['"];?\s*$/),
  has: (text, spec) => {
    const m = /^import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"])/.exec(spec);
    if (!m) return text.includes(spec);
    const names = (m[1] as string).split(',').map((n) => n.trim()).filter((n) => n !== '');
    const from = (m[2] as string).slice(1, -1);
    const imported = [...text.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`, 'g'))]
      .flatMap((x) => (x[1] as string).split(','))
      .map((n) => n.trim().split(/\s+as\s+/)[0]);
    return names.every((n) => imported.includes(n));
  },
  place: (lines, missing) => ({
    line: afterStatements(lines, /^import[\s{]/, /(?:from\s*['"][^'"]+['"]|^import\s*['"][^'"]+['"]);?\s*$/, /from\s*['"][^'"]+['"];?\s*$/, topOfFile(lines, false)),
    text: missing.map((m) => `${m}\n`).join(''),
  }),
};

const PYTHON: Style = {
  split: (code) => leading(code, /^(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s+.+)\s*$/),
  has: (text, spec) => hasLine(text, spec, ''),
  place: (lines, missing) => ({
    line: afterStatements(lines, /^(?:import|from)\s+[\w.]+/, /^[^(]*$|\)/, /\)/, topOfFile(lines, true)),
    text: missing.map((m) => `${m}\n`).join(''),
  }),
};

const CSHARP: Style = {
  split: (code) => leading(code, /^using\s+[\w.]+;\s*$/),
  has: (text, spec) => new RegExp(`^\\s*${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm').test(text),
  place: (lines, missing) => ({ line: afterLast(lines, /^using\s+[\w.]+;/, 0), text: missing.map((m) => `${m}\n`).join('') }),
};

/** What httpsnippet's Java HttpClient code uses without importing it. */
const JAVA_IMPORTS = ['import java.net.URI;', 'import java.net.http.HttpClient;', 'import java.net.http.HttpRequest;', 'import java.net.http.HttpResponse;'];

const JAVA: Style = {
  split: (code) => ({ imports: [...JAVA_IMPORTS], body: code }),
  has: (text, spec) => {
    const name = spec.replace(/^import\s+|;$/g, '');
    const pkg = name.slice(0, name.lastIndexOf('.'));
    return text.includes(spec) || text.includes(`import ${pkg}.*;`);
  },
  place: (lines, missing) => ({ line: afterLast(lines, /^import\s/, afterLast(lines, /^package\s/, 0)), text: missing.map((m) => `${m}\n`).join('') }),
};

const GO: Style = {
  split: (code) => {
    const m = /^package main\n+import \(\n((?:\t"[^"]+"\n)*)\)\n+/.exec(code);
    if (!m) return { imports: [], body: code.replace(/^package main\n+/, '') };
    const imports = [...(m[1] as string).matchAll(/"([^"]+)"/g)].map((x) => x[1] as string);
    return { imports, body: code.slice(m[0].length) };
  },
  has: (text, spec) => new RegExp(`^\\s*(?:import\\s+)?(?:\\w+\\s+)?"${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'm').test(text),
  place: (lines, missing) => {
    const block = lines.findIndex((l) => /^import\s*\($/.test(l));
    if (block >= 0) {
      let close = block + 1;
      while (close < lines.length && !/^\)/.test(lines[close] as string)) close++;
      return { line: close, text: missing.map((m) => `\t"${m}"\n`).join('') };
    }
    return { line: afterLast(lines, /^import\s+"/, afterLast(lines, /^package\s/, 0)), text: missing.map((m) => `import "${m}"\n`).join('') };
  },
};

/** Swift: `import Foundation` is valid only at the file's top level, not inside the function being edited. */
const SWIFT: Style = {
  split: (code) => leading(code, /^import\s+[\w.]+\s*$/),
  has: (text, spec) => hasLine(text, spec, '\\s*'),
  place: (lines, missing) => ({ line: afterLast(lines, /^\s*import\s/, topOfFile(lines, false)), text: missing.map((m) => `${m}\n`).join('') }),
};

/**
 * PHP: a second `<?php` in the middle of a file is a parse error, so it never moves (a file with code has one);
 * the Composer autoloader joins the file's own `require`s, once.
 */
const PHP: Style = {
  split: (code) => leading(code, /^(?:<\?php|require(?:_once)?\s*\(?\s*['"][^'"]+['"]\s*\)?\s*;)\s*$/),
  has: (text, spec) => spec === '<?php' || text.includes(/['"]([^'"]+)['"]/.exec(spec)?.[1] ?? spec),
  place: (lines, missing) => ({
    line: afterLast(lines, /^\s*(?:require|include)(?:_once)?\b/, afterLast(lines, /^\s*(?:namespace|use)\s/, afterLast(lines, /^<\?php\b/, 0))),
    text: missing.map((m) => `${m}\n`).join(''),
  }),
};

const STYLES: Partial<Record<InsertTargetId, Style>> = {
  'node-undici': JS,
  'js-fetch': JS,
  'python-requests': PYTHON,
  'csharp-httpclient': CSHARP,
  'java-nethttp': JAVA,
  go: GO,
  swift: SWIFT,
  'php-guzzle': PHP,
};

/** A Go function name from the operation: `getAccount`, else `get_corporate_accounts…` in camel case. */
function goName(operation: Pick<OperationInfo, 'operationId' | 'method' | 'path'>): string {
  const words = (operation.operationId ?? `${operation.method} ${operation.path}`).split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const name = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  return /^[A-Za-z_]/.test(name) ? name : `call${name}`;
}

/**
 * Splits the snippet for a file: in an empty file the whole program stays (it runs as is); otherwise the
 * imports move to the file's import section, without repeats, and Go's `main` takes the operation's name.
 */
export function planImports(
  target: InsertTargetId,
  code: string,
  documentText: string,
  operation: Pick<OperationInfo, 'operationId' | 'method' | 'path'>,
): ImportPlan {
  const style = STYLES[target];
  if (style === undefined || documentText.trim() === '') return { body: code };
  const { imports, body } = style.split(code);
  const fitted = target === 'go' ? body.replace(/\bfunc main\(\)/, `func ${goName(operation)}()`) : body;
  const missing = [...new Set(imports)].filter((spec) => !style.has(documentText, spec));
  if (missing.length === 0) return { body: fitted };
  const lines = documentText.split(/\r?\n/);
  const at = style.place(lines, missing);
  if (at.line < lines.length) return { body: fitted, insert: { line: at.line, character: 0, text: at.text } };
  // After the last line of a file without a final newline.
  const last = lines.length - 1;
  return { body: fitted, insert: { line: last, character: (lines[last] ?? '').length, text: `\n${at.text.replace(/\n$/, '')}` } };
}
