// Entry of the sandbox bundle (dist/sandbox.js), loaded lazily by the extension's "Start sandbox" command.
export {};
