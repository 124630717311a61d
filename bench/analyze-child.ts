/**
 * Runs the CLI in this process and, on exit, prints the peak resident memory (KiB) on stderr
 * as the last line `maxRssKb N` — the analyze benchmark reads it. Linux: VmHWM from
 * /proc/self/status, the high-water mark of this program's own memory. `resourceUsage().maxRSS`
 * is not used there: after fork + exec it carries the *parent's* peak (the benchmark process,
 * which holds the synthetic inputs), so every input read the same ~1.1 GB.
 */
import { readFileSync } from 'node:fs';

function peakKb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  process.stderr.write(`\nmaxRssKb ${peakKb()}\n`);
});
await import('../src/cli/main.js');
