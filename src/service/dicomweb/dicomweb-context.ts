/** What the DICOMweb routes share: the instance index, the intake, the audit log, the limits. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditLog } from '../audit-log.js';
import type { ServiceLimits } from '../service-context.js';
import type { StudyIntake } from '../study-intake.js';
import type { InstanceIndex } from './instance-index.js';

export const DICOMWEB_PREFIX = '/dicomweb';
export const DICOM_JSON = 'application/dicom+json';

export interface DicomwebContext {
  readonly index: InstanceIndex;
  readonly intake: StudyIntake;
  readonly audit: AuditLog;
  readonly limits: ServiceLimits;
}

/** The DICOMweb root as the client reached it, e.g. `http://127.0.0.1:8042/dicomweb`. */
export function dicomwebRoot(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${DICOMWEB_PREFIX}`;
}

/** One audit row per service study read (or one without a study when none was). */
export function auditRead(
  context: DicomwebContext,
  request: FastifyRequest,
  statusCode: number,
  studyIds: Iterable<string> = [],
): void {
  const ids = [...new Set(studyIds)];
  const base = {
    tokenId: request.tokenId,
    method: request.method,
    route: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
    statusCode,
  };
  context.audit.recordAll(ids.length ? ids.map((studyId) => ({ ...base, studyId })) : [base]);
}

/** Sends DICOM JSON (a JSON array or object) with its media type. */
export function sendDicomJson(reply: FastifyReply, code: number, body: unknown): FastifyReply {
  return reply.code(code).type(DICOM_JSON).send(JSON.stringify(body));
}
