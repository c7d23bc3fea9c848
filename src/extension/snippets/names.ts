/**
 * A second snippet in the same file must not declare again what the file declares: `const response`
 * twice, C#'s `var client` twice or two Go functions named after the same operation do not compile. So the
 * names the snippet declares that the file declares too get a number (`response2`, then `response3`…),
 * in the snippet only. Detection is by small regexes over the whole file, not scope analysis: a name
 * renamed that did not strictly need it is harmless. Python, shell and .http files rebind freely. Pure: no vscode.
 */
import type { InsertTargetId } from './targets';

interface Language {
  /** Names a text declares, read from its code with strings and comments blanked out. */
  declared(code: string): string[];
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
  shorthand: true,
  namedArguments: false,
};

const LANGUAGES: Partial<Record<InsertTargetId, Language>> = {
  'js-fetch': JS,
  'node-undici': JS,
  'csharp-httpclient': { declared: (code) => [...all(code, /\bvar\s+([A-Za-z_]\w*)/g), ...typed(code)], shorthand: false, namedArguments: true },
  'java-nethttp': { declared: typed, shorthand: false, namedArguments: false },
  // Only the function: the snippet's variables are its own function's.
  go: { declared: (code) => all(code, /^func\s+([A-Za-z_]\w*)\s*[([]/gm), shorthand: false, namedArguments: false },
};

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
 * `name2`, `name3`… that is no word of the document or the snippet. A rename that would change where a
 * tab-stop placeholder's text occurs (the inserter finds placeholders by their text) is left out.
 */
export function avoidNameClashes(target: InsertTargetId, body: string, documentText: string, placeholders: ReadonlyArray<{ text: string }> = []): string {
  const language = LANGUAGES[target];
  if (language === undefined) return body;
  const taken = new Set(language.declared(codeOnly(documentText)));
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
