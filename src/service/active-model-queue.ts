/**
 * A `Queue` that gives each job the active model versions' folders at the moment it is enqueued
 * (model-registry.ts, read from the store each time, so `neurotriage models activate|rollback`
 * in another process takes effect for the next job without a restart).
 */
import type { ModelRegistry } from './model-registry.js';
import type { Queue, QueuedJob } from './queue.js';

export function withActiveModels(queue: Queue, registry: ModelRegistry): Queue {
  return {
    enqueue(job: QueuedJob) {
      const modelDirs = registry.activeFolders();
      queue.enqueue(Object.keys(modelDirs).length > 0 ? { ...job, modelDirs } : job);
    },
    get waiting() {
      return queue.waiting;
    },
    get running() {
      return queue.running;
    },
    close: () => queue.close(),
  };
}
