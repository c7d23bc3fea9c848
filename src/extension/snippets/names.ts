/**
 * A second snippet in the same file must not declare again what the file declares: `const response`
 * twice, C#'s `var client` twice or two Go functions named after the same operation do not compile. So the
 * names the snippet declares that the file declares too get a number (`response2`, then `response3`…),
 * in the snippet only. Detection is by small regexes, over the part of the file the compiler would hold
 * against the snippet where it goes (see `inScope`), not a full scope analysis: a name renamed that did not
 * strictly need it is harmless. Python, PHP, Ruby, PowerShell, shell and .http files rebind freely. Pure: no vscode.
 */
import type { InsertTargetId } from './targets';

interface Language {
  /** Names a text declares, read from its code with strings and comments blanked out. */
  declared(code: string): string[];
  /**
   * Which `{…}` blocks count, seen from where the snippet goes: `enclosing` — only those around it (JS: a
   * name in another block, even one inside this one, is no clash, shadowing is allowed); `method` — those
   * and every block inside the innermost one around it (C# refuses a name a nested block of the same method
   * declares, Java one an enclosing block does); `file` — all (Go: functions are top-level names).
   */
  scope: 'enclosing' | 'method' | 'file';
  /** JavaScript's `{ body }` (destructuring or object shorthand) must become `{ body: body2 }`. */
  shorthand: boolean;
  /** C#'s `f(body: x)`: a name before `:` in a call is the parameter's, not a variable. */
  namedArguments: boolean;
}

/**
 * Strings and comments of C-family languages (JS, C#, Java, Go): `//` and block comments, Java/C# text
 * blocks, C# verbatim strings, quoted strings and char literals (an unterminated one ends at the line),
 * backtick strings (JS templates — our JS generator writes none — and Go raw strings); then numbers (so
 * `1e5` is no identifier `e5`), identifiers and brackets.
 */
const TOKEN =
  /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"""[\s\S]*?(?:"""|$)|@"(?:[^"]|"")*"?|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\[\s\S])*`?|\d[\w.]*|[A-Za-z_$][\w$]*|[{}()[\]]/g;
const OPENING: Readonly<Record<string, string>> = { '}': '{', ')': '(', ']': '[' };

/** The text with every string and comment replaced by spaces (line breaks kept), so regexes see only code. */
function codeOnly(text: string): string {
  return text.replace(TOKEN, (t) => (/^(?:["'`@]|\/[/*])/.test(t) ? t.replace(/[^\n]/g, ' ') : t));
}

function all(code: string, pattern: RegExp): string[] {
  return [...code.matchAll(pattern)].map((m) => m[1] as string);
}

/**
 * `const { statusCode, body: b, ...rest } =` and `let [a, b] =`: every name that is not a key. A pattern
 * longer than a few thousand characters is no pattern (an unclosed brace while the person types).
 */
function destructured(code: string): string[] {
  const names: string[] = [];
  const assigned = /\s*=(?!=)/y;
  for (const m of code.matchAll(/\b(?:const|let|var)\s*([{[])/g)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    const limit = Math.min(code.length, end + 4000);
    for (; end < limit; end++) {
      if (code[end] === '{' || code[end] === '[') depth++;
      else if ((code[end] === '}' || code[end] === ']') && --depth === 0) break;
    }
    assigned.lastIndex = end + 1;
    if (end === limit || !assigned.test(code)) continue;
    names.push(...all(code.slice(m.index + m[0].length, end), /([A-Za-z_$][\w$]*)(?!\s*:|[\w$])/g));
  }
  return names;
}

/** Words that can stand where a Java/C# declaration's type does but start something else. */
const NOT_TYPES = new Set('return throw else new case yield await goto using package import namespace break continue do in is as out ref default assert'.split(' '));

/**
 * Java and C# declarations with a type: `HttpResponse<String> response =` at a statement's start (also in
 * `for (` and `try (`), `HttpClient client;`, and parameters `(HttpClient client, string baseUrl)`.
 */
function typed(code: string): string[] {
  const type = String.raw`(?:@\w+\s+)*(?:(?:final|static|readonly|private|public|protected|internal|const|ref|out|in|params|this)\s+)*([A-Za-z_][\w.]*(?:\s*<[^;=(){}]{0,200}>)?(?:\s*\[\s*\])*\??)\s+([A-Za-z_]\w*)`;
  const names: string[] = [];
  const statement = new RegExp(String.raw`(?<=^|[;{(])[ \t]*${type}\s*(?:=(?!=)|;)`, 'gm');
  const parameter = new RegExp(String.raw`[(,]\s*${type}\s*(?=[,)=])`, 'g');
  for (const pattern of [statement, parameter]) {
    for (const m of code.matchAll(pattern)) if (!NOT_TYPES.has(m[1] as string)) names.push(m[2] as string);
  }
  return names;
}

const JS: Language = {
  declared: (code) => [...all(code, /\b(?:const|let|var|function\s*\*?|class)\s+([A-Za-z_$][\w$]*)/g), ...destructured(code)],
  scope: 'enclosing',
  shorthand: true,
  namedArguments: false,
};

const LANGUAGES: Partial<Record<InsertTargetId, Language>> = {
  'js-fetch': JS,
  'node-undici': JS,
  'csharp-httpclient': { declared: (code) => [...all(code, /\bvar\s+([A-Za-z_]\w*)/g), ...typed(code)], scope: 'method', shorthand: false, namedArguments: true },
  'java-nethttp': { declared: typed, scope: 'method', shorthand: false, namedArguments: false },
  // Kotlin and Swift refuse a second `val`/`let` of a name in one scope and allow shadowing in a nested one.
  'kotlin-okhttp': { declared: (code) => all(code, /\b(?:val|var|fun)\s+([A-Za-z_]\w*)/g), scope: 'enclosing', shorthand: false, namedArguments: false },
  // Swift's argument labels (`URLRequest(url: u)`) are written like C#'s named arguments.
  swift: {
    declared: (code) => [
      ...all(code, /\b(?:let|var|func)\s+([A-Za-z_]\w*)/g),
      // A tuple's names; `_` is the wildcard, no name.
      ...all(code, /\b(?:let|var)\s*\(([^()]*)\)/g).flatMap((names) => all(names, /([A-Za-z_]\w*)/g).filter((n) => n !== '_')),
    ],
    scope: 'enclosing',
    shorthand: false,
    namedArguments: true,
  },
  // Only the function: the snippet's variables are its own function's.
  go: { declared: (code) => all(code, /^func\s+([A-Za-z_]\w*)\s*[([]/gm), scope: 'file', shorthand: false, namedArguments: false },
};

/** `code` with each `[from, to)` range's characters but line breaks turned to spaces; one pass (ranges ascending, disjoint). */
function blank(code: string, ranges: ReadonlyArray<[number, number]>): string {
  let out = '';
  let last = 0;
  for (const [from, to] of ranges) {
    out += code.slice(last, from) + code.slice(from, to).replace(/[^\n]/g, ' ');
    last = to;
  }
  return out + code.slice(last);
}

/**
 * What stands before a `{` that opens a code block (not an object literal, a destructuring pattern or a
 * class body, whose names are not locals): `)` of a function, method, `if`, `for`, `catch`… header —
 * perhaps with a TypeScript return type or Java's `throws` after it — or `=>`, `else`, `try`, `finally`, `do`.
 * Group 1 is the `)` when there is one.
 */
const BLOCK_HEADER = /(?:(\))\s*(?::\s*[^{};=()]{1,200}?)?\s*(?:throws\s+[\w.,\s]+?)?|=>|\b(?:else|try|finally|do))\s*$/;

/**
 * `code` (strings and comments already blanked) with the code blocks that do not count from `at` blanked,
 * with the parameter list of a block's header (`(HttpClient client) {`), which belongs to that block. A block
 * still open at the end (the person is typing) runs to the end.
 */
export function inScope(code: string, at: number, scope: Language['scope']): string {
  if (scope === 'file') return code;
  const blocks: Array<[number, number]> = [];
  const open: number[] = [];
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '{') open.push(i);
    else if (code[i] === '}' && open.length > 0) blocks.push([open.pop() as number, i]);
  }
  for (const start of open) blocks.push([start, code.length]);
  blocks.sort((a, b) => a[0] - b[0]);
  const around = (b: [number, number]): boolean => b[0] < at && at <= b[1];
  const innermost = blocks.filter(around).pop();
  const inside = (b: [number, number]): boolean => (innermost === undefined ? true : innermost[0] < b[0] && b[1] <= innermost[1]);
  // Ranges to blank, collected first: blanking as we go would copy the whole file once per block.
  const ranges: Array<[number, number]> = [];
  let blankedTo = -1;
  for (const b of blocks) {
    if (b[0] < blankedTo || around(b) || (scope === 'method' && inside(b))) continue;
    const from = Math.max(0, b[0] - 300);
    const header = BLOCK_HEADER.exec(code.slice(from, b[0]));
    // An object literal or pattern stays (its own code blocks, if any, are visited next).
    if (header === null) continue;
    blankedTo = b[1];
    let params: [number, number] | undefined;
    if (header[1] !== undefined) {
      const close = from + header.index;
      let depth = 0;
      for (let i = close; i >= 0 && params === undefined; i--) {
        if (code[i] === ')') depth++;
        else if (code[i] === '(' && --depth === 0) params = [i + 1, close];
      }
    }
    // After the ranges already taken (a header's parameters never reach back into a blanked block).
    if (params && params[0] >= (ranges[ranges.length - 1]?.[1] ?? 0)) ranges.push(params);
    ranges.push([b[0] + 1, b[1]]);
  }
  return blank(code, ranges);
}

/** The first character before `at` that is not white space, with the one before it (`..` of a spread). */
function before(text: string, at: number): string {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i] as string)) i--;
  return text.slice(Math.max(0, i - 1), i + 1);
}

function after(text: string, at: number): string {
  let i = at;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return text.slice(i, i + 2);
}

/**
 * Renames identifier uses in `body`: not in strings or comments, not after `.` (a property), not an
 * object key or named argument before `:`; a shorthand `{ body }` keeps its key (`{ body: body2 }`).
 */
function rename(body: string, from: string, to: string, language: Language): { text: string; at: number[] } {
  const open: string[] = [];
  const at: number[] = [];
  let out = '';
  let last = 0;
  for (const m of body.matchAll(TOKEN)) {
    const token = m[0];
    if (token === '{' || token === '(' || token === '[') open.push(token);
    else if (OPENING[token] !== undefined) {
      if (open[open.length - 1] === OPENING[token]) open.pop();
    } else if (token === from) {
      const prev = before(body, m.index);
      const next = after(body, m.index + token.length);
      const inside = open[open.length - 1];
      const property = (prev.endsWith('.') && prev !== '..') || prev === '::';
      const key = /^:(?![:=])/.test(next) && /[{,(]$/.test(prev) && (inside === '{' || (inside === '(' && language.namedArguments));
      if (property || key) continue;
      const shorthand = language.shorthand && inside === '{' && /[{,]$/.test(prev) && /^[,}]/.test(next);
      out += body.slice(last, m.index) + (shorthand ? `${from}: ${to}` : to);
      last = m.index + token.length;
      at.push(m.index);
    }
  }
  return { text: out + body.slice(last), at };
}

/** Where `needle` starts in `text`, overlapping occurrences included. */
function positions(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = needle === '' ? -1 : text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** The rename touches no placeholder where it stands, and makes none appear or vanish elsewhere. */
function keepsPlaceholders(was: string, now: string, renamedAt: readonly number[], length: number, placeholders: ReadonlyArray<{ text: string }>): boolean {
  return placeholders.every((p) => {
    const spans = positions(was, p.text);
    if (positions(now, p.text).length !== spans.length) return false;
    return !spans.some((start) => renamedAt.some((at) => at < start + p.text.length && start < at + length));
  });
}

/**
 * The snippet `body` with each name it declares that `documentText` declares too renamed to the first of
 * `name2`, `name3`… that is no word of the document or the snippet. With `at` (the offset in `documentText`
 * where the snippet goes) only declarations in scope there count (`inScope`); without it, the whole file.
 * A rename that would change where a tab-stop placeholder's text occurs (the inserter finds placeholders by
 * their text) is left out.
 */
export function avoidNameClashes(
  target: InsertTargetId,
  body: string,
  documentText: string,
  placeholders: ReadonlyArray<{ text: string }> = [],
  at?: number,
): string {
  const language = LANGUAGES[target];
  if (language === undefined) return body;
  const code = codeOnly(documentText);
  const taken = new Set(language.declared(at === undefined ? code : inScope(code, at, language.scope)));
  const clashing = [...new Set(language.declared(codeOnly(body)))].filter((name) => taken.has(name));
  if (clashing.length === 0) return body;
  const words = new Set([...documentText.matchAll(/\w+/g), ...body.matchAll(/\w+/g)].map((m) => m[0]));
  let out = body;
  for (const name of clashing) {
    let n = 2;
    while (words.has(`${name}${n}`)) n++;
    const renamed = rename(out, name, `${name}${n}`, language);
    if (!keepsPlaceholders(out, renamed.text, renamed.at, name.length, placeholders)) continue;
    words.add(`${name}${n}`);
    out = renamed.text;
  }
  return out;
}
