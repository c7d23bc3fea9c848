/**
 * JSON for display, pure (no DOM): a per-line tokenizer for highlighting, and the lossless re-indenter as one
 * string (the line-by-line re-indenter the panel uses is `JsonLines` in bodyLines.ts).
 *
 * Not `JSON.parse` + `JSON.stringify`: that would round big integers (`12345678901234567890`), drop
 * duplicate keys and fail on a body cut at the display cap — the panel must show what the server sent.
 * Both functions work on any text, valid JSON or not; the renderer puts each token in a node with
 * `textContent`, so a string holding `<script>` stays text.
 */
import { JsonLines } from './bodyLines';

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space' | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
}

/**
 * The whole body re-indented as one string (see `JsonLines` for the rules): what the panel shows, joined
 * with `\n`. The panel itself never builds this string; it draws lines from a `JsonLines` index.
 */
export function reformatJson(text: string, indentUnit = '  '): string {
  const lines = new JsonLines(text, indentUnit);
  lines.advance(Number.POSITIVE_INFINITY);
  const out: string[] = [];
  for (let i = 0; i < lines.count; i++) out.push(lines.line(i));
  return out.join('\n');
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** Tokens of one line of (re-indented) JSON. Concatenating their text gives the line back exactly. */
export function tokenizeJsonLine(line: string): Token[] {
  const tokens: Token[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      let j = i + 1;
      while (j < n && (line[j] === ' ' || line[j] === '\t' || line[j] === '\r')) j++;
      tokens.push({ kind: 'space', text: line.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n) {
        if (line[j] === '\\') j += 2;
        else if (line[j] === '"') {
          j++;
          break;
        } else j++;
      }
      j = Math.min(j, n);
      const text = line.slice(i, j);
      // A key is a string followed (after spaces) by a colon.
      let k = j;
      while (k < n && (line[k] === ' ' || line[k] === '\t')) k++;
      tokens.push({ kind: line[k] === ':' ? 'key' : 'string', text });
      i = j;
      continue;
    }
    if ('{}[],:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && !' \t\r"{}[],:'.includes(line[j] as string)) j++;
    const word = line.slice(i, j);
    tokens.push({ kind: word === 'true' || word === 'false' || word === 'null' ? 'literal' : NUMBER.test(word) ? 'number' : 'text', text: word });
    i = j;
  }
  return tokens;
}
