/**
 * WADO-RS (PS3.18 §10.4): a study, a series or one instance as
 * `multipart/related; type="application/dicom"` (the stored Part-10 files, in their stored
 * transfer syntax, one part each, read one at a time); `…/metadata` as DICOM JSON (the pixel
 * data by `BulkDataURI`); `…/instances/{instance}/frames/{list}` as
 * `multipart/related; type="application/octet-stream"` (native pixel data cut into frames;
 * encapsulated frames as stored). Enough for a viewer (OHIF) that reads metadata, then frames.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { us } from '../../io/dicom/dataset-values.js';
import { type DataSet, dicomParser, parseDicom } from '../../io/dicom/parse-dicom.js';
import { dataSetToJson } from './dicom-json.js';
import {
  type DicomwebContext,
  auditRead,
  dicomwebRoot,
  sendDicomJson,
} from './dicomweb-context.js';
import type { IndexedInstance } from './instance-index.js';
import { multipartStream, parseMediaType } from './multipart-related.js';

interface Params {
  study: string;
  series?: string;
  instance?: string;
  frames?: string;
}

type WadoRequest = FastifyRequest<{ Params: Params }>;

const LEVELS = [
  '/studies/:study',
  '/studies/:study/series/:series',
  '/studies/:study/series/:series/instances/:instance',
] as const;

/** The Accept header allows `multipart/related` of `type` (or anything). */
function accepts(request: FastifyRequest, type: string): boolean {
  const header = request.headers.accept;
  if (!header) return true;
  return header.split(',').some((entry) => {
    const m = parseMediaType(entry);
    if (m.essence === '*/*' || m.essence === 'multipart/*') return true;
    return m.essence === 'multipart/related' && (m.params.type ?? type) === type;
  });
}

export function registerWadoRoutes(app: FastifyInstance, context: DicomwebContext): void {
  const { index } = context;

  /** The instances named by the path; a 404 already sent (and audited) when none. */
  const selected = (request: WadoRequest, reply: FastifyReply): IndexedInstance[] | undefined => {
    index.refresh();
    const { study, series, instance } = request.params;
    const found = index.instances({
      studyUid: study,
      ...(series !== undefined && { seriesUid: series }),
      ...(instance !== undefined && { sopUid: instance }),
    });
    if (found.length === 0) {
      auditRead(context, request, 404);
      void reply.code(404).send({ error: 'no such study, series or instance' });
      return undefined;
    }
    return found;
  };

  const instanceUrl = (request: FastifyRequest, i: IndexedInstance) =>
    `${dicomwebRoot(request)}/studies/${i.studyUid}/series/${i.seriesUid}/instances/${i.sopUid}`;

  for (const level of LEVELS) {
    app.get(
      level,
      {
        schema: {
          summary: 'WADO-RS: the instances as multipart/related; type="application/dicom"',
          tags: ['DICOMweb'],
        },
      },
      async (request: WadoRequest, reply) => {
        if (!accepts(request, 'application/dicom')) {
          auditRead(context, request, 406);
          return reply
            .code(406)
            .send({ error: 'only multipart/related; type="application/dicom"' });
        }
        const instances = selected(request, reply);
        if (!instances) return reply;
        const body = multipartStream(
          'application/dicom',
          instances.map((i) => ({
            contentType: `application/dicom; transfer-syntax=${i.transferSyntax}`,
            bytes: () => readFileSync(index.pathOf(i)),
          })),
        );
        auditRead(
          context,
          request,
          200,
          instances.map((i) => i.studyId),
        );
        return reply.code(200).type(body.contentType).send(body.stream);
      },
    );

    app.get(
      `${level}/metadata`,
      { schema: { summary: "WADO-RS: the instances' metadata (DICOM JSON)", tags: ['DICOMweb'] } },
      async (request: WadoRequest, reply) => {
        const instances = selected(request, reply);
        if (!instances) return reply;
        const body = instances.map((i) =>
          dataSetToJson(parseDicom(new Uint8Array(readFileSync(index.pathOf(i)))), {
            pixelDataUri: `${instanceUrl(request, i)}/bulkdata/7FE00010`,
          }),
        );
        auditRead(
          context,
          request,
          200,
          instances.map((i) => i.studyId),
        );
        return sendDicomJson(reply, 200, body);
      },
    );
  }

  app.get(
    '/studies/:study/series/:series/instances/:instance/frames/:frames',
    {
      schema: {
        summary:
          'WADO-RS: frames of an instance as multipart/related; type="application/octet-stream"',
        tags: ['DICOMweb'],
      },
    },
    async (request: WadoRequest, reply) => {
      const numbers = (request.params.frames ?? '').split(',').map(Number);
      if (!numbers.every((n) => Number.isInteger(n) && n >= 1))
        return reply.code(400).send({ error: 'frame numbers are 1, 2, …' });
      const instances = selected(request, reply);
      if (!instances) return reply;
      const i = instances[0]!;
      const ds = parseDicom(new Uint8Array(readFileSync(index.pathOf(i))));
      const frames = numbers.map((n) => frameBytes(ds, n));
      if (frames.some((f) => f === undefined)) {
        auditRead(context, request, 404, [i.studyId]);
        return reply.code(404).send({ error: 'no such frame' });
      }
      const body = multipartStream(
        'application/octet-stream',
        frames.map((f) => ({
          contentType: `application/octet-stream; transfer-syntax=${i.transferSyntax}`,
          bytes: () => f!,
        })),
      );
      auditRead(context, request, 200, [i.studyId]);
      return reply.code(200).type(body.contentType).send(body.stream);
    },
  );

  app.get(
    '/studies/:study/series/:series/instances/:instance/bulkdata/7FE00010',
    {
      schema: { summary: 'WADO-RS: the pixel data of an instance (bulk data)', tags: ['DICOMweb'] },
    },
    async (request: WadoRequest, reply) => {
      const instances = selected(request, reply);
      if (!instances) return reply;
      const i = instances[0]!;
      const ds = parseDicom(new Uint8Array(readFileSync(index.pathOf(i))));
      const el = ds.elements.x7fe00010;
      if (!el || el.encapsulatedPixelData) {
        auditRead(context, request, 404, [i.studyId]);
        return reply.code(404).send({ error: 'no native pixel data' });
      }
      const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
      const body = multipartStream('application/octet-stream', [
        { contentType: 'application/octet-stream', bytes: () => bytes },
      ]);
      auditRead(context, request, 200, [i.studyId]);
      return reply.code(200).type(body.contentType).send(body.stream);
    },
  );
}

/** Frame `n` (1-based): a slice of native pixel data (1-bit frames re-packed), or encapsulated. */
function frameBytes(ds: DataSet, n: number): Uint8Array | undefined {
  const el = ds.elements.x7fe00010;
  if (!el) return undefined;
  const count = Number.parseInt(ds.string('x00280008') ?? '1', 10) || 1;
  if (n > count) return undefined;
  if (el.encapsulatedPixelData)
    return new Uint8Array(dicomParser.readEncapsulatedImageFrame(ds, el, n - 1));
  const rows = us(ds, 'x00280010') ?? 0;
  const columns = us(ds, 'x00280011') ?? 0;
  const samples = us(ds, 'x00280002') ?? 1;
  const bits = us(ds, 'x00280100') ?? 16;
  const pixels = rows * columns * samples;
  const data = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
  if (bits !== 1) {
    const size = (pixels * bits) / 8;
    const start = (n - 1) * size;
    return start + size <= data.length ? data.slice(start, start + size) : undefined;
  }
  // 1-bit (SEG): frames follow each other bit by bit; each goes out on its own bytes.
  const out = new Uint8Array(Math.ceil(pixels / 8));
  const first = (n - 1) * pixels;
  if (Math.ceil((first + pixels) / 8) > data.length) return undefined;
  for (let p = 0; p < pixels; p++) {
    const bit = first + p;
    if (((data[bit >> 3] ?? 0) >> (bit & 7)) & 1) out[p >> 3]! |= 1 << (p & 7);
  }
  return out;
}
