/**
 * Runs the CLI in this process and, on exit, prints the peak resident memory (KiB) on stderr
 * as the last line `maxRssKb N` — the analyze benchmark reads it.
 */
process.on('exit', () => {
  process.stderr.write(`\nmaxRssKb ${process.resourceUsage().maxRSS}\n`);
});
await import('../src/cli/main.js');
