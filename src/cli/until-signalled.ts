/** Resolves at the first SIGINT or SIGTERM (then stops listening): how long-running commands wait. */
export function untilSignalled(): Promise<void> {
  return new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
