/**
 * Live events per study, for `GET /studies/:id/events` (server-sent events): progress of the
 * analysis and status changes; and every study's status changes together, for `GET /events`
 * (the worklist's live updates). Only what happens while someone listens is delivered; a
 * listener first reads the study's status from the store.
 */
import { EventEmitter } from 'node:events';
import type { JobProgress } from './queue.js';
import type { StudyRecord } from './study-store.js';

export type StudyEvent =
  | { readonly type: 'progress'; readonly stage: JobProgress['stage']; readonly fraction: number }
  | { readonly type: 'status'; readonly study: StudyRecord };

/** The channel of every study's status (no study id is empty). */
const ALL_STUDIES = '';

export class ProgressHub {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(studyId: string, event: StudyEvent): void {
    this.emitter.emit(studyId, event);
    if (event.type === 'status') this.emitter.emit(ALL_STUDIES, event.study);
  }

  /** Calls `listener` with each status change of any study; returns the unsubscribe function. */
  subscribeAll(listener: (study: StudyRecord) => void): () => void {
    this.emitter.on(ALL_STUDIES, listener);
    return () => this.emitter.off(ALL_STUDIES, listener);
  }

  /** Calls `listener` for each event of the study; returns the unsubscribe function. */
  subscribe(studyId: string, listener: (event: StudyEvent) => void): () => void {
    this.emitter.on(studyId, listener);
    return () => this.emitter.off(studyId, listener);
  }
}
