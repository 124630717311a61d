/**
 * `POST /studies` bodies: a multipart upload of DICOM files, a zip, or NIfTI files (with their
 * `.bval` sidecars), streamed part by part into a staging folder under the service's own file
 * names, hashed on the way. Over the size limit the upload is refused with 413 (from the
 * declared Content-Length before reading when it says so, else while streaming), and the
 * staging folder is removed by the caller.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { UserInputError } from '../core/errors.js';
import { InputNamer } from './input-names.js';
import type { StagedFile } from './study-intake.js';

/** An upload over the limit: HTTP 413. */
export class UploadTooLargeError extends UserInputError {
  override readonly name = 'UploadTooLargeError';
  readonly statusCode = 413;
  constructor(maxBytes: number) {
    super(`the upload is larger than the limit of ${maxBytes} bytes`, 'too-large');
  }
}

/** Multipart framing allowed on top of the files' bytes in a declared Content-Length. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

export function checkDeclaredLength(request: FastifyRequest, maxBytes: number): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES)
    throw new UploadTooLargeError(maxBytes);
}

export async function stageUpload(
  request: FastifyRequest,
  options: { readonly stagingDir: string; readonly maxBytes: number },
): Promise<StagedFile[]> {
  const namer = new InputNamer();
  const files: StagedFile[] = [];
  let totalBytes = 0;
  for await (const part of request.files()) {
    const storedName = namer.next(part.filename);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        totalBytes += chunk.length;
        if (totalBytes > options.maxBytes) return done(new UploadTooLargeError(options.maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(part.file, meter, createWriteStream(join(options.stagingDir, storedName)));
    } catch (e) {
      if (isTooLarge(e)) throw new UploadTooLargeError(options.maxBytes);
      throw e;
    }
    if (part.file.truncated) throw new UploadTooLargeError(options.maxBytes);
    files.push({ storedName, sizeBytes, sha256: hash.digest('hex') });
  }
  return files;
}

function isTooLarge(e: unknown): boolean {
  return (
    e instanceof UploadTooLargeError ||
    (typeof e === 'object' && e !== null && (e as { statusCode?: unknown }).statusCode === 413)
  );
}
