/**
 * JSON for display, pure (no DOM): a per-line tokenizer for highlighting the display lines that `JsonLines`
 * (bodyLines.ts) makes. It works on any text, valid JSON or not — a body cut at the display cap included —
 * and the renderer puts each token in a node with `textContent`, so a string holding `<script>` stays text.
 */

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space' | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
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
