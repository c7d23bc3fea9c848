/**
 * The response body: lines of text, JSON highlighted token by token (each token a text node or a span with
 * `textContent`). Small bodies are rendered whole (so select-all and find work); large ones are virtualised —
 * only the lines in view (plus a margin) exist in the DOM, and a line's text is made from the body when it is
 * drawn (see bodyLines.ts) — so a 5 MB answer stays responsive.
 */
import type { BodyLines } from './bodyLines';
import { virtualWindow } from './bodyLines';
import { h } from './dom';
import { tokenizeJsonLine } from './jsonTokens';

/** Up to this many lines are rendered at once; more are virtualised. */
export const FULL_RENDER_LINES = 3000;
const OVERSCAN = 40;

export function renderLine(line: string, highlight: boolean, into: Node): void {
  if (!highlight) {
    into.appendChild(document.createTextNode(line));
    return;
  }
  for (const token of tokenizeJsonLine(line)) {
    if (token.kind === 'space' || token.kind === 'punct') into.appendChild(document.createTextNode(token.text));
    else into.appendChild(h('span', { class: `tok-${token.kind}`, text: token.text }));
  }
}

export class BodyView {
  readonly element: HTMLElement;
  private readonly code: HTMLElement;
  private readonly spacer: HTMLElement | undefined;
  private lineHeight = 0;
  private padTop = 0;
  private padBottom = 0;
  private rendered: [number, number] = [-1, -1];
  private codeTop = Number.NaN;
  private frame = 0;
  private readonly resize: ResizeObserver | undefined;

  /** `lines` must be fully indexed (`lines.done`). */
  constructor(
    private readonly lines: BodyLines,
    private readonly highlight: boolean,
    label: string,
  ) {
    const count = lines.count;
    const virtual = count > FULL_RENDER_LINES;
    this.code = h('pre', { class: `body-code${highlight ? ' json' : ''}${virtual ? ' virtual' : ''}` });
    this.element = h('div', {
      class: `body-view${virtual ? ' virtual' : ''}`,
      attrs: { role: 'region', 'aria-label': label, tabindex: 0 },
    });
    if (!virtual) {
      const frag = document.createDocumentFragment();
      for (let i = 0; i < count; i++) {
        if (i > 0) frag.appendChild(document.createTextNode('\n'));
        renderLine(lines.line(i), highlight, frag);
      }
      this.code.appendChild(frag);
      this.element.appendChild(this.code);
      return;
    }
    // The spacer makes the scroll range and holds the drawn block; it clips the block vertically (never
    // horizontally: long lines scroll sideways) so drawn lines past the end never lengthen the range.
    this.spacer = h('div', { class: 'body-spacer' }, this.code);
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.element);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderWindow();
    });
  }

  private measure(): number {
    if (this.lineHeight > 0) return this.lineHeight;
    const probe = h('div', { class: 'body-line', text: 'M' });
    this.code.replaceChildren(probe);
    const height = probe.getBoundingClientRect().height;
    // Hidden (a tab not shown yet): measure again once visible.
    if (height === 0) return 0;
    this.lineHeight = height;
    const style = getComputedStyle(this.code);
    this.padTop = parseFloat(style.paddingTop) || 0;
    this.padBottom = parseFloat(style.paddingBottom) || 0;
    return height;
  }

  private renderWindow(): void {
    const lh = this.measure();
    if (lh === 0 || !this.spacer) return;
    const layout = virtualWindow({
      count: this.lines.count,
      lineHeight: lh,
      padTop: this.padTop,
      padBottom: this.padBottom,
      scrollTop: this.element.scrollTop,
      clientHeight: this.element.clientHeight,
      overscan: OVERSCAN,
    });
    // CSSOM, not a style attribute: the CSP allows this.
    const height = `${layout.spacerPx}px`;
    if (this.spacer.style.height !== height) this.spacer.style.height = height;
    if (layout.codeTop !== this.codeTop) {
      this.codeTop = layout.codeTop;
      this.code.style.transform = `translateY(${layout.codeTop}px)`;
    }
    if (layout.first === this.rendered[0] && layout.last === this.rendered[1]) return;
    this.rendered = [layout.first, layout.last];
    const frag = document.createDocumentFragment();
    for (let i = layout.first; i < layout.last; i++) {
      const row = h('div', { class: 'body-line' });
      renderLine(this.lines.line(i), this.highlight, row);
      frag.appendChild(row);
    }
    this.code.replaceChildren(frag);
  }

  /** Lines currently in the DOM (tests and diagnostics). */
  get renderedRange(): [number, number] {
    return this.rendered;
  }

  dispose(): void {
    this.resize?.disconnect();
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
  }
}
