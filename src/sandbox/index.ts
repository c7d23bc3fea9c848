// Entry of the sandbox bundle (dist/sandbox.js), loaded lazily by the extension's "Start sandbox" command
// and imported directly by tests. The implementation arrives with the sandbox (docs/sandbox.md).

export interface SandboxOptions {
  /** Default 4711; 0 picks a free port. */
  port?: number;
  /** Access token (and X-JWT) lifetime in seconds. Default 3600. */
  tokenTtlSeconds?: number;
}

export interface DemoCredentials {
  se: { clientId: string; clientSecret: string; jwt: { clientId: string; userId: string; password: string } };
  no: {
    clientId: string;
    clientSecret: string;
    machineUser: { username: string; password: string };
    storesClient: { clientId: string; clientSecret: string };
  };
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` — no trailing slash. */
  url: string;
  port: number;
  credentials: DemoCredentials;
  close(): Promise<void>;
}

export declare function startSandbox(options?: SandboxOptions): Promise<RunningSandbox>;
