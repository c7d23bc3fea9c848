/**
 * The response body: lines of text, JSON highlighted token by token (each token a text node or a span with
 * `textContent`). Small bodies are rendered whole (so select-all and find work); large ones are virtualised —
 * only the lines in view (plus a margin) exist in the DOM — so a 5 MB answer stays responsive.
 */
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
  private rendered: [number, number] = [-1, -1];
  private frame = 0;
  private readonly resize: ResizeObserver | undefined;

  constructor(
    private readonly lines: readonly string[],
    private readonly highlight: boolean,
    label: string,
  ) {
    const virtual = lines.length > FULL_RENDER_LINES;
    this.code = h('pre', { class: `body-code${highlight ? ' json' : ''}${virtual ? ' virtual' : ''}` });
    this.element = h('div', {
      class: `body-view${virtual ? ' virtual' : ''}`,
      attrs: { role: 'region', 'aria-label': label, tabindex: 0 },
    });
    if (!virtual) {
      const frag = document.createDocumentFragment();
      lines.forEach((line, i) => {
        if (i > 0) frag.appendChild(document.createTextNode('\n'));
        renderLine(line, highlight, frag);
      });
      this.code.appendChild(frag);
      this.element.appendChild(this.code);
      return;
    }
    this.spacer = h('div', { class: 'body-spacer', attrs: { 'aria-hidden': 'true' } });
    this.element.append(this.spacer, this.code);
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
    // CSSOM, not a style attribute: the CSP allows this.
    if (this.spacer) this.spacer.style.height = `${this.lines.length * height}px`;
    return height;
  }

  private renderWindow(): void {
    const lh = this.measure();
    if (lh === 0) return;
    const top = this.element.scrollTop;
    const visible = Math.ceil(this.element.clientHeight / lh) + 1;
    const first = Math.max(0, Math.floor(top / lh) - OVERSCAN);
    const last = Math.min(this.lines.length, Math.floor(top / lh) + visible + OVERSCAN);
    if (first === this.rendered[0] && last === this.rendered[1]) return;
    this.rendered = [first, last];
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = h('div', { class: 'body-line' });
      renderLine(this.lines[i] ?? '', this.highlight, row);
      frag.appendChild(row);
    }
    this.code.replaceChildren(frag);
    this.code.style.transform = `translateY(${first * lh}px)`;
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
