/**
 * JSON for display, pure (no DOM): a lossless re-indenter and a per-line tokenizer for highlighting.
 *
 * Not `JSON.parse` + `JSON.stringify`: that would round big integers (`12345678901234567890`), drop
 * duplicate keys and fail on a body cut at the display cap — the panel must show what the server sent.
 * Both functions work on any text, valid JSON or not; the renderer puts each token in a node with
 * `textContent`, so a string holding `<script>` stays text.
 */

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space' | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
}

/**
 * Re-indents JSON text by its structure: a line break after `{`, `[` and `,`, before `}` and `]`, one space
 * after `:`; whitespace between tokens is dropped, string contents and every other character are kept as is.
 * Empty `{}` and `[]` stay on one line. Linear time, one pass.
 */
export function reformatJson(text: string, indentUnit = '  '): string {
  const out: string[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  let pendingOpen = false;
  const newline = (): void => {
    out.push('\n', indentUnit.repeat(Math.max(0, depth)));
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    // Whitespace between tokens: dropped (re-created by the indentation).
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (pendingOpen) {
      pendingOpen = false;
      if (c === 0x7d || c === 0x5d) {
        // `{}` / `[]`: close on the same line.
        depth--;
        out.push(text[i] as string);
        i++;
        continue;
      }
      newline();
    }
    if (c === 0x22) {
      // A string: copied whole, escapes included; an unterminated one runs to the end of the line.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) {
          j++;
          break;
        } else if (d === 0x0a) break;
        else j++;
      }
      out.push(text.slice(i, Math.min(j, n)));
      i = Math.min(j, n);
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      out.push(text[i] as string);
      depth++;
      pendingOpen = true;
      i++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      depth--;
      newline();
      out.push(text[i] as string);
      i++;
      continue;
    }
    if (c === 0x2c) {
      out.push(',');
      newline();
      i++;
      continue;
    }
    if (c === 0x3a) {
      out.push(': ');
      i++;
      continue;
    }
    // A bare word (number, literal, or garbage): up to the next structural character or whitespace.
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09 || d === 0x22 || d === 0x2c || d === 0x3a || d === 0x7b || d === 0x7d || d === 0x5b || d === 0x5d) break;
      j++;
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out.join('');
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
