// Worker thread entry (dist/specWorker.js): parses and indexes specs off the extension host's main thread.
export {};
