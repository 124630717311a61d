/**
 * The study routes: upload, status, live events (server-sent events), report and outputs. Every
 * read and every upload writes an audit row (token, route, study, time, status code).
 */
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EventStreams } from './event-stream.js';
import type { ServiceContext } from './service-context.js';
import { isFinished } from './study-status.js';
import type { StudyRecord } from './study-store.js';
import { studyView } from './study-view.js';
import { checkDeclaredLength, stageUpload } from './upload.js';

const STUDY_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
} as const;

const OUTPUT_PARAMS = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
  required: ['id', 'name'],
} as const;

const CONTENT_TYPES: readonly [RegExp, string][] = [
  [/\.json$/, 'application/json'],
  [/\.png$/, 'image/png'],
  [/\.dcm$/, 'application/dicom'],
  [/\.nii\.gz$/, 'application/gzip'],
];

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export function registerStudyRoutes(app: FastifyInstance, context: ServiceContext): void {
  const { store, audit, artefacts, intake, hub, limits } = context;
  const streams = new EventStreams(app);

  const record = (request: FastifyRequest, statusCode: number, studyId?: string) =>
    audit.record({
      tokenId: request.tokenId,
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      statusCode,
      ...(studyId !== undefined && { studyId }),
    });

  /** The study, or a 404 already sent (and audited). */
  const found = (request: IdRequest, reply: FastifyReply): StudyRecord | undefined => {
    const study = store.study(request.params.id);
    if (!study) {
      record(request, 404, request.params.id);
      void reply.code(404).send({ error: 'no such study' });
    }
    return study;
  };

  app.post(
    '/studies',
    {
      schema: {
        summary: 'Upload a study: multipart DICOM files, a zip, or NIfTI files (+ .bval)',
        consumes: ['multipart/form-data'],
        querystring: {
          type: 'object',
          properties: {
            series: {
              type: 'string',
              description:
                'use only these series (ids, SeriesInstanceUIDs, series numbers), comma-separated',
            },
          },
        },
      },
    },
    async (request: FastifyRequest<{ Querystring: { series?: string } }>, reply) => {
      checkDeclaredLength(request, limits.maxUploadBytes);
      // A full disk (disk-full.ts) ends in the error handler's 507, the staging folder removed.
      const stagingDir = artefacts.newStaging();
      let received;
      try {
        const files = await stageUpload(request, {
          stagingDir,
          maxBytes: limits.maxUploadBytes,
        });
        const series = (request.query.series ?? '')
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== '');
        received = intake.receiveStaged({
          stagingDir,
          files,
          source: `http:${request.tokenId}`,
          ...(series.length > 0 && { series }),
        });
      } catch (e) {
        rmSync(stagingDir, { recursive: true, force: true });
        throw e;
      }
      const code = received.duplicate ? 200 : 202;
      record(request, code, received.study.id);
      return reply
        .code(code)
        .header('location', `/studies/${received.study.id}`)
        .send({ ...studyView(received.study), duplicate: received.duplicate });
    },
  );

  app.get(
    '/studies/:id',
    { schema: { summary: "A study's status and result", params: STUDY_PARAMS } },
    async (request: IdRequest, reply) => {
      const study = found(request, reply);
      if (!study) return reply;
      record(request, 200, study.id);
      return studyView(study, artefacts.outputNames(study.id));
    },
  );

  app.get(
    '/studies/:id/events',
    {
      schema: {
        summary: 'Server-sent events: status and analysis progress until the study is finished',
        params: STUDY_PARAMS,
      },
    },
    async (request: IdRequest, reply) => {
      // Subscribe before reading the status, so that no change falls between the two.
      const queued: Parameters<Parameters<typeof hub.subscribe>[1]>[0][] = [];
      let deliver = (e: (typeof queued)[number]) => void queued.push(e);
      const unsubscribe = hub.subscribe(request.params.id, (e) => deliver(e));
      const study = found(request, reply);
      if (!study) {
        unsubscribe();
        return reply;
      }
      record(request, 200, study.id);
      const stream = streams.start(request, reply, unsubscribe);
      const send = stream.send;
      const sendStatus = (s: StudyRecord) => {
        send('status', studyView(s, artefacts.outputNames(s.id)));
        if (isFinished(s.status)) stream.close();
      };
      sendStatus(study);
      if (isFinished(study.status)) return reply;
      deliver = (e) => {
        if (e.type === 'progress') send('progress', { stage: e.stage, fraction: e.fraction });
        else sendStatus(e.study);
      };
      for (const e of queued.splice(0)) deliver(e);
      return reply;
    },
  );

  app.get(
    '/studies/:id/report',
    { schema: { summary: 'report.json of a finished analysis', params: STUDY_PARAMS } },
    async (request: IdRequest, reply) => {
      const study = found(request, reply);
      if (!study) return reply;
      const path = artefacts.outputPath(study.id, 'report.json');
      if (!path) {
        record(request, 404, study.id);
        return reply.code(404).send({
          error: `no report: the study is ${study.status}${study.reason ? ` (${study.reason})` : ''}`,
          status: study.status,
          reason: study.reason,
        });
      }
      record(request, 200, study.id);
      return reply.type('application/json').send(readFileSync(path));
    },
  );

  app.get(
    '/studies/:id/outputs/:name',
    {
      schema: {
        summary:
          'One output of the analysis: labels.nii.gz, probability.nii.gz, overview.png, report.json, report.fhir.json, and for DICOM input segmentation.dcm, measurement-report.dcm, key-images.dcm',
        params: OUTPUT_PARAMS,
      },
    },
    async (request: FastifyRequest<{ Params: { id: string; name: string } }>, reply) => {
      const study = found(request, reply);
      if (!study) return reply;
      const path = artefacts.outputPath(study.id, request.params.name);
      if (!path) {
        record(request, 404, study.id);
        return reply.code(404).send({
          error: `no output '${request.params.name}'`,
          outputs: artefacts.outputNames(study.id),
        });
      }
      record(request, 200, study.id);
      const type = CONTENT_TYPES.find(([re]) => re.test(request.params.name))?.[1];
      return reply.type(type ?? 'application/octet-stream').send(createReadStream(path));
    },
  );
}
