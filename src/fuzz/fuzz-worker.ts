/**
 * The worker thread that runs cases: source maps on (so crash frames name .ts lines), then the
 * case loop of case-worker.ts, loaded after.
 */
process.setSourceMapsEnabled(true);
await import('./case-worker.js');
