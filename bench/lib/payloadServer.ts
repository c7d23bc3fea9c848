/**
 * The loopback server for the send benchmarks, run in a worker thread (see `startPayloadServer`): on its own
 * event loop, its CPU time is not charged to whichever client happens to be measured, as it would be if it
 * shared the client's thread.
 *
 *   GET /json/<bytes>    a JSON array of records, about <bytes> long, prebuilt once per size
 *   GET /stream/<bytes>  <bytes> of JSON-ish text streamed in 64 KiB writes, honouring backpressure
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

function jsonOf(bytes: number): Buffer {
  const records: unknown[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const r = { id: i, name: `store-${i}`, city: 'Oslo', open: i % 3 !== 0, tags: ['mobile', 'broadband'] };
    size += JSON.stringify(r).length + 1;
    records.push(r);
  }
  return Buffer.from(JSON.stringify(records));
}

function stream(res: ServerResponse, total: number): void {
  const block = Buffer.alloc(64 * 1024, '{"k":"v"},');
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(total) });
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const chunk = total - sent >= block.length ? block : block.subarray(0, total - sent);
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

function serve(): void {
  const cache = new Map<number, Buffer>();
  const server = createServer((req, res) => {
    const m = /^\/(json|stream)\/(\d+)$/.exec(req.url ?? '');
    const bytes = Number(m?.[2]);
    if (!m || !Number.isFinite(bytes)) {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    if (m[1] === 'stream') return stream(res, bytes);
    let body = cache.get(bytes);
    if (!body) cache.set(bytes, (body = jsonOf(bytes)));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => parentPort?.postMessage((server.address() as AddressInfo).port));
}

if (!isMainThread && parentPort) serve();

export interface PayloadServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server in a worker running this file's own bundle (out/bench/lib/payloadServer.js). */
export function startPayloadServer(repoRoot: string): Promise<PayloadServer> {
  const worker = new Worker(join(repoRoot, 'out', 'bench', 'lib', 'payloadServer.js'));
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (port: number) => {
      resolve({ url: `http://127.0.0.1:${port}`, close: () => worker.terminate().then(() => undefined) });
    });
  });
}
