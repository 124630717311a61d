/**
 * "Analyse a file on this computer": a drop zone with a file and a folder picker on the worklist
 * page. The files are read here and handed to the analysis worker (analysis-worker.ts), which
 * runs the same analysis as the service in this browser; progress is shown as it comes. Nothing
 * is uploaded. The result opens in the local case view (local-case-page.ts).
 */
import { el } from './dom.js';
import type { LocalResult } from '../local-analysis.js';
import { type PickedFile, readDrop, readFileList } from './local-files.js';
import type { AnalyseRequest, WorkerReply } from './local-messages.js';

/** A local result with what the page measured. */
export interface LocalCase {
  readonly result: LocalResult;
  readonly names: readonly string[];
  readonly threads: number;
  /** Files chosen → result shown, ms (reading the files, the worker's analysis, the transfer). */
  readonly elapsedMs: number;
}

const STAGE_TEXT: Record<string, string> = {
  read: 'reading the files',
  model: 'loading the model',
  registration: 'registering to the template',
  brainMask: 'brain mask',
  prepare: 'preparing the image',
  inference: 'running the model',
  native: 'back to the scan grid',
  postprocess: 'measuring the lesions',
  localisation: 'locating the lesions',
  write: 'preparing the view',
};

let worker: Worker | undefined;

function analysisWorker(): Worker {
  worker ??= new Worker('analysis-worker.js', { type: 'module', name: 'neurotriage-analysis' });
  return worker;
}

/** Runs one analysis in the worker; resolves with its result. */
function analyseInWorker(
  files: PickedFile[],
  onProgress: (stage: string, fraction: number) => void,
): Promise<{ result: LocalResult; threads: number }> {
  const w = analysisWorker();
  return new Promise((resolve, reject) => {
    w.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') onProgress(reply.stage, reply.fraction);
      else if (reply.type === 'result') resolve({ result: reply.result, threads: reply.threads });
      else reject(new Error(reply.message));
    };
    w.onerror = (event) => reject(new Error(event.message || 'the analysis worker failed'));
    const request: AnalyseRequest = { type: 'analyse', files };
    w.postMessage(
      request,
      files.map((f) => f.bytes.buffer as ArrayBuffer),
    );
  });
}

export function localDropZone(open: (found: LocalCase) => void): HTMLElement {
  const status = el('p', { className: 'local-status', role: 'status' });
  const progress = el('progress', { max: 1, value: 0, hidden: true });
  const filesInput = el('input', { type: 'file', multiple: true, className: 'local-files' });
  const folderInput = el('input', { type: 'file', className: 'local-folder' });
  folderInput.setAttribute('webkitdirectory', '');
  let busy = false;
  const run = async (read: () => Promise<PickedFile[]>) => {
    if (busy) return;
    busy = true;
    const started = performance.now();
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'reading the files…';
    try {
      const files = await read();
      if (files.length === 0) throw new Error('no files were chosen');
      const { result, threads } = await analyseInWorker(files, (stage, fraction) => {
        progress.value = fraction;
        status.textContent = `${STAGE_TEXT[stage] ?? stage}… ${Math.round(fraction * 100)} %`;
      });
      status.textContent = '';
      open({
        result,
        threads,
        names: files.map((f) => f.name),
        elapsedMs: performance.now() - started,
      });
    } catch (e) {
      status.textContent = `cannot analyse these files: ${e instanceof Error ? e.message : e}`;
      status.classList.add('error');
    } finally {
      busy = false;
      progress.hidden = true;
      filesInput.value = '';
      folderInput.value = '';
    }
  };
  filesInput.onchange = () => {
    if (filesInput.files) void run(() => readFileList(filesInput.files!));
  };
  folderInput.onchange = () => {
    if (folderInput.files) void run(() => readFileList(folderInput.files!));
  };
  const zone = el(
    'section',
    { className: 'local-drop' },
    el('h3', {}, 'Analyse a file on this computer (nothing is uploaded)'),
    el(
      'p',
      { className: 'hint' },
      'Drop a NIfTI file (a CT, or a DWI + ADC pair) or a DICOM folder here, or choose: ',
    ),
    el('label', {}, 'files ', filesInput),
    el('label', {}, ' a DICOM folder ', folderInput),
    progress,
    status,
  );
  zone.ondragover = (e) => {
    e.preventDefault();
    zone.classList.add('over');
  };
  zone.ondragleave = () => zone.classList.remove('over');
  zone.ondrop = (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer) void run(() => readDrop(e.dataTransfer!));
  };
  return zone;
}
