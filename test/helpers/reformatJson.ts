/** The whole body as the panel shows it, joined with `\n`: every display line of a `JsonLines` index. */
import { JsonLines } from '../../src/webview/bodyLines';

export function reformatJson(text: string, indentUnit = '  '): string {
  const lines = new JsonLines(text, indentUnit);
  lines.advance(Number.POSITIVE_INFINITY);
  const out: string[] = [];
  for (let i = 0; i < lines.count; i++) out.push(lines.line(i));
  return out.join('\n');
}
