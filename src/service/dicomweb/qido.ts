/**
 * QIDO-RS (PS3.18 §10.6): `GET /studies`, `/studies/{study}/series`,
 * `/studies/{study}/series/{series}/instances`, answered from the instance index as DICOM JSON.
 * Matching: StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID (one UID or a list separated by
 * `,` or `\`), PatientID (exact, or with the `*` and `?` wildcards), ModalitiesInStudy / Modality
 * (exact), by keyword or by tag (`00100020`); `limit` and `offset`. Other keys are ignored.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TAGS, type DicomJson, attribute } from './dicom-json.js';
import {
  type DicomwebContext,
  auditRead,
  dicomwebRoot,
  sendDicomJson,
} from './dicomweb-context.js';
import { LATEST_INSTANCES, toInstance } from './instance-index.js';

type Query = Record<string, string | string[] | undefined>;
type Row = Record<string, unknown>;

/** A SQL condition and its parameters. */
interface Condition {
  readonly sql: string;
  readonly params: readonly string[];
}

/** The value of a query key given by keyword or by tag (the first when repeated). */
function queryValue(query: Query, keyword: keyof typeof TAGS): string | undefined {
  for (const key of [keyword, TAGS[keyword]]) {
    const v = query[key];
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined && first !== '' && first !== '*') return first;
  }
  return undefined;
}

function uidList(column: string, value: string): Condition {
  const uids = value
    .split(/[,\\]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return { sql: `${column} IN (${uids.map(() => '?').join(', ')})`, params: uids };
}

/** DICOM wildcards `*` and `?` are GLOB's; `[` is escaped. */
function textMatch(column: string, value: string): Condition {
  if (!/[*?]/.test(value)) return { sql: `${column} = ?`, params: [value] };
  return { sql: `${column} GLOB ?`, params: [value.replace(/\[/g, '[[]')] };
}

export class QueryError extends Error {
  readonly statusCode = 400;
}

function paging(query: Query): { limit: number; offset: number } {
  const int = (name: string, fallback: number, max: number) => {
    const raw = query[name];
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v === undefined || v === '') return fallback;
    if (!/^\d+$/.test(v) || Number(v) > max) throw new QueryError(`invalid ${name}: ${v}`);
    return Number(v);
  };
  return { limit: int('limit', 1000, 10_000), offset: int('offset', 0, Number.MAX_SAFE_INTEGER) };
}

function whereOf(conditions: readonly (Condition | undefined)[]): Condition {
  const kept = conditions.filter((c): c is Condition => c !== undefined);
  return {
    sql: kept.length ? `WHERE ${kept.map((c) => c.sql).join(' AND ')}` : '',
    params: kept.flatMap((c) => c.params),
  };
}

const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

export function registerQidoRoutes(app: FastifyInstance, context: DicomwebContext): void {
  const { index } = context;

  app.get(
    '/studies',
    { schema: { summary: 'QIDO-RS: search for studies (DICOM JSON)', tags: ['DICOMweb'] } },
    async (request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
      const q = request.query;
      const { limit, offset } = paging(q);
      index.refresh();
      const study = queryValue(q, 'StudyInstanceUID');
      const patient = queryValue(q, 'PatientID');
      const modality = queryValue(q, 'ModalitiesInStudy') ?? queryValue(q, 'Modality');
      const where = whereOf([
        study === undefined ? undefined : uidList('study_uid', study),
        patient === undefined ? undefined : textMatch('patient_id', patient),
        modality === undefined
          ? undefined
          : {
              sql: `study_uid IN (SELECT study_uid FROM dicom_instances WHERE modality = ?)`,
              params: [modality],
            },
      ]);
      const rows = index.db
        .prepare(
          `SELECT study_uid, MAX(study_date) AS study_date, MAX(study_time) AS study_time,
             MAX(accession_number) AS accession_number, MAX(study_description) AS study_description,
             MAX(patient_id) AS patient_id, MAX(patient_name) AS patient_name,
             GROUP_CONCAT(DISTINCT modality) AS modalities,
             COUNT(DISTINCT series_uid) AS series, COUNT(*) AS instances,
             GROUP_CONCAT(DISTINCT study_id) AS study_ids
           FROM ${LATEST_INSTANCES} ${where.sql}
           GROUP BY study_uid ORDER BY MIN(seq) LIMIT ? OFFSET ?`,
        )
        .all(...where.params, limit, offset) as Row[];
      const root = dicomwebRoot(request);
      const body: DicomJson[] = rows.map((r) => ({
        [TAGS.StudyDate]: attribute('DA', text(r.study_date)),
        [TAGS.StudyTime]: attribute('TM', text(r.study_time)),
        [TAGS.AccessionNumber]: attribute('SH', text(r.accession_number)),
        [TAGS.ModalitiesInStudy]: attribute(
          'CS',
          ...String(r.modalities ?? '')
            .split(',')
            .filter(Boolean)
            .sort(),
        ),
        [TAGS.StudyDescription]: attribute('LO', text(r.study_description)),
        [TAGS.RetrieveURL]: attribute('UR', `${root}/studies/${String(r.study_uid)}`),
        [TAGS.PatientName]: attribute('PN', text(r.patient_name)),
        [TAGS.PatientID]: attribute('LO', text(r.patient_id)),
        [TAGS.StudyInstanceUID]: attribute('UI', String(r.study_uid)),
        [TAGS.NumberOfStudyRelatedSeries]: attribute('IS', num(r.series)),
        [TAGS.NumberOfStudyRelatedInstances]: attribute('IS', num(r.instances)),
      }));
      auditRead(context, request, 200, studyIdsOf(rows));
      return sendDicomJson(reply, 200, body);
    },
  );

  app.get(
    '/studies/:study/series',
    { schema: { summary: "QIDO-RS: a study's series (DICOM JSON)", tags: ['DICOMweb'] } },
    async (
      request: FastifyRequest<{ Params: { study: string }; Querystring: Query }>,
      reply: FastifyReply,
    ) => {
      const q = request.query;
      const { limit, offset } = paging(q);
      index.refresh();
      const series = queryValue(q, 'SeriesInstanceUID');
      const modality = queryValue(q, 'Modality');
      const where = whereOf([
        { sql: 'study_uid = ?', params: [request.params.study] },
        series === undefined ? undefined : uidList('series_uid', series),
        modality === undefined ? undefined : textMatch('modality', modality),
      ]);
      const rows = index.db
        .prepare(
          `SELECT series_uid, MAX(modality) AS modality, MAX(series_number) AS series_number,
             MAX(series_description) AS series_description, COUNT(*) AS instances,
             GROUP_CONCAT(DISTINCT study_id) AS study_ids
           FROM ${LATEST_INSTANCES} ${where.sql}
           GROUP BY series_uid
           ORDER BY MAX(series_number) IS NULL, MAX(series_number), MIN(seq) LIMIT ? OFFSET ?`,
        )
        .all(...where.params, limit, offset) as Row[];
      const root = `${dicomwebRoot(request)}/studies/${request.params.study}`;
      const body: DicomJson[] = rows.map((r) => ({
        [TAGS.Modality]: attribute('CS', text(r.modality)),
        [TAGS.SeriesDescription]: attribute('LO', text(r.series_description)),
        [TAGS.RetrieveURL]: attribute('UR', `${root}/series/${String(r.series_uid)}`),
        [TAGS.StudyInstanceUID]: attribute('UI', request.params.study),
        [TAGS.SeriesInstanceUID]: attribute('UI', String(r.series_uid)),
        [TAGS.SeriesNumber]: attribute('IS', num(r.series_number)),
        [TAGS.NumberOfSeriesRelatedInstances]: attribute('IS', num(r.instances)),
      }));
      auditRead(context, request, 200, studyIdsOf(rows));
      return sendDicomJson(reply, 200, body);
    },
  );

  app.get(
    '/studies/:study/series/:series/instances',
    { schema: { summary: "QIDO-RS: a series' instances (DICOM JSON)", tags: ['DICOMweb'] } },
    async (
      request: FastifyRequest<{ Params: { study: string; series: string }; Querystring: Query }>,
      reply: FastifyReply,
    ) => {
      const q = request.query;
      const { limit, offset } = paging(q);
      index.refresh();
      const sop = queryValue(q, 'SOPInstanceUID');
      const where = whereOf([
        {
          sql: 'study_uid = ? AND series_uid = ?',
          params: [request.params.study, request.params.series],
        },
        sop === undefined ? undefined : uidList('sop_uid', sop),
      ]);
      const rows = index.db
        .prepare(
          `SELECT * FROM ${LATEST_INSTANCES} ${where.sql}
           ORDER BY instance_number IS NULL, instance_number, seq LIMIT ? OFFSET ?`,
        )
        .all(...where.params, limit, offset) as Row[];
      const root = `${dicomwebRoot(request)}/studies/${request.params.study}/series/${request.params.series}`;
      const body: DicomJson[] = rows.map(toInstance).map((i) => ({
        [TAGS.SOPClassUID]: attribute('UI', i.sopClassUid),
        [TAGS.SOPInstanceUID]: attribute('UI', i.sopUid),
        [TAGS.Modality]: attribute('CS', i.modality),
        [TAGS.AvailableTransferSyntaxUID]: attribute('UI', i.transferSyntax),
        [TAGS.RetrieveURL]: attribute('UR', `${root}/instances/${i.sopUid}`),
        [TAGS.StudyInstanceUID]: attribute('UI', i.studyUid),
        [TAGS.SeriesInstanceUID]: attribute('UI', i.seriesUid),
        [TAGS.SeriesNumber]: attribute('IS', i.seriesNumber),
        [TAGS.InstanceNumber]: attribute('IS', i.instanceNumber),
      }));
      auditRead(
        context,
        request,
        200,
        rows.map((r) => String(r.study_id)),
      );
      return sendDicomJson(reply, 200, body);
    },
  );
}

function studyIdsOf(rows: readonly Row[]): string[] {
  return rows.flatMap((r) =>
    String(r.study_ids ?? '')
      .split(',')
      .filter(Boolean),
  );
}
