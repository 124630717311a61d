/** A `ServiceLog` writing one JSON line per entry to stdout (what `serve`'s pino log looks like). */
import type { ServiceLog } from '../service/dimse/service-log.js';

export function jsonLineLog(
  write: (line: string) => void = (l) => process.stdout.write(l),
): ServiceLog {
  const entry = (level: number) => (fields: object, msg: string) =>
    write(`${JSON.stringify({ level, time: Date.now(), pid: process.pid, ...fields, msg })}\n`);
  return { info: entry(30), warn: entry(40), error: entry(50) };
}
