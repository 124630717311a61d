/** One line for an error that is not a clean refusal: its message and where it was thrown. */

export interface CrashInfo {
  readonly message: string;
  /** The first stack frame. */
  readonly frame?: string;
  /** The first frame in the project's own code ('src/…:line'), when there is one. */
  readonly sourceFrame?: string;
}

const MAX_MESSAGE = 300;

export function crashInfo(e: unknown): CrashInfo {
  const err = e instanceof Error ? e : undefined;
  const text = err ? `${err.name}: ${err.message}` : `thrown ${typeof e}: ${String(e)}`;
  const message = (text.split('\n')[0] ?? '').slice(0, MAX_MESSAGE);
  const frames = (err?.stack ?? '')
    .split('\n')
    .filter((l) => l.startsWith('    at '))
    .map((l) => l.trim().slice(3));
  const frame = frames[0];
  const own = frames.find((f) => /\bsrc\/.+\.[jt]s:\d+/.test(f) && !f.includes('/fuzz/'));
  const sourceFrame = own ? /(src\/[^:()]+\.[jt]s:\d+)/.exec(own)?.[1] : undefined;
  return { message, ...(frame && { frame }), ...(sourceFrame && { sourceFrame }) };
}
