// `npm run sandbox` as a real process (the built dist/sandbox-cli.js): --json, --help, bad arguments,
// --verbose logging without secrets, and a clean exit on SIGTERM and SIGINT.

import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { request } from 'undici';
import { findUp } from '../../src/sandbox/specs';

function repoRoot(): string {
  const manifest = findUp(__dirname, ['package.json']);
  if (manifest === undefined) throw new Error('package.json not found above the test bundle');
  return dirname(manifest);
}

const CLI = join(repoRoot(), 'dist', 'sandbox-cli.js');

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function firstLine(r: Run, timeoutMs = 10_000): Promise<string> {
  const started = Date.now();
  while (!r.stdout().includes('\n')) {
    if (Date.now() - started > timeoutMs) throw new Error(`no output; stderr: ${r.stderr()}`);
    if (r.child.exitCode !== null) throw new Error(`exited ${r.child.exitCode}; stderr: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  return r.stdout().split('\n')[0] ?? '';
}

describe('sandbox CLI', function () {
  this.timeout(20_000);
  const running: Run[] = [];
  afterEach(() => {
    for (const r of running.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  });

  before(function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node esbuild.mjs first`);
  });

  it('--json prints one parseable line with the URL and demo credentials; SIGTERM exits 0', async () => {
    const r = run(['--port', '0', '--json', '--token-ttl', '30']);
    running.push(r);
    const info = JSON.parse(await firstLine(r)) as { url: string; port: number; tokenTtlSeconds: number; credentials: { no: { clientId: string } } };
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.tokenTtlSeconds, 30);
    assert.equal(info.credentials.no.clientId, 'sandbox-no-client');
    const res = await request(`${info.url}/oauth/v2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox-no-client:sandbox-no-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(((await res.body.json()) as { expires_in: string }).expires_in, '30');
    r.child.kill('SIGTERM');
    assert.deepEqual(await r.exit, { code: 0, signal: null });
    assert.equal(r.stdout().trim().split('\n').length, 1, 'exactly one line');
  });

  it('prints the base URL and credentials as text, and exits 0 on SIGINT', async () => {
    const r = run(['--port', '0']);
    running.push(r);
    const line = await firstLine(r);
    assert.match(line, /listening on http:\/\/127\.0\.0\.1:\d+/);
    await new Promise((res) => setTimeout(res, 100));
    assert.match(r.stdout(), /sandbox-se-key/);
    assert.match(r.stdout(), /api7813371375/);
    r.child.kill('SIGINT');
    assert.deepEqual(await r.exit, { code: 0, signal: null });
  });

  it('--verbose logs one line per request to stderr, secrets masked', async () => {
    const r = run(['--port', '0', '--json', '--verbose']);
    running.push(r);
    const { url } = JSON.parse(await firstLine(r)) as { url: string };
    const res = await request(`${url}/oauth/v2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sandbox-no-client:sandbox-no-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=password&username=api7813371375&password=sandbox-machine-password',
    });
    const token = ((await res.body.json()) as { access_token: string }).access_token;
    const api = await request(`${url}/organizations/v1/organizations`, { headers: { authorization: `Bearer ${token}` } });
    await api.body.dump();
    await new Promise((res) => setTimeout(res, 100));
    const log = r.stderr();
    assert.equal(log.trim().split('\n').length, 2, log);
    assert.match(log, /POST \/oauth\/v2\/token → 200/);
    for (const secret of [token, 'sandbox-machine-password', 'sandbox-no-secret', Buffer.from('sandbox-no-client:sandbox-no-secret').toString('base64')]) {
      assert.ok(!log.includes(secret), 'a secret reached the log');
    }
    assert.ok(!r.stdout().slice(r.stdout().indexOf('\n') + 1).trim(), 'nothing but the JSON line on stdout');
    r.child.kill('SIGTERM');
    assert.equal((await r.exit).code, 0);
  });

  it('--help prints usage and exits 0; a bad argument exits 2 with the usage on stderr', async () => {
    const help = run(['--help']);
    assert.equal((await help.exit).code, 0);
    assert.match(help.stdout(), /Usage: npm run sandbox/);
    assert.match(help.stdout(), /--token-ttl/);
    const bad = run(['--port', 'abc']);
    assert.equal((await bad.exit).code, 2);
    assert.match(bad.stderr(), /--port must be a whole number/);
    const unknown = run(['--bogus']);
    assert.equal((await unknown.exit).code, 2);
    assert.match(unknown.stderr(), /Usage:/);
  });

  it('a taken port exits 1 with a message saying what to do', async () => {
    const first = run(['--port', '0', '--json']);
    running.push(first);
    const { port } = JSON.parse(await firstLine(first)) as { port: number };
    const second = run(['--port', String(port)]);
    assert.equal((await second.exit).code, 1);
    assert.match(second.stderr(), /already in use.*another port/s);
    first.child.kill('SIGTERM');
    await first.exit;
  });
});
