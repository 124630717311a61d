/**
 * Live events per study, for `GET /studies/:id/events` (server-sent events): progress of the
 * analysis and status changes. Only what happens while someone listens is delivered; a listener
 * first reads the study's status from the store.
 */
import { EventEmitter } from 'node:events';
import type { JobProgress } from './queue.js';
import type { StudyRecord } from './study-store.js';

export type StudyEvent =
  | { readonly type: 'progress'; readonly stage: JobProgress['stage']; readonly fraction: number }
  | { readonly type: 'status'; readonly study: StudyRecord };

export class ProgressHub {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(studyId: string, event: StudyEvent): void {
    this.emitter.emit(studyId, event);
  }

  /** Calls `listener` for each event of the study; returns the unsubscribe function. */
  subscribe(studyId: string, listener: (event: StudyEvent) => void): () => void {
    this.emitter.on(studyId, listener);
    return () => this.emitter.off(studyId, listener);
  }
}
