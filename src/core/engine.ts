// Entry of the lazily loaded engine bundle (dist/engine.js): re-exports the runtime parts of the core
// that pull in heavy dependencies (undici, httpsnippet, openapi-sampler).
export {};
