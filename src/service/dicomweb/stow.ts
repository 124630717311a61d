/**
 * STOW-RS (PS3.18 §10.5): `POST /studies` and `/studies/{study}` with a
 * `multipart/related; type="application/dicom"` body. The body is buffered up to the upload
 * limit (413 beyond it: the content-type parser in dicomweb-routes.ts), split into parts, and
 * every part parsed; the good instances are grouped by StudyInstanceUID and each group handed to
 * `StudyIntake.receiveInstances` (one study per StudyInstanceUID in the request). A bad request
 * (wrong content type 415, malformed body 400, too large 413) stores nothing.
 *
 * The answer is the store response in DICOM JSON: ReferencedSOPSequence (stored, each with its
 * RetrieveURL), FailedSOPSequence (each with its FailureReason), the study's RetrieveURL; status
 * 200 when every part was stored, 409 when some (or all) were not.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseDicom } from '../../io/dicom/parse-dicom.js';
import { TAGS, type DicomJson, attribute, sequence } from './dicom-json.js';
import { type DicomwebContext, dicomwebRoot, sendDicomJson } from './dicomweb-context.js';
import { instanceAttributes } from './instance-index.js';
import {
  type BodyPart,
  MultipartError,
  parseMediaType,
  parseMultipart,
} from './multipart-related.js';

/** PS3.4 C-STORE failure statuses used as FailureReason. */
export const FAILURE = {
  /** The part is not a DICOM instance we can read. */
  cannotUnderstand: 0xc000,
  /** Required UIDs missing, or another study than the URL names. */
  dataSetDoesNotMatch: 0xa900,
} as const;

/** A request we cannot take at all (415: not multipart/related of application/dicom). */
export class UnsupportedMediaTypeError extends Error {
  readonly statusCode = 415;
}

interface Stored {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopUid: string;
  readonly sopClassUid: string;
  readonly bytes: Uint8Array;
}

interface Failed {
  readonly sopUid?: string;
  readonly sopClassUid?: string;
  readonly reason: number;
}

/** The boundary of a STOW-RS request, or a 415/400 error. */
export function stowBoundary(contentType: string | undefined): string {
  const m = parseMediaType(contentType ?? '');
  if (m.essence !== 'multipart/related')
    throw new UnsupportedMediaTypeError(
      'STOW-RS takes multipart/related; type="application/dicom"',
    );
  const type = m.params.type?.toLowerCase();
  if (type !== undefined && type !== 'application/dicom')
    throw new UnsupportedMediaTypeError(
      `parts of type ${type} are not supported; send application/dicom`,
    );
  if (!m.params.boundary) throw new MultipartError('multipart/related without a boundary');
  return m.params.boundary;
}

/** Sorts the parts into instances to store and failures. */
export function sortParts(
  parts: readonly BodyPart[],
  studyUid: string | undefined,
): { stored: Stored[]; failed: Failed[] } {
  const stored: Stored[] = [];
  const failed: Failed[] = [];
  for (const part of parts) {
    const type = part.headers['content-type'];
    if (type !== undefined && parseMediaType(type).essence !== 'application/dicom') {
      failed.push({ reason: FAILURE.cannotUnderstand });
      continue;
    }
    let attributes: ReturnType<typeof instanceAttributes>;
    try {
      attributes = instanceAttributes(parseDicom(part.body));
    } catch {
      failed.push({ reason: FAILURE.cannotUnderstand });
      continue;
    }
    if (!attributes || (studyUid !== undefined && attributes.studyUid !== studyUid)) {
      failed.push({
        reason: FAILURE.dataSetDoesNotMatch,
        ...(attributes && { sopUid: attributes.sopUid, sopClassUid: attributes.sopClassUid }),
      });
      continue;
    }
    stored.push({ ...attributes, bytes: part.body });
  }
  return { stored, failed };
}

export function registerStowRoutes(app: FastifyInstance, context: DicomwebContext): void {
  const handler = async (
    request: FastifyRequest<{ Params: { study?: string } }>,
    reply: FastifyReply,
  ) => {
    const boundary = stowBoundary(request.headers['content-type']);
    if (!Buffer.isBuffer(request.body))
      throw new UnsupportedMediaTypeError('STOW-RS takes multipart/related');
    const parts = parseMultipart(request.body, boundary);
    const { stored, failed } = sortParts(parts, request.params.study);

    const byStudy = new Map<string, Stored[]>();
    for (const s of stored) byStudy.set(s.studyUid, [...(byStudy.get(s.studyUid) ?? []), s]);
    const source = `dicomweb:${request.tokenId}`;
    const route = request.routeOptions.url ?? '/dicomweb/studies';
    const code = failed.length ? 409 : 200;
    for (const [studyUid, instances] of byStudy) {
      const received = context.intake.receiveInstances(
        studyUid,
        instances.map((s, k) => ({ name: `instance-${k + 1}`, bytes: s.bytes })),
        source,
      );
      if (!received.duplicate) context.index.indexPart(received.study.id, 'input');
      context.audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route,
        studyId: received.study.id,
        statusCode: code,
      });
    }
    if (byStudy.size === 0)
      context.audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route,
        statusCode: code,
      });

    const root = dicomwebRoot(request);
    const studies = [...byStudy.keys()];
    const body: DicomJson = {
      ...(studies.length === 1 && {
        [TAGS.RetrieveURL]: attribute('UR', `${root}/studies/${studies[0]!}`),
      }),
      [TAGS.ReferencedSOPSequence]: sequence(
        stored.map((s) => ({
          [TAGS.ReferencedSOPClassUID]: attribute('UI', s.sopClassUid),
          [TAGS.ReferencedSOPInstanceUID]: attribute('UI', s.sopUid),
          [TAGS.RetrieveURL]: attribute(
            'UR',
            `${root}/studies/${s.studyUid}/series/${s.seriesUid}/instances/${s.sopUid}`,
          ),
        })),
      ),
      ...(failed.length > 0 && {
        [TAGS.FailedSOPSequence]: sequence(
          failed.map((f) => ({
            [TAGS.ReferencedSOPClassUID]: attribute('UI', f.sopClassUid),
            [TAGS.ReferencedSOPInstanceUID]: attribute('UI', f.sopUid),
            [TAGS.FailureReason]: attribute('US', f.reason),
          })),
        ),
      }),
    };
    return sendDicomJson(reply, code, body);
  };

  const schema = {
    summary: 'STOW-RS: store instances (multipart/related; type="application/dicom")',
    consumes: ['multipart/related'],
    tags: ['DICOMweb'],
  };
  app.post('/studies', { schema }, handler);
  app.post('/studies/:study', { schema }, handler);
}
