/**
 * Where secrets must never be: every place besides SecretStorage that the credentials and auth suites
 * search after storing and using secrets (the window's log files, user and workspace settings, global
 * and workspace state, the telenor configuration).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';

/** Every file under `dir` (bounded), for searching logs and settings. */
export function filesUnder(dir: string, depth = 6): string[] {
  if (depth < 0 || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) out.push(...filesUnder(p, depth - 1));
    else if (st.size < 5_000_000) out.push(p);
  }
  return out;
}

/** The folder holding this window's logs (the extension host's, with the output channels' files). */
export function logsRoot(s: Services): string {
  // logUri = <logs>/<window>/exthost/<extension id>; the output channels log a level or two above it.
  return dirname(dirname(dirname(s.context.logUri.fsPath)));
}

/** The text of every place besides SecretStorage where a secret could end up by mistake. */
export function everywhereButSecretStorage(s: Services): string {
  const parts: string[] = [];
  for (const f of filesUnder(logsRoot(s))) parts.push(readFileSync(f, 'utf8'));
  // User settings sit next to globalStorage: <user data>/User/{settings.json,globalStorage/<ext>}.
  const userDir = dirname(dirname(s.context.globalStorageUri.fsPath));
  for (const f of ['settings.json', 'keybindings.json']) {
    const p = join(userDir, f);
    if (existsSync(p)) parts.push(readFileSync(p, 'utf8'));
  }
  const ws = process.env['TAE_WORKSPACE'];
  if (ws) for (const f of filesUnder(join(ws, '.vscode'), 1)) parts.push(readFileSync(f, 'utf8'));
  for (const state of [s.context.globalState, s.context.workspaceState]) {
    for (const key of state.keys()) parts.push(key, JSON.stringify(state.get(key) ?? null));
  }
  parts.push(JSON.stringify(vscode.workspace.getConfiguration('telenor')));
  return parts.join('\n');
}

