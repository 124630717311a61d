/** One input file in memory: its bytes and the name it had (for messages and selection). */
export interface InputFile {
  /** Path relative to the input (or the zip entry name), for messages. */
  readonly name: string;
  readonly bytes: Uint8Array;
}
