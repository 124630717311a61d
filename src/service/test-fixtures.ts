/**
 * Test helpers for the service: a small head CT as DICOM files and as NIfTI bytes (a 30 HU head
 * sphere in air with a 70 HU blob; the shipped ICH model analyses it in seconds), a running
 * service on a free port with a token, multipart bodies, and waiting for a study to finish.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Geometry, indexToWorld } from '../core/geometry.js';
import { type Volume, createVolume } from '../core/volume.js';
import { writeVolumeSeries } from '../io/dicom/write-volume-series.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { type RunningService, type ServiceOptions, startService } from './triage-service.js';

export function smallHeadCt(): Volume {
  const g: Geometry = {
    shape: [48, 44, 14],
    spacingMm: [2, 2, 4],
    originMm: [-47, -43, -26],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  const hu = new Int16Array(g.shape[0] * g.shape[1] * g.shape[2]);
  let v = 0;
  for (let k = 0; k < g.shape[2]; k++)
    for (let j = 0; j < g.shape[1]; j++)
      for (let i = 0; i < g.shape[0]; i++, v++) {
        const [x, y, z] = indexToWorld(g, [i, j, k]);
        const r = Math.hypot(x, y, z * 0.8);
        hu[v] = r > 40 ? -1000 : Math.hypot(x - 12, y + 6, z - 4) < 9 ? 70 : 30;
      }
  return createVolume(g, hu, { modality: 'CT', units: 'HU' });
}

/** The CT as DICOM slices (patient id `NT-SERVICE`). */
export function smallHeadCtDicom(key = 'service-test'): Uint8Array[] {
  return writeVolumeSeries(smallHeadCt(), {
    key,
    patientId: 'NT-SERVICE',
    seriesNumber: 2,
    seriesDescription: 'Head non-contrast',
    modality: 'CT',
  });
}

/** The CT as `.nii.gz` bytes. */
export function smallHeadCtNifti(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'nt-service-nifti-'));
  try {
    const path = join(dir, 'ct.nii.gz');
    writeNiftiFile(path, smallHeadCt());
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestService {
  readonly service: RunningService;
  readonly url: string;
  readonly token: string;
  readonly dataDir: string;
  /** Headers with the bearer token. */
  readonly auth: Record<string, string>;
}

/** Starts the service on a free port of 127.0.0.1 with one worker and a fresh token. */
export async function startTestService(
  options: Partial<ServiceOptions> & { token?: string } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nt-service-'));
  const service = await startService({
    workers: 1,
    threadsPerWorker: 1,
    ...options,
    dataDir,
    httpPort: 0,
  });
  const token = options.token ?? service.tokens.create('test').token;
  return {
    service,
    url: service.url,
    token,
    dataDir,
    auth: { authorization: `Bearer ${token}` },
  };
}

/** A multipart body with the given files. */
export function uploadForm(files: readonly { name: string; bytes: Uint8Array }[]): FormData {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([f.bytes]), f.name);
  return form;
}

export interface StudyJson {
  id: string;
  status: string;
  reason: string | null;
  priority: number;
  result: {
    state: 'positive' | 'negative' | 'not assessable';
    positive: boolean;
    task: string;
    summary: string;
  } | null;
  links: { outputs?: Record<string, string> };
}

/** Polls `GET /studies/:id` until the study is finished (or the time is up). */
export async function waitFinished(
  t: TestService,
  id: string,
  timeoutMs = 180_000,
): Promise<StudyJson> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(`${t.url}/studies/${id}`, { headers: t.auth });
    const study = (await r.json()) as StudyJson;
    if (['done', 'not-analysed', 'failed'].includes(study.status)) return study;
    if (Date.now() > end) throw new Error(`study ${id} still ${study.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * An all-air "CT" (−1000 HU everywhere): no head, so registration to the template fails and the
 * study is not assessable (issue 25), never negative; the model finds nothing over its
 * operating point.
 */
export function airCtDicom(key = 'service-air'): Uint8Array[] {
  const ct = smallHeadCt();
  return writeVolumeSeries(
    { ...ct, data: new Int16Array(ct.data.length).fill(-1000) },
    { key, patientId: 'NT-SERVICE', seriesNumber: 3, seriesDescription: 'Head', modality: 'CT' },
  );
}

/** POSTs files to `/studies`; returns the HTTP status and the JSON answer. */
export async function upload(
  t: TestService,
  files: readonly { name: string; bytes: Uint8Array }[],
): Promise<{ status: number; body: StudyJson & { duplicate?: boolean; error?: string } }> {
  const r = await fetch(`${t.url}/studies`, {
    method: 'POST',
    headers: t.auth,
    body: uploadForm(files),
  });
  return { status: r.status, body: (await r.json()) as StudyJson & { duplicate?: boolean } };
}

export function named(
  files: readonly Uint8Array[],
  prefix = 'slice',
): { name: string; bytes: Uint8Array }[] {
  return files.map((bytes, k) => ({ name: `${prefix}-${k}.dcm`, bytes }));
}

/** Reads server-sent events until the stream ends; returns them in order. */
export async function readEvents(
  t: TestService,
  id: string,
): Promise<{ event: string; data: unknown }[]> {
  const r = await fetch(`${t.url}/studies/${id}/events`, { headers: t.auth });
  if (r.status !== 200 || !r.body) throw new Error(`events: HTTP ${r.status}`);
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of r.body) text += decoder.decode(chunk as Uint8Array, { stream: true });
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as unknown;
      return { event, data };
    });
}
