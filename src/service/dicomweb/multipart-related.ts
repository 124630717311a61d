/**
 * `multipart/related` (RFC 2387, bodies per RFC 2046 §5.1), as DICOMweb uses it: reading a
 * buffered request body into its parts (STOW-RS), and writing parts as a stream (WADO-RS). The
 * body is binary: parts are found by the delimiter `CRLF--boundary` and sliced without copying;
 * only the part headers are read as text.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

/** A malformed body or Content-Type header (HTTP 400). */
export class MultipartError extends Error {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface MediaType {
  /** Lower case, e.g. `multipart/related`. */
  readonly essence: string;
  /** Parameter names lower case; quoted values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a Content-Type (or one Accept entry): `type/subtype; name=value; name="value"`. */
export function parseMediaType(header: string): MediaType {
  const [head = '', ...rest] = splitOutsideQuotes(header, ';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name) params[name] = value;
  }
  return { essence: head.trim().toLowerCase(), params };
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (c === separator && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

export interface BodyPart {
  /** Header names lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The part's content (a view into the request body). */
  readonly body: Uint8Array;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * Splits a complete multipart body into its parts. The preamble (before the first delimiter) and
 * the epilogue (after the close delimiter) are ignored; a body without a close delimiter, or
 * without any part, is refused.
 */
export function parseMultipart(body: Buffer, boundary: string): BodyPart[] {
  if (!/^[\x20-\x7e]{1,70}$/.test(boundary)) throw new MultipartError('invalid boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: BodyPart[] = [];
  // The first delimiter may start the body; every later one follows a CRLF.
  let at = body.subarray(0, delimiter.length).equals(delimiter)
    ? 0
    : indexOrFail(body, Buffer.from(`\r\n--${boundary}`), 0) + 2;
  for (;;) {
    let next = at + delimiter.length;
    if (body[next] === 0x2d && body[next + 1] === 0x2d) break; // the close delimiter `--`
    // Transport padding (spaces, tabs) then CRLF ends the delimiter line.
    while (body[next] === 0x20 || body[next] === 0x09) next++;
    if (body[next] !== 0x0d || body[next + 1] !== 0x0a)
      throw new MultipartError('malformed multipart body: bad delimiter line');
    const start = next + 2;
    const end = indexOrFail(body, Buffer.from(`\r\n--${boundary}`), start);
    parts.push(partOf(body.subarray(start, end)));
    at = end + 2;
  }
  if (parts.length === 0) throw new MultipartError('the multipart body has no parts');
  return parts;
}

function indexOrFail(body: Buffer, needle: Buffer, from: number): number {
  const i = body.indexOf(needle, from);
  if (i < 0) throw new MultipartError('malformed multipart body: no closing boundary');
  return i;
}

function partOf(raw: Buffer): BodyPart {
  // A part with no headers starts with the empty line directly.
  const empty = raw[0] === 0x0d && raw[1] === 0x0a;
  const split = empty ? 0 : raw.indexOf(CRLF_CRLF);
  if (split < 0) throw new MultipartError('malformed multipart body: part without a header end');
  const headers: Record<string, string> = {};
  if (!empty)
    for (const line of raw.subarray(0, split).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  const body = raw.subarray(empty ? 2 : split + 4);
  return { headers, body: new Uint8Array(body.buffer, body.byteOffset, body.length) };
}

export interface OutgoingPart {
  readonly contentType: string;
  /** Read when the part is sent (files are read one at a time). */
  readonly bytes: () => Uint8Array | Promise<Uint8Array>;
  readonly location?: string;
}

export interface MultipartStream {
  /** The response's Content-Type, with the boundary. */
  readonly contentType: string;
  readonly stream: Readable;
}

/** `multipart/related; type="<type>"` with the given parts, streamed part by part. */
export function multipartStream(type: string, parts: readonly OutgoingPart[]): MultipartStream {
  const boundary = `nt-${randomUUID()}`;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const part of parts) {
      const location = part.location ? `Content-Location: ${part.location}\r\n` : '';
      yield Buffer.from(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n${location}\r\n`);
      yield await part.bytes();
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return {
    contentType: `multipart/related; type="${type}"; boundary=${boundary}`,
    stream: Readable.from(chunks(), { objectMode: false }),
  };
}
