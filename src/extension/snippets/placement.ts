/**
 * Where an inserted snippet goes and how it is indented, given the document's lines. Pure: no vscode.
 *
 * From a hover the position is the start of the line below the URL. The code is indented like the hovered
 * line (or like the line below, when the hovered line opens a block), so it lands as a sibling statement.
 * `.http` files are lists of requests separated by `###` lines, so there the request goes before the next
 * separator (or at the end), never in the middle of another request.
 */

export interface Placement {
  line: number;
  character: number;
  /** The code as it goes in: indented, with the newlines that keep it apart from its neighbours. */
  text: string;
}

function indentOf(line: string | undefined): string {
  return /^[ \t]*/.exec(line ?? '')?.[0] ?? '';
}

function indent(code: string, by: string): string {
  if (by === '') return code;
  return code
    .split('\n')
    .map((l) => (l.trim() === '' ? l : `${by}${l}`))
    .join('\n');
}

/** At the end of the document, after a blank line when `separate` (a `.http` request). */
function append(lines: readonly string[], body: string, separate: boolean): Placement {
  const last = lines.length - 1;
  const lastLine = lines[last] ?? '';
  if (lastLine === '') {
    const previousBlank = last === 0 || (lines[last - 1] ?? '').trim() === '';
    return { line: last, character: 0, text: separate && !previousBlank ? `\n${body}` : body };
  }
  return { line: last, character: lastLine.length, text: `${separate ? '\n\n' : '\n'}${body.replace(/\n$/, '')}` };
}

export function placeSnippet(lines: readonly string[], code: string, at: { line: number; character: number }, restClient: boolean): Placement {
  const body = code.endsWith('\n') ? code : `${code}\n`;
  if (restClient) {
    for (let l = Math.min(at.line, lines.length); l < lines.length; l++) {
      if (!/^#{3,}/.test(lines[l] as string)) continue;
      const afterBlank = l === 0 || (lines[l - 1] ?? '').trim() === '';
      return { line: l, character: 0, text: `${afterBlank ? '' : '\n'}${body}\n` };
    }
    return append(lines, body, true);
  }
  // After the file's last code, a blank line keeps the snippet apart (as between two requests of a .http file).
  if (at.line >= lines.length) return append(lines, body, true);
  if (at.character > 0) {
    // Mid-line: the code starts on a line of its own.
    return { line: at.line, character: Math.min(at.character, (lines[at.line] ?? '').length), text: `\n${indent(body, indentOf(lines[at.line]))}` };
  }
  const above = indentOf(lines[at.line - 1]);
  let next: string | undefined;
  for (let l = at.line; l < Math.min(lines.length, at.line + 5) && next === undefined; l++) if ((lines[l] as string).trim() !== '') next = lines[l];
  const below = indentOf(next);
  return { line: at.line, character: 0, text: indent(body, below.length > above.length ? below : above) };
}
