/**
 * Application Entity titles and push destinations. An AE title is 1–16 characters of the
 * default character repertoire without a backslash or control characters; leading and trailing
 * spaces are not significant. A destination is `AE@host:port` (e.g. `PACS@10.0.0.5:104`).
 */
import { UserInputError } from '../../core/errors.js';

export interface DicomDestination {
  readonly aeTitle: string;
  readonly host: string;
  readonly port: number;
}

/** The AE title, trimmed; throws a `UserInputError` naming `what` when it is not one. */
export function checkAeTitle(title: string, what = 'AE title'): string {
  const trimmed = title.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed.length === 0 || trimmed.length > 16 || /[\\\x00-\x1f\x7f-\uffff]/.test(trimmed))
    throw new UserInputError(
      `${what} must be 1 to 16 characters without a backslash, got '${title}'`,
      'bad-ae-title',
    );
  return trimmed;
}

/** Parses `AE@host:port`. */
export function parseDestination(text: string): DicomDestination {
  const match = /^([^@]+)@(.+):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !(port >= 1 && port <= 65535))
    throw new UserInputError(`--push wants AE@host:port, got '${text}'`, 'bad-destination');
  const host = match[2]!.replace(/^\[(.*)\]$/, '$1');
  return { aeTitle: checkAeTitle(match[1]!, 'the destination AE title'), host, port };
}

/** How a destination is named in the store and the log. */
export function destinationName(d: DicomDestination): string {
  return `${d.aeTitle}@${d.host}:${d.port}`;
}
