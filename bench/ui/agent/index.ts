/**
 * The UI benchmark's agent inside the extension host: the harness loads this folder as the extension-tests
 * entry, VS Code calls `run()`, and run() serves calls from bench/suites/ui.ts (through bench/ui/driver.ts)
 * until told to quit. It runs the extension's own commands with arguments — the one thing Chromium, which
 * does everything else as a person would, cannot do. It measures nothing itself.
 *
 *   TAE_BENCH_UI_DRIVER   the driver's base URL (set by the suite; code-server passes it to the host)
 */
import { request } from 'node:http';

import * as vscode from 'vscode';

import { describeError } from '../../../src/core/errors';
import type { Services } from '../../../src/extension/services';
import type { AgentCall, AgentInfo, AgentJob, AgentReply, ApiFacts } from '../protocol';

const EXTENSION_ID = 'telenor-devtools.telenor-api-explorer';

/** One HTTP exchange with the driver: the body of a 200 as text, undefined for a 204. */
function exchange(url: string, method: 'GET' | 'POST', body?: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 204) resolve(undefined);
        else if (res.statusCode === 200) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`the driver answered ${String(res.statusCode)}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function perform(services: Services, call: AgentCall): Promise<unknown> {
  switch (call.op) {
    case 'info':
      return { vscodeVersion: vscode.version, node: process.version } satisfies AgentInfo;
    case 'addSpecFile': {
      const keys = await vscode.commands.executeCommand<string[] | undefined>('telenor.addSpecFile', call.path);
      const key = keys?.[0];
      if (!key) throw new Error(`telenor.addSpecFile returned no key for ${call.path}`);
      const entry = services.specs.entries().find((e) => e.key === key);
      if (entry?.state !== 'loaded') {
        throw new Error(`${call.path} did not load (${entry?.state ?? 'not listed'}): ${entry?.problems[0]?.message ?? 'no problem reported'}`);
      }
      return key;
    }
    case 'removeSpec':
      return vscode.commands.executeCommand('telenor.removeSpec', call.key);
    case 'validated':
      await services.specs.whenValidated();
      return null;
    case 'api': {
      const api = services.specs.api(call.key);
      if (!api) throw new Error(`no API ${call.key} is loaded`);
      return {
        title: api.title,
        operationCount: Object.keys(api.operations).length,
        tags: api.tags.map((t) => ({ name: t.name, count: t.operationIds.length })),
      } satisfies ApiFacts;
    }
    case 'findOperation': {
      const api = services.specs.api(call.key);
      const found = Object.entries(api?.operations ?? {}).find(([, op]) => op.method === call.method && op.path === call.path);
      if (!found) throw new Error(`no ${call.method.toUpperCase()} ${call.path} in ${call.key}`);
      return found[0];
    }
    case 'openRequest':
      return vscode.commands.executeCommand('telenor.openRequest', {
        apiId: call.apiId,
        operationId: call.operationId,
        ...(call.values ? { values: call.values } : {}),
      });
    case 'quit':
      return null;
  }
}

export async function run(): Promise<void> {
  const base = process.env['TAE_BENCH_UI_DRIVER'];
  if (!base) throw new Error('TAE_BENCH_UI_DRIVER is not set: this agent is run by bench/suites/ui.ts (npm run bench)');
  const ext = vscode.extensions.getExtension<Services>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  const services = await ext.activate();
  for (;;) {
    // A failed poll means the driver is gone (the suite ended or crashed): nothing left to serve.
    const text = await exchange(`${base}/next`, 'GET');
    if (text === undefined) continue;
    const job = JSON.parse(text) as AgentJob;
    let reply: AgentReply;
    try {
      reply = { ok: true, value: (await perform(services, job.call)) ?? null };
    } catch (e) {
      reply = { ok: false, error: describeError(e) };
    }
    await exchange(`${base}/result/${job.id}`, 'POST', JSON.stringify(reply));
    if (job.call.op === 'quit') return;
  }
}
