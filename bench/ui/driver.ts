/**
 * The Node side of the UI benchmark's channel to its agent in the extension host: a loopback HTTP server the
 * agent long-polls (`GET <base>/next`) for calls and answers (`POST <base>/result/<id>`). The base URL holds
 * a random token, so nothing else on the machine that finds the port can drive the extension.
 *
 * Polling from the agent (rather than the agent serving) means the agent needs nothing but an outgoing
 * request, and the server learns the agent is alive from its first poll.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AgentCall, AgentJob, AgentReply } from './protocol';

/** An idle poll is answered with 204 after this long; the agent polls again. */
const POLL_HOLD_MS = 20_000;
const MAX_REPLY_BYTES = 1024 * 1024;

interface Pending {
  op: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class AgentDriver {
  private readonly queue: AgentJob[] = [];
  private readonly pending = new Map<number, Pending>();
  private waiting: { res: ServerResponse; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly token: string,
    /** What the agent is told to use: `http://127.0.0.1:<port>/<token>`. */
    readonly url: string,
  ) {}

  static async start(): Promise<AgentDriver> {
    const token = randomBytes(16).toString('hex');
    let driver: AgentDriver | undefined;
    const server = createServer((req, res) => {
      if (driver) driver.handle(req, res);
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    driver = new AgentDriver(server, token, `http://127.0.0.1:${port}/${token}`);
    return driver;
  }

  /** Queues a call and resolves with the agent's answer; rejects with its error, or after `timeoutMs`. */
  call<T>(call: AgentCall, timeoutMs = 180_000): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`agent call ${call.op}: the driver is closed`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
        reject(new Error(`agent call ${call.op} got no answer within ${limit} (is the extension host running the agent?)`));
      }, timeoutMs);
      this.pending.set(id, { op: call.op, resolve: (v) => resolve(v as T), reject, timer });
      this.queue.push({ id, call });
      this.flush();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const prefix = `/${this.token}/`;
    const path = req.url ?? '';
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const rest = path.slice(prefix.length);
    if (req.method === 'GET' && rest === 'next') {
      this.waiting?.res.writeHead(204).end();
      if (this.waiting) clearTimeout(this.waiting.timer);
      const timer = setTimeout(() => {
        if (this.waiting?.res === res) this.waiting = undefined;
        res.writeHead(204).end();
      }, POLL_HOLD_MS);
      this.waiting = { res, timer };
      this.flush();
      return;
    }
    const m = /^result\/(\d+)$/.exec(rest);
    if (req.method === 'POST' && m) {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_REPLY_BYTES) chunks.push(c);
      });
      req.on('end', () => {
        res.writeHead(204).end();
        this.settle(Number(m[1]), size > MAX_REPLY_BYTES ? { ok: false, error: 'the reply was too large' } : parseReply(Buffer.concat(chunks).toString('utf8')));
      });
      return;
    }
    res.writeHead(404).end();
  }

  private flush(): void {
    const waiting = this.waiting;
    const job = this.queue[0];
    if (!waiting || !job) return;
    this.queue.shift();
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    waiting.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(job));
  }

  private settle(id: number, reply: AgentReply): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(`agent call ${p.op} failed: ${reply.error}`));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.waiting) {
      clearTimeout(this.waiting.timer);
      this.waiting.res.writeHead(204).end();
      this.waiting = undefined;
    }
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`agent call ${p.op} (#${id}): the driver closed first`));
    }
    this.pending.clear();
    // Let the 204 above reach the agent; connections still open after a second are cut.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server.closeAllConnections(), 1000);
    await closed;
    clearTimeout(cut);
  }
}

function parseReply(text: string): AgentReply {
  try {
    const v = JSON.parse(text) as Partial<AgentReply>;
    if (v.ok === true) return { ok: true, value: (v as { value?: unknown }).value };
    if (v.ok === false && typeof (v as { error?: unknown }).error === 'string') return { ok: false, error: (v as { error: string }).error };
  } catch {
    // Fall through.
  }
  return { ok: false, error: 'the agent sent a reply that is not { ok, value | error }' };
}
