import * as vscode from 'vscode';

/** What one step of a multi-step input gave back. */
export type StepResult<T> = { kind: 'value'; value: T } | { kind: 'back' } | { kind: 'cancel' };

export interface StepFrame {
  title: string;
  step: number;
  totalSteps: number;
  /** Show the Back button (not on the first step the person actually sees). */
  back: boolean;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * One quick pick step. Escape (or focus moving away) cancels; the Back button goes back. Built on
 * `createQuickPick` rather than `showQuickPick` because only the former has step numbers and buttons.
 */
export function pickStep<T>(frame: StepFrame, placeholder: string, items: readonly PickItem<T>[], active?: T): Promise<StepResult<T>> {
  const qp = vscode.window.createQuickPick<PickItem<T>>();
  qp.title = frame.title;
  qp.step = frame.step;
  qp.totalSteps = frame.totalSteps;
  qp.placeholder = placeholder;
  qp.items = items;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  qp.buttons = frame.back ? [vscode.QuickInputButtons.Back] : [];
  const preselected = items.find((i) => i.value === active);
  if (preselected) qp.activeItems = [preselected];
  return run(qp, (settle) => [
    qp.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) settle({ kind: 'back' });
    }),
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen) settle({ kind: 'value', value: chosen.value });
    }),
  ]);
}

export interface TextStepOptions {
  prompt: string;
  placeholder: string;
  password: boolean;
  value?: string;
  /** A problem with the value as typed: errors block Enter, warnings only show. */
  validate(value: string): { message: string; severity: 'error' | 'warning' } | undefined;
}

/** One input box step, validated as the person types and again on Enter. */
export function textStep(frame: StepFrame, options: TextStepOptions): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.title = frame.title;
  box.step = frame.step;
  box.totalSteps = frame.totalSteps;
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.password = options.password;
  box.value = options.value ?? '';
  box.ignoreFocusOut = true;
  box.buttons = frame.back ? [vscode.QuickInputButtons.Back] : [];
  const show = (value: string, onAccept: boolean): boolean => {
    // An empty box is not an error until the person tries to continue with it.
    const problem = value === '' && !onAccept ? undefined : options.validate(value);
    box.validationMessage = problem
      ? {
          message: problem.message,
          severity: problem.severity === 'error' ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning,
        }
      : undefined;
    return problem?.severity !== 'error';
  };
  if (box.value !== '') show(box.value, false);
  return run(box, (settle) => [
    box.onDidChangeValue((v) => void show(v, false)),
    box.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) settle({ kind: 'back' });
    }),
    box.onDidAccept(() => {
      if (show(box.value, true)) settle({ kind: 'value', value: box.value.trim() });
    }),
  ]);
}

/** Shows `input`, resolves once with what the listeners settle (or cancel on hide), always disposes. */
function run<T>(input: vscode.QuickInput, listen: (settle: (r: StepResult<T>) => void) => vscode.Disposable[]): Promise<StepResult<T>> {
  return new Promise<StepResult<T>>((resolve) => {
    let done = false;
    const disposables: vscode.Disposable[] = [];
    const settle = (r: StepResult<T>): void => {
      if (done) return;
      done = true;
      resolve(r);
      for (const d of disposables) d.dispose();
      input.dispose();
    };
    disposables.push(...listen(settle), input.onDidHide(() => settle({ kind: 'cancel' })));
    input.show();
  });
}
