// Request panel (browser bundle).
export {};
