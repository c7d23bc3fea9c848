/**
 * The UI benchmark's channel to its agent in the extension host (bench/ui/driver.ts), over real loopback
 * HTTP, with a client that polls and answers the way bench/ui/agent does.
 */
import * as assert from 'node:assert/strict';
import { request } from 'node:http';

import { AgentDriver } from '../../bench/ui/driver';
import type { AgentJob, AgentReply } from '../../bench/ui/protocol';

function exchange(url: string, method: 'GET' | 'POST', body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One poll; the job it got (undefined for a 204). */
async function poll(driver: AgentDriver): Promise<AgentJob | undefined> {
  const r = await exchange(`${driver.url}/next`, 'GET');
  if (r.status === 204) return undefined;
  assert.equal(r.status, 200);
  return JSON.parse(r.text) as AgentJob;
}

async function answer(driver: AgentDriver, id: number, reply: AgentReply): Promise<void> {
  const r = await exchange(`${driver.url}/result/${id}`, 'POST', JSON.stringify(reply));
  assert.equal(r.status, 204);
}

describe('bench UI driver (bench/ui/driver.ts)', function () {
  let driver: AgentDriver;

  beforeEach(async function () {
    driver = await AgentDriver.start();
  });

  afterEach(async function () {
    await driver.close();
  });

  it('delivers a call to a polling agent and resolves with its answer', async function () {
    const polled = poll(driver);
    const call = driver.call<string>({ op: 'addSpecFile', path: '/tmp/spec.json' });
    const job = await polled;
    assert.deepEqual(job?.call, { op: 'addSpecFile', path: '/tmp/spec.json' });
    await answer(driver, job.id, { ok: true, value: 'file:/tmp/spec.json' });
    assert.equal(await call, 'file:/tmp/spec.json');
  });

  it('keeps calls queued until the agent polls, in order', async function () {
    const first = driver.call<number>({ op: 'info' });
    const second = driver.call<number>({ op: 'validated' });
    const a = await poll(driver);
    const b = await poll(driver);
    assert.deepEqual([a?.call.op, b?.call.op], ['info', 'validated']);
    // Answered out of order: each reply still finds its call.
    await answer(driver, b?.id ?? -1, { ok: true, value: 2 });
    await answer(driver, a?.id ?? -1, { ok: true, value: 1 });
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  });

  it("rejects with the agent's error, naming the call", async function () {
    const call = driver.call({ op: 'removeSpec', key: 'nope' });
    const job = await poll(driver);
    await answer(driver, job?.id ?? -1, { ok: false, error: 'That spec is not in the list.' });
    await assert.rejects(call, /agent call removeSpec failed: That spec is not in the list\./);
  });

  it('refuses requests without the token, and the queued call stays for the real agent', async function () {
    const call = driver.call<null>({ op: 'quit' });
    const base = driver.url.slice(0, driver.url.lastIndexOf('/'));
    assert.equal((await exchange(`${base}/wrong-token/next`, 'GET')).status, 404);
    assert.equal((await exchange(`${base}/next`, 'GET')).status, 404);
    const job = await poll(driver);
    assert.equal(job?.call.op, 'quit');
    await answer(driver, job.id, { ok: true, value: null });
    assert.equal(await call, null);
  });

  it('a malformed reply rejects the call instead of resolving it with garbage', async function () {
    const call = driver.call({ op: 'info' });
    const job = await poll(driver);
    const r = await exchange(`${driver.url}/result/${job?.id ?? -1}`, 'POST', '{"value": 1}');
    assert.equal(r.status, 204);
    await assert.rejects(call, /not \{ ok, value \| error \}/);
  });

  it('gives up on a call nobody answers, saying which', async function () {
    await assert.rejects(driver.call({ op: 'api', key: 'k' }, 50), /agent call api got no answer within 50 ms/);
  });

  it('close() rejects pending calls and releases a waiting poll', async function () {
    const polled = poll(driver);
    // Let the poll arrive and be held before closing.
    await new Promise((r) => setTimeout(r, 50));
    const call = driver.call({ op: 'info' }, 5_000);
    const job = await polled;
    assert.equal(job?.call.op, 'info');
    const held = poll(driver);
    await new Promise((r) => setTimeout(r, 50));
    const rejected = assert.rejects(call, /the driver closed first/);
    await driver.close();
    await rejected;
    assert.equal(await held, undefined);
    await assert.rejects(driver.call({ op: 'info' }), /the driver is closed/);
  });
});
