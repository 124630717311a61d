/**
 * Installed model versions and which one is active per task (migration 8's
 * `model_activations`). A version lives in `DIR/models/<task>/<version>/` (model.onnx +
 * card.json, model-admin.ts). Every activation and rollback is a row (task, version, action,
 * user, time), never an update: the history is the table. The active version is found by
 * replaying a task's rows as a stack: `activate` pushes, `rollback` pops (its row names the
 * version it left), so a rollback goes back to the version active before the current one, and a
 * second rollback one further.
 */
import { join } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { Task } from '../pipeline/select-inputs.js';
import type { Db } from './database.js';

export const MODEL_TASKS: readonly Task[] = ['ich', 'infarct'];

/** Where a task's installed versions live, relative to the data folder. */
export const MODELS_FOLDER = 'models';

/** A version's folder relative to the data folder: `models/<task>/<version>`. */
export function modelFolderOf(task: Task, version: string): string {
  return join(MODELS_FOLDER, task, version);
}

export interface ModelActivation {
  readonly task: Task;
  readonly version: string;
  readonly action: 'activate' | 'rollback';
  readonly by: string;
  readonly at: string;
}

type Row = Record<string, unknown>;

export class ModelRegistry {
  constructor(private readonly db: Db) {}

  /** A task's activations and rollbacks, oldest first. */
  history(task: Task): ModelActivation[] {
    const rows = this.db
      .prepare('SELECT * FROM model_activations WHERE task = ? ORDER BY id')
      .all(task) as Row[];
    return rows.map((r) => ({
      task,
      version: String(r.version),
      action: r.action === 'rollback' ? 'rollback' : 'activate',
      by: String(r.by_user),
      at: String(r.at),
    }));
  }

  /** The versions active so far, oldest first; the last is the active one. */
  private stack(task: Task): string[] {
    const stack: string[] = [];
    for (const a of this.history(task)) {
      if (a.action === 'activate') stack.push(a.version);
      else stack.pop();
    }
    return stack;
  }

  /** The active version of a task, or undefined (the package's shipped model). */
  active(task: Task): string | undefined {
    return this.stack(task).at(-1);
  }

  /** The active versions' folders (relative to the data folder), for the jobs enqueued now. */
  activeFolders(): Partial<Record<Task, string>> {
    const folders: Partial<Record<Task, string>> = {};
    for (const task of MODEL_TASKS) {
      const version = this.active(task);
      if (version !== undefined) folders[task] = modelFolderOf(task, version);
    }
    return folders;
  }

  activate(options: { readonly task: Task; readonly version: string; readonly by: string }): void {
    this.record(options.task, options.version, 'activate', options.by);
  }

  /** Back to the version active before the current one; returns it. */
  rollback(options: { readonly task: Task; readonly by: string }): string {
    const { task, by } = options;
    const stack = this.stack(task);
    const previous = stack.at(-2);
    if (previous === undefined)
      throw new UserInputError(
        stack.length === 0
          ? `no version of ${task} is active: nothing to roll back`
          : `${task} ${stack[0]} is the first version activated: no earlier version to roll back to`,
      );
    this.record(task, stack.at(-1) ?? previous, 'rollback', by);
    return previous;
  }

  private record(task: Task, version: string, action: 'activate' | 'rollback', by: string): void {
    this.db
      .prepare(
        'INSERT INTO model_activations (task, version, action, by_user, at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(task, version, action, by, new Date().toISOString());
  }
}
