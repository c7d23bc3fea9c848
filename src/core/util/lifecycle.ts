/**
 * Pure-Node lifecycle helpers. Structurally compatible with `vscode.Disposable`, so the extension layer
 * can register VS Code disposables here and core modules can use the same base without importing vscode.
 */

export interface IDisposable {
  dispose(): unknown;
}

export function toDisposable(fn: () => unknown): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return undefined;
      done = true;
      return fn();
    },
  };
}

/**
 * Owns a set of disposables. Anything registered after `dispose()` is disposed at once, so a late
 * async registration (a worker that finished starting after the owner went away) cannot leak.
 */
export class Disposable implements IDisposable {
  private readonly owned = new Set<IDisposable>();
  private disposedFlag = false;

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  protected register<T extends IDisposable>(d: T): T {
    if (this.disposedFlag) {
      void d.dispose();
    } else {
      this.owned.add(d);
    }
    return d;
  }

  /** Forget `d` without disposing it (its owner changed, or it disposed itself). */
  protected unregister(d: IDisposable): void {
    this.owned.delete(d);
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const errors: unknown[] = [];
    // Reverse order: things registered later usually depend on things registered earlier.
    for (const d of [...this.owned].reverse()) {
      try {
        void d.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    this.owned.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose');
  }
}

/** A minimal typed event, structurally like `vscode.Event`, for core modules. */
export type Listener<T> = (value: T) => unknown;
export type Event<T> = (listener: Listener<T>) => IDisposable;

export class Emitter<T> implements IDisposable {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // A listener's failure must not stop the others or the firing code path.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
