/**
 * A full data folder: `ENOSPC` (or `EDQUOT`, over a quota) from the file system, `SQLITE_FULL`
 * from the store. The receivers answer it as a refusal that stores nothing (HTTP 507, C-STORE
 * 0xA700), an analysis ends `failed` with this reason; the service itself keeps running.
 */

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/** The `{ error }` of an upload or STOW-RS request refused for a full disk (HTTP 507). */
export const UPLOAD_DISK_FULL_MESSAGE =
  'the data folder is full: the upload was not stored (free space on the server, then send it again)';

/** The `{ error }` of another request whose audit row could not be written (HTTP 507). */
export const REQUEST_DISK_FULL_MESSAGE =
  'the data folder is full: the request could not be recorded (free space on the server)';

/** The reason of an analysis whose outputs could not be written. */
export const ANALYSIS_DISK_FULL_REASON =
  'the data folder is full (no space left on device): the outputs could not be written';

/** HTTP 507 Insufficient Storage. */
export const INSUFFICIENT_STORAGE = 507;

/** Whether the error says the disk (or the quota) is full. */
export function isDiskFullError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && DISK_FULL_CODES.has(code);
}
