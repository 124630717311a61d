/**
 * The review routes (issue 21), behind the same bearer token as every route; the reviewer is the
 * token (its id and name):
 *
 * - `POST /studies/:id/review` `{ decision: accept|reject, note? }` → 201, the new version;
 * - `PUT /studies/:id/labels` an edited label map (NIfTI, `application/octet-stream`) → 201, the
 *   new version with its volumes (400 a bad map or another grid; 413 over the upload limit);
 * - `GET /studies/:id/reviews` the versions, oldest first;
 * - `GET /studies/:id/reviews/:version/:name` a version's file (labels.nii.gz, segmentation.dcm).
 *
 * 404 no such study, 409 no result to review. Every request writes an audit row (token, route,
 * study, status), refusals included. Registered in their own Fastify scope, so the binary body
 * parser (bounded by the upload limit) serves these routes only.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STUDY_ID_PATTERN } from './artefact-store.js';
import { MAX_NOTE_CHARS, ReviewActions, ReviewRefusal } from './review-actions.js';
import { reviewFilePath } from './review-folder.js';
import type { ReviewDecision, ReviewRecord, Reviewer } from './review-store.js';
import type { ServiceContext } from './service-context.js';

const STUDY_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
} as const;

const FILE_PARAMS = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    version: { type: 'integer', minimum: 1 },
    name: { type: 'string' },
  },
  required: ['id', 'version', 'name'],
} as const;

const DECISION_BODY = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['accept', 'reject'] },
    note: { type: 'string', maxLength: MAX_NOTE_CHARS },
  },
  required: ['decision'],
  additionalProperties: false,
} as const;

const LABEL_MAP_TYPES = ['application/octet-stream', 'application/gzip'];

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** A review as the API shows it. */
export function reviewView(r: ReviewRecord) {
  return {
    version: r.version,
    kind: r.kind,
    ...(r.kind === 'decision' && { decision: r.decision, note: r.note }),
    reviewer: r.reviewer,
    reviewedAt: r.reviewedAt,
    files: r.files,
    ...(r.volumesMl && { volumesMl: r.volumesMl }),
  };
}

export async function registerReviewRoutes(
  app: FastifyInstance,
  context: ServiceContext,
): Promise<void> {
  const { store, reviews, artefacts, audit, tokens, limits, hub } = context;
  /** A new review changes the study's view: its live listeners get the status again. */
  const published = <T>(studyId: string, value: T): T => {
    const study = store.study(studyId);
    if (study) hub.publish(studyId, { type: 'status', study });
    return value;
  };
  const actions = new ReviewActions({ store, reviews, artefacts });

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      LABEL_MAP_TYPES,
      { parseAs: 'buffer', bodyLimit: limits.maxUploadBytes },
      (_request, body, done) => done(null, body),
    );
    // One audit row per request, with the status it ends with (refusals included).
    scope.addHook('onSend', async (request, reply) => {
      if (request.tokenId === '') return;
      const id = (request.params as { id?: unknown } | undefined)?.id;
      audit.record({
        tokenId: request.tokenId,
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        statusCode: reply.statusCode,
        ...(typeof id === 'string' && STUDY_ID_PATTERN.test(id) && { studyId: id }),
      });
    });

    const reviewer = (request: FastifyRequest): Reviewer => ({
      id: request.tokenId,
      name: tokens.nameOf(request.tokenId) ?? request.tokenId,
    });
    const refused = (e: unknown, reply: FastifyReply) => {
      if (!(e instanceof ReviewRefusal)) throw e;
      return reply.code(e.statusCode).send({ error: e.message });
    };

    scope.post(
      '/studies/:id/review',
      {
        schema: {
          summary: "Accept or reject a study's result (a new review version)",
          params: STUDY_PARAMS,
          body: DECISION_BODY,
        },
      },
      async (
        request: FastifyRequest<{
          Params: { id: string };
          Body: { decision: ReviewDecision; note?: string };
        }>,
        reply,
      ) => {
        try {
          const r = published(
            request.params.id,
            actions.decide({
              studyId: request.params.id,
              reviewer: reviewer(request),
              decision: request.body.decision,
              ...(request.body.note !== undefined && { note: request.body.note }),
            }),
          );
          return reply.code(201).send({
            version: r.version,
            kind: r.kind,
            decision: r.decision,
            note: r.note,
            reviewer: r.reviewer,
            reviewedAt: r.reviewedAt,
          });
        } catch (e) {
          return refused(e, reply);
        }
      },
    );

    scope.put(
      '/studies/:id/labels',
      {
        schema: {
          summary:
            "An edited label map (NIfTI, the result's grid) saved as a new review version; DICOM input also gets its SEG",
          params: STUDY_PARAMS,
          consumes: LABEL_MAP_TYPES,
        },
      },
      async (request: FastifyRequest<{ Params: { id: string }; Body: unknown }>, reply) => {
        const body = request.body;
        if (!(body instanceof Uint8Array))
          return reply
            .code(415)
            .send({ error: `send the label map as ${LABEL_MAP_TYPES.join(' or ')}` });
        try {
          const r = published(
            request.params.id,
            await actions.saveMask({
              studyId: request.params.id,
              reviewer: reviewer(request),
              bytes: body,
            }),
          );
          return reply.code(201).send({
            version: r.version,
            kind: r.kind,
            reviewer: r.reviewer,
            reviewedAt: r.reviewedAt,
            volumesMl: r.volumesMl,
            files: r.files,
          });
        } catch (e) {
          return refused(e, reply);
        }
      },
    );

    scope.get(
      '/studies/:id/reviews',
      { schema: { summary: "A study's reviews, oldest first", params: STUDY_PARAMS } },
      async (request: IdRequest, reply) => {
        if (!store.study(request.params.id))
          return reply.code(404).send({ error: 'no such study' });
        return reviews.reviews(request.params.id).map(reviewView);
      },
    );

    scope.get(
      '/studies/:id/reviews/:version/:name',
      {
        schema: {
          summary: 'One file of a review version: labels.nii.gz, segmentation.dcm (DICOM input)',
          params: FILE_PARAMS,
        },
      },
      async (
        request: FastifyRequest<{ Params: { id: string; version: number; name: string } }>,
        reply,
      ) => {
        const { id, version, name } = request.params;
        if (!store.study(id)) return reply.code(404).send({ error: 'no such study' });
        const review = reviews.review(id, version);
        const path = review?.files.includes(name)
          ? reviewFilePath(artefacts, id, version, name)
          : undefined;
        if (!path)
          return reply.code(404).send({
            error: `no file '${name}' in review version ${version}`,
            files: review?.files ?? [],
          });
        return reply
          .type(name.endsWith('.dcm') ? 'application/dicom' : 'application/gzip')
          .send(createReadStream(path));
      },
    );
  });
}
