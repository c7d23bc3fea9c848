import * as vscode from 'vscode';
import { describeError, isErrorKind } from '../core/errors';
import type { CommandId } from './commandIds';
import type { Log } from './log';

export { COMMAND_IDS, type CommandId } from './commandIds';

export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandTable = Partial<Record<CommandId, CommandHandler>>;

/**
 * Registers a table of handlers. Each handler is wrapped so that a failure becomes one clear error
 * notification plus a log line, instead of an unhandled rejection that VS Code reports as a bare stack.
 * Cancellation is silent: the person asked for it. The handler's return value is passed through (tests
 * and other commands use it).
 */
export function registerCommands(table: CommandTable, log: Log): vscode.Disposable {
  const disposables = Object.entries(table).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as CommandHandler)(...args);
      } catch (e) {
        if (isErrorKind(e, 'cancelled')) return undefined;
        log.error(`${id} failed:`, e);
        void vscode.window.showErrorMessage(describeError(e));
        return undefined;
      }
    }),
  );
  return vscode.Disposable.from(...disposables);
}
