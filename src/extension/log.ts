import * as vscode from 'vscode';
import { describeError } from '../core/errors';
import type { Redactor } from '../core/util/redact';

/**
 * The extension's log: a LogOutputChannel (levels, timestamps, "Set Log Level…") where every line passes
 * through the shared Redactor first. Nothing else in the extension writes to an output channel or the
 * console, so this is the one place secrets could leak into a log — and the one place they are masked.
 */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(
    private readonly redactor: Redactor,
    channel?: vscode.LogOutputChannel,
  ) {
    this.channel = channel ?? vscode.window.createOutputChannel('Telenor API Explorer', { log: true });
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.format(message, args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.format(message, args));
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.format(message, args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.format(message, args));
  }

  error(message: string, ...args: unknown[]): void {
    this.channel.error(this.format(message, args));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private format(message: string, args: unknown[]): string {
    const parts = [message];
    for (const a of args) {
      if (a instanceof Error || (typeof a === 'object' && a !== null && 'isTelenorError' in a)) parts.push(describeError(a));
      else if (typeof a === 'string') parts.push(a);
      else {
        try {
          parts.push(JSON.stringify(a));
        } catch {
          parts.push(String(a));
        }
      }
    }
    return this.redactor.redact(parts.join(' '));
  }
}
