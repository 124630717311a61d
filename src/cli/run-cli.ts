/**
 * Runs a CLI action and turns failures into one clear line: input problems (UserInputError,
 * bad options) exit with code 2 and no stack trace; bugs exit 1 and show the stack only when
 * NEUROTRIAGE_DEBUG is set.
 */
import { isUserInputError } from '../core/errors.js';

export const EXIT_USER_ERROR = 2;
export const EXIT_INTERNAL_ERROR = 1;

export function reportError(e: unknown): number {
  if (isUserInputError(e)) {
    process.stderr.write(`neurotriage: ${e.message}\n`);
    return EXIT_USER_ERROR;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOSPC') {
    process.stderr.write(`neurotriage: ${err.message}\n`);
    return EXIT_USER_ERROR;
  }
  process.stderr.write(`neurotriage: internal error: ${err.message}\n`);
  if (process.env.NEUROTRIAGE_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
  else process.stderr.write('(set NEUROTRIAGE_DEBUG=1 for details)\n');
  return EXIT_INTERNAL_ERROR;
}

export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<unknown>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
      // A wasm codec (GDCM) sets process.exitCode when it fails inside a series that was then
      // refused cleanly; the command itself succeeded.
      process.exitCode = 0;
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}
