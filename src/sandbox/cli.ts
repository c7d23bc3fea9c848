// `npm run sandbox -- [options]`: starts the sandbox and prints its base URL and demo credentials.
// Bundled to dist/sandbox-cli.js; not shipped in the extension.

import { parseArgs } from 'node:util';
import { describeError } from '../core/errors';
import { DEFAULT_PORT, startSandbox, type RunningSandbox, type SandboxOptions } from './index';

const USAGE = `Usage: npm run sandbox -- [options]

Starts a local emulator of Telenor's APIs (Sweden and Norway) on 127.0.0.1.

Options:
  -p, --port <n>          port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
      --token-ttl <s>     access token and X-JWT lifetime in seconds (default 3600)
      --code-ttl <s>      authorization code lifetime in seconds (default 60)
      --no-rate-limit     switch off the 42901 quota and 42902 spike arrest (load tests)
      --json              print one JSON line (url, port, demo credentials) instead of the table
  -v, --verbose           log one line per request to stderr (secrets masked)
  -h, --help              show this help

Stop with Ctrl+C (SIGINT) or SIGTERM.`;

/** The CLI's own seams, so tests can run it in-process too; the defaults are the real process. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  onSignal: (signal: NodeJS.Signals, handler: () => void) => void;
  exit: (code: number) => void;
}

const processIo: CliIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  onSignal: (s, h) => void process.once(s, h),
  exit: (code) => {
    process.exitCode = code;
  },
};

function whole(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, not "${raw}"`);
  return n;
}

function parse(argv: string[]): { help: true } | { help: false; json: boolean; options: SandboxOptions; verbose: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      'token-ttl': { type: 'string' },
      'code-ttl': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return { help: true };
  const options: SandboxOptions = {};
  const port = whole('port', values.port, 0);
  const tokenTtl = whole('token-ttl', values['token-ttl'], 1);
  const codeTtl = whole('code-ttl', values['code-ttl'], 1);
  if (port !== undefined) options.port = port;
  if (tokenTtl !== undefined) options.tokenTtlSeconds = tokenTtl;
  if (codeTtl !== undefined) options.codeTtlSeconds = codeTtl;
  if (values['no-rate-limit'] === true) options.rateLimit = false;
  return { help: false, json: values.json === true, options, verbose: values.verbose === true };
}

function banner(s: RunningSandbox, ttl: number): string {
  const { se, no } = s.credentials;
  return `Telenor sandbox listening on ${s.url}  (tokens live ${ttl} s)

  Sweden  consumer key / secret     ${se.clientId} / ${se.clientSecret}
          JWT clientId / userId     ${se.jwt.clientId} / ${se.jwt.userId}   password ${se.jwt.password}
  Norway  client id / secret        ${no.clientId} / ${no.clientSecret}
          machine user / password   ${no.machineUser.username} / ${no.machineUser.password}
          stores-only client        ${no.storesClient.clientId} / ${no.storesClient.clientSecret}

  Endpoints and specs: ${s.url}/   ·   Ctrl+C stops.
`;
}

export async function runCli(argv: string[], io: CliIo = processIo): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`sandbox: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return io.exit(2);
  }
  if (parsed.help) {
    io.out(`${USAGE}\n`);
    return io.exit(0);
  }
  const options: SandboxOptions = { ...parsed.options };
  if (parsed.verbose) options.logger = (line) => io.err(`${line}\n`);
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(options);
  } catch (e) {
    io.err(`sandbox: ${describeError(e)}\n`);
    return io.exit(1);
  }
  const ttl = options.tokenTtlSeconds ?? 3600;
  io.out(
    parsed.json
      ? `${JSON.stringify({ url: sandbox.url, port: sandbox.port, tokenTtlSeconds: ttl, credentials: sandbox.credentials })}\n`
      : banner(sandbox, ttl),
  );
  const stop = (): void => {
    sandbox.close().then(
      () => io.exit(0),
      () => io.exit(1),
    );
  };
  io.onSignal('SIGINT', stop);
  io.onSignal('SIGTERM', stop);
}

// Run only as the CLI bundle's entry, not when a test imports runCli.
if (require.main === module) void runCli(process.argv.slice(2));
