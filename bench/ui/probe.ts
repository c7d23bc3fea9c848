/**
 * Functions the UI benchmark runs inside the browser (the workbench page, or the request panel's webview
 * frame) with Playwright's `frame.evaluate`. Each is serialised on its own, so each must be self-contained:
 * no imports, no module-level helpers, only its argument and the page's globals.
 *
 * Times are epoch milliseconds with sub-millisecond precision (`performance.timeOrigin + performance.now()`),
 * so a time taken in Node, in the workbench and in a webview frame can be compared: all three read the same
 * system clock.
 *
 * How a step is timed: `armStep` starts a requestAnimationFrame loop that checks a condition on the DOM once
 * per frame; the benchmark then does what a person does (a click, a key); the loop records the frame in
 * which the condition first held (`seenAt`) and the next frame callback (`paintedAt`): by then the frame
 * that shows the result has been produced. Between arming and painting it records the longest gap between
 * frames, and a PerformanceObserver records the frame's long tasks (> 50 ms on its main thread).
 */

export type Condition =
  /** A tree row with this label at this level (1 = API, 2 = tag), collapsed, or expanded with its first child row shown. */
  | { kind: 'treeRow'; label: string; level: number; state: 'collapsed' | 'expanded' }
  /** The tree's last row has the keyboard focus (End was pressed and the list scrolled to it). */
  | { kind: 'treeLastFocused' }
  /** A new `sendResult` reached the webview and its body is on screen and scrollable. */
  | { kind: 'bodyRendered' }
  /** The body view is scrolled down and its last line, `lastLine`, is rendered inside it. */
  | { kind: 'bodyEnd'; lastLine: string };

export interface LongTask {
  /** Epoch ms. */
  start: number;
  duration: number;
}

export interface StepTimes {
  armedAt: number;
  /** The last pointerdown / keydown in this frame after arming (the person's action), if any. */
  inputAt?: number;
  /** When the `sendResult` message reached the webview (bodyRendered only). */
  messageAt?: number;
  seenAt: number;
  paintedAt: number;
  /** The longest gap between two animation frames from arming to painting. */
  maxFrameGapMs: number;
  frames: number;
  /** Long tasks of this frame's thread that overlap [armedAt, paintedAt]. */
  longTasks: LongTask[];
  longTasksObserved: boolean;
}

export type StepResult = { ok: true; times: StepTimes } | { ok: false; error: string };

/** Installs the recorder once per document: long tasks, the last input, the last `sendResult` message. */
export function installProbe(): boolean {
  const w = window as unknown as { __taeProbe?: unknown };
  if (w.__taeProbe) return true;
  const now = (): number => performance.timeOrigin + performance.now();
  const probe = { longTasks: [] as LongTask[], longTasksObserved: false, inputAt: 0, messageAt: 0, step: undefined as unknown };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    probe.longTasksObserved = true;
  } catch {
    // No Long Tasks API here: frame gaps still say how long the thread was blocked.
  }
  const mark = (): void => {
    probe.inputAt = now();
  };
  window.addEventListener('pointerdown', mark, true);
  window.addEventListener('keydown', mark, true);
  // The event's timeStamp is when it was created, i.e. when the message reached this frame: this listener
  // may run only after the panel's own, which renders the response in the same task.
  window.addEventListener(
    'message',
    (e: MessageEvent<unknown>) => {
      const data = e.data as { type?: unknown } | null;
      if (data && typeof data === 'object' && data.type === 'sendResult') probe.messageAt = performance.timeOrigin + e.timeStamp;
    },
    true,
  );
  w.__taeProbe = probe;
  return probe.longTasksObserved;
}

/** Starts timing a step: call right before the action that should make `condition` true. */
export function armStep(arg: { condition: Condition; timeoutMs: number }): void {
  interface Probe {
    longTasks: LongTask[];
    longTasksObserved: boolean;
    inputAt: number;
    messageAt: number;
    step: unknown;
  }
  const probe = (window as unknown as { __taeProbe?: Probe }).__taeProbe;
  if (!probe) throw new Error('armStep before installProbe');
  const now = (): number => performance.timeOrigin + performance.now();
  const c = arg.condition;
  const armedAt = now();
  const inputBefore = probe.inputAt;
  const messageBefore = probe.messageAt;
  const step: { done: boolean; result?: StepResult } = { done: false };
  probe.step = step;

  const text = (el: Element | null | undefined): string => (el?.textContent ?? '').trim();
  const check = (): boolean => {
    switch (c.kind) {
      case 'treeRow': {
        const rows = Array.from(document.querySelectorAll('.part.sidebar .monaco-list-row[role="treeitem"]'));
        const row = rows.find((r) => r.getAttribute('aria-level') === String(c.level) && text(r.querySelector('.label-name')) === c.label);
        if (!row) return false;
        if (c.state === 'collapsed') return row.getAttribute('aria-expanded') === 'false';
        if (row.getAttribute('aria-expanded') !== 'true') return false;
        // Its first child is the next row in the list, one level deeper.
        const next = rows.find((r) => Number(r.getAttribute('data-index')) === Number(row.getAttribute('data-index')) + 1);
        return next?.getAttribute('aria-level') === String(c.level + 1);
      }
      case 'treeLastFocused':
        return document.querySelector('.part.sidebar .monaco-list-row.focused[data-last-element="true"]') !== null;
      case 'bodyRendered': {
        if (probe.messageAt <= messageBefore) return false;
        const view = document.querySelector('.body-view');
        if (!view || view.scrollHeight <= view.clientHeight) return false;
        return !view.classList.contains('virtual') || view.querySelector('.body-line') !== null;
      }
      case 'bodyEnd': {
        const view = document.querySelector('.body-view');
        if (!view || view.scrollTop === 0) return false;
        const lines = view.querySelectorAll('.body-line');
        const lastLine = lines[lines.length - 1];
        // Virtualised: the last line is in the DOM and (at least partly) inside the view.
        if (lastLine) return lastLine.textContent === c.lastLine && lastLine.getBoundingClientRect().top < view.getBoundingClientRect().bottom;
        return view.scrollTop + view.clientHeight >= view.scrollHeight - 2 && (view.textContent ?? '').trimEnd().endsWith(c.lastLine);
      }
    }
  };

  let last = armedAt;
  let maxGap = 0;
  let frames = 0;
  let seenAt = 0;
  const tick = (): void => {
    const t = now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
    frames++;
    if (seenAt > 0) {
      const longTasks = probe.longTasks.filter((l) => l.start + l.duration >= armedAt && l.start <= t);
      const times: StepTimes = { armedAt, seenAt, paintedAt: t, maxFrameGapMs: maxGap, frames, longTasks, longTasksObserved: probe.longTasksObserved };
      if (probe.inputAt > inputBefore) times.inputAt = probe.inputAt;
      if (probe.messageAt > messageBefore) times.messageAt = probe.messageAt;
      step.result = { ok: true, times };
      step.done = true;
      return;
    }
    let seen = false;
    try {
      seen = check();
    } catch (e) {
      step.result = { ok: false, error: `checking ${c.kind} threw: ${String(e)}` };
      step.done = true;
      return;
    }
    if (seen) seenAt = t;
    else if (t - armedAt > arg.timeoutMs) {
      step.result = { ok: false, error: `${c.kind} did not happen within ${arg.timeoutMs} ms` };
      step.done = true;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Resolves with the armed step's result once it is done (polled, so it never outlives the step's own timeout by much). */
export function awaitStep(): Promise<StepResult> {
  const probe = (window as unknown as { __taeProbe?: { step?: { done: boolean; result?: StepResult } } }).__taeProbe;
  return new Promise((resolve) => {
    const poll = (): void => {
      const step = probe?.step;
      if (!step) resolve({ ok: false, error: 'no step was armed' });
      else if (step.done) resolve(step.result ?? { ok: false, error: 'the step ended without a result' });
      else setTimeout(poll, 10);
    };
    poll();
  });
}

/**
 * Jumps the response body to its end, as dragging its scroll bar to the bottom does, and marks that as the
 * input. (The End key would do the same through Chromium's smooth-scroll animation, about 150 ms of which is
 * the animation's own length, not the panel's work.)
 */
export function jumpToEnd(): void {
  const probe = (window as unknown as { __taeProbe?: { inputAt: number } }).__taeProbe;
  const view = document.querySelector('.body-view');
  if (!probe || !view) throw new Error('jumpToEnd: no probe or no response body');
  probe.inputAt = performance.timeOrigin + performance.now();
  view.scrollTop = view.scrollHeight;
}

/** Keeps a response body in the frame for `parseAndPrint` (not timed). */
export function keepBody(body: string): number {
  (window as unknown as { __taeBody?: string }).__taeBody = body;
  return body.length;
}

/** The baseline in the webview frame: `JSON.parse` + `JSON.stringify(…, null, 2)` of the kept body, in ms. */
export function parseAndPrint(): number {
  const body = (window as unknown as { __taeBody?: string }).__taeBody;
  if (body === undefined) throw new Error('parseAndPrint before keepBody');
  const t0 = performance.now();
  const printed = JSON.stringify(JSON.parse(body), null, 2);
  const ms = performance.now() - t0;
  if (printed.length < body.length) throw new Error('the pretty-printed body is shorter than the body');
  return ms;
}
