/** A study as the API shows it (`GET /studies/:id`, the worklist, SSE status events). */
import type { StudyRecord } from './study-store.js';

export interface StudyView {
  readonly id: string;
  readonly status: StudyRecord['status'];
  /** Why a study was not analysed or failed, in one line. */
  readonly reason: string | null;
  readonly receivedAt: string;
  /**
   * Who sent it: `http:<token id>`, `dicomweb:<token id>`, `dicom:<calling AE title>`; a C-STORE
   * study made of instances that came after their study settled adds
   * `late-addition-to <first study id>`. Never patient data.
   */
  readonly source: string;
  readonly updatedAt: string;
  /**
   * Worklist rank: 0 positive, 1 not assessable, 2 no result (not-analysed/failed), 3 pending,
   * 4 negative.
   */
  readonly priority: number;
  readonly result: StudyRecord['result'];
  /** Made in shadow mode (`serve --shadow`): recorded only, never pushed nor alerted. */
  readonly shadow: boolean;
  /** The latest review: accept, reject or edited (a mask edit), its version, who and when. */
  readonly review: StudyRecord['review'];
  readonly files: number;
  readonly bytes: number;
  readonly links: {
    readonly self: string;
    readonly events: string;
    readonly report?: string;
    readonly outputs?: Readonly<Record<string, string>>;
  };
}

export function studyView(study: StudyRecord, outputNames: readonly string[] = []): StudyView {
  const self = `/studies/${study.id}`;
  return {
    id: study.id,
    status: study.status,
    reason: study.reason,
    receivedAt: study.receivedAt,
    source: study.source,
    updatedAt: study.updatedAt,
    priority: study.priority,
    result: study.result,
    shadow: study.shadow,
    review: study.review,
    files: study.fileCount,
    bytes: study.byteCount,
    links: {
      self,
      events: `${self}/events`,
      ...(study.status === 'done' && { report: `${self}/report` }),
      ...(outputNames.length > 0 && {
        outputs: Object.fromEntries(outputNames.map((n) => [n, `${self}/outputs/${n}`])),
      }),
    },
  };
}
